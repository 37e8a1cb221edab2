package dev.obscura.examples.cli;

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
      "It speaks plain ws:// on every interface: put a TLS-terminating proxy in front of it."
    })
final class RelayCommand implements Callable<Integer> {
  @Option(names = "--port", required = true, paramLabel = "N", description = "TCP port to listen on (0: any free port, printed).")
  int port;

  @Option(names = "--streams", required = true, paramLabel = "FILE", description = "Streams and their tokens.")
  Path streams;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new CliException(ObscuraCli.EXIT_USAGE, "--port must be in 0..65535");
    }
    RelayStreams config;
    try {
      config = RelayStreams.load(streams);
    } catch (IllegalArgumentException e) {
      throw new CliException(ObscuraCli.EXIT_MALFORMED, "streams file " + streams + ": " + e.getMessage());
    }
    if (config.size() == 0) {
      throw new CliException(ObscuraCli.EXIT_MALFORMED, "streams file " + streams + " defines no stream");
    }
    PrintWriter out = spec.commandLine().getOut();
    RelayServer relay = RelayServer.start(RelayConfig.builder().bindAddress("0.0.0.0").port(port).build(), config);
    Thread hook = new Thread(relay::close, "obscura-relay-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try {
      out.printf("relay listening on ws://0.0.0.0:%d with %d stream(s): %s%n", relay.port(), config.size(), config.names());
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
}
