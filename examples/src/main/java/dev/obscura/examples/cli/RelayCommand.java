package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.transport.relay.RelayConfig;
import dev.obscura.transport.relay.RelayServer;
import dev.obscura.transport.relay.RelayStats;
import dev.obscura.transport.relay.RelayStreams;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "relay",
    description = {
      "Run the live relay until interrupted: it forwards each camera's sealed frames to that stream's viewers and holds no key.",
      "FILE has one line per stream: NAME PUBLISH_TOKEN SUBSCRIBE_TOKEN (# starts a comment). Tokens are never logged.",
      "It speaks plain ws://, by default only on 127.0.0.1: put a TLS-terminating proxy in front of it, or --bind 0.0.0.0",
      "to listen on every interface (anyone who can reach the port can then try tokens)."
    })
final class RelayCommand implements Callable<Integer> {
  @Option(names = "--port", required = true, paramLabel = "N", description = "TCP port to listen on (0: any free port, printed).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDR", description =
      "IP address to listen on (default: ${DEFAULT-VALUE}, this machine only); 0.0.0.0 or :: for every interface.")
  String bind;

  @Option(names = "--streams", required = true, paramLabel = "FILE", description = "Streams and their tokens.")
  Path streams;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new CliException(Outcome.USAGE, "--port must be in 0..65535");
    }
    String address = bindAddress(bind);
    RelayStreams config;
    try {
      config = RelayStreams.load(streams);
    } catch (IllegalArgumentException e) {
      throw new CliException(Outcome.MALFORMED, "streams file " + streams + ": " + e.getMessage());
    }
    if (config.size() == 0) {
      throw new CliException(Outcome.MALFORMED, "streams file " + streams + " defines no stream");
    }
    PrintWriter out = spec.commandLine().getOut();
    RelayServer relay = RelayServer.start(RelayConfig.builder().bindAddress(address).port(port).build(), config);
    Thread hook = new Thread(relay::close, "obscura-relay-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try {
      out.printf("relay listening on ws://%s:%d with %s: %s%n",
          address.contains(":") ? "[" + address + "]" : address, relay.port(), Table.count(config.size(), "stream"),
          config.names());
      out.flush();
      try {
        relay.awaitClose();
      } catch (InterruptedException e) {
        interrupted = true; // stopped in-process (tests, embedding): a normal end
      }
    } finally {
      relay.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running or ran
      }
    }
    RelayStats s = relay.stats();
    out.printf("relay stopped: %d frames and %d envelopes in, %d messages out, %d frames skipped in %d skip events%n",
        s.framesIn(), s.envelopesIn(), s.messagesOut(), s.skippedFrames(), s.skipEvents());
    out.flush();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * The --bind value as a normalized IP address literal: no host names (no DNS lookup decides
   * where a relay listens).
   */
  static String bindAddress(String value) {
    String v = value.strip();
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    boolean ipv4 = v.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = v.contains(":") && v.matches("[0-9A-Fa-f:.]+");
    if (ipv4) {
      for (String part : v.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          ipv4 = false;
        }
      }
    }
    if (!ipv4 && !ipv6) {
      throw new CliException(Outcome.USAGE, "--bind must be an IPv4 or IPv6 address, such as 127.0.0.1 or 0.0.0.0: "
          + value);
    }
    try {
      return java.net.InetAddress.getByName(v).getHostAddress(); // a literal: no lookup
    } catch (java.net.UnknownHostException e) {
      throw new CliException(Outcome.USAGE, "--bind is not a valid IP address: " + value);
    }
  }
}
