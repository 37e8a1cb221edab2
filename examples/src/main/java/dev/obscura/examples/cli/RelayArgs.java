package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.StreamId;
import dev.obscura.transport.relay.RelayClientConfig;
import dev.obscura.transport.relay.RelayPublisher;
import dev.obscura.transport.relay.RelayRefusedException;
import dev.obscura.transport.relay.RelaySubscriber;
import dev.obscura.transport.relay.RelayToken;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/**
 * {@code --relay} and {@code --stream} of {@code live} and {@code watch} (each names its own
 * {@code --token}), parsed, and the connection to the relay; messages never show the token.
 */
final class RelayArgs {
  @Option(names = "--relay", required = true, paramLabel = "URL", description = "Relay address, ws://HOST:PORT.")
  String relay;

  @Option(names = "--stream", required = true, paramLabel = "NAME", description = "Stream name, as in the relay's streams file.")
  String stream;

  /** {@code --relay}, checked. */
  URI relayUri() {
    return relay(relay);
  }

  /** {@code --stream}, checked. */
  StreamId streamId() {
    return Stores.parseStream(stream);
  }

  static URI relay(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new CliException(Outcome.USAGE, "invalid --relay: " + e.getMessage());
    }
    if (u.getScheme() == null || !(u.getScheme().equals("ws") || u.getScheme().equals("wss")) || u.getHost() == null) {
      throw new CliException(Outcome.USAGE, "invalid --relay: expected ws://HOST:PORT or wss://HOST:PORT, got " + url);
    }
    return u;
  }

  static RelayToken token(String token) {
    try {
      return RelayToken.of(token);
    } catch (IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, "invalid --token: " + e.getMessage());
    }
  }

  static RelayPublisher publisher(URI relay, StreamId stream, RelayToken token) throws IOException {
    return connect(relay, () -> RelayPublisher.connect(relay, stream, token, RelayClientConfig.defaults()));
  }

  static RelaySubscriber subscriber(URI relay, StreamId stream, RelayToken token) throws IOException {
    return connect(relay, () -> RelaySubscriber.connect(relay, stream, token, RelayClientConfig.defaults()));
  }

  /** Opens a connection to the relay. */
  private interface Connection<T> {
    T open() throws IOException;
  }

  /** Opens {@code c}: a refusal as it is, any other failure as "cannot reach the relay". */
  private static <T> T connect(URI relay, Connection<T> c) throws IOException {
    try {
      return c.open();
    } catch (RelayRefusedException e) {
      throw e;
    } catch (IOException e) {
      throw unreachable(relay, e);
    }
  }

  private static CliException unreachable(URI relay, IOException e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String why = c.getClass().getSimpleName() + (c.getMessage() == null || c == e ? "" : ": " + c.getMessage());
    if (c == e) {
      why = e.getMessage();
    }
    return new CliException(Outcome.IO, "cannot reach the relay at " + relay + " (" + why + ")");
  }
}
