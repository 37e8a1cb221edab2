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

/** Parses the relay address and token of {@code live} and {@code watch}; messages never show the token. */
final class RelayArgs {
  private RelayArgs() {}

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
    try {
      return RelayPublisher.connect(relay, stream, token, RelayClientConfig.defaults());
    } catch (RelayRefusedException e) {
      throw e;
    } catch (IOException e) {
      throw unreachable(relay, e);
    }
  }

  static RelaySubscriber subscriber(URI relay, StreamId stream, RelayToken token) throws IOException {
    try {
      return RelaySubscriber.connect(relay, stream, token, RelayClientConfig.defaults());
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
    return new CliException(Outcome.CONFLICT, "cannot reach the relay at " + relay + " (" + why + ")");
  }
}
