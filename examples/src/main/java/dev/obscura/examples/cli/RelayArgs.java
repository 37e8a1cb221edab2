package dev.obscura.examples.cli;

import dev.obscura.transport.relay.RelayToken;
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
      throw new CliException(ObscuraCli.EXIT_USAGE, "invalid --relay: " + e.getMessage());
    }
    if (u.getScheme() == null || !(u.getScheme().equals("ws") || u.getScheme().equals("wss")) || u.getHost() == null) {
      throw new CliException(ObscuraCli.EXIT_USAGE, "invalid --relay: expected ws://HOST:PORT or wss://HOST:PORT, got " + url);
    }
    return u;
  }

  static RelayToken token(String token) {
    try {
      return RelayToken.of(token);
    } catch (IllegalArgumentException e) {
      throw new CliException(ObscuraCli.EXIT_USAGE, "invalid --token: " + e.getMessage());
    }
  }
}
