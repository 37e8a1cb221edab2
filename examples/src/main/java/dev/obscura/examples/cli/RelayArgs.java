package dev.obscura.examples.cli;

import dev.obscura.core.LivePublisher;
import dev.obscura.core.LiveSubscriber;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.Outcome;
import dev.obscura.core.StreamId;
import dev.obscura.transport.nats.NatsLiveConfig;
import dev.obscura.transport.nats.NatsLivePublisher;
import dev.obscura.transport.nats.NatsLiveSubscriber;
import dev.obscura.transport.nats.NatsRefusedException;
import dev.obscura.transport.nats.NatsUserCreds;
import dev.obscura.transport.relay.RelayLive;
import dev.obscura.transport.relay.RelayClientConfig;
import dev.obscura.transport.relay.RelayPublisher;
import dev.obscura.transport.relay.RelayRefusedException;
import dev.obscura.transport.relay.RelaySubscriber;
import dev.obscura.transport.relay.RelayToken;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The live transport of {@code live} and {@code watch}, parsed: either the embedded relay
 * ({@code --relay URL --token T}) or a NATS JetStream cluster ({@code --nats URL[,URL...] --creds
 * FILE}, the household taken from the credentials), plus {@code --stream}; and the connection.
 * Messages never show a token or a credential.
 */
final class RelayArgs {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Transport transport;

  @Option(names = "--stream", required = true, paramLabel = "NAME", description = "Stream name, as in the relay's streams file (the camera's id on NATS).")
  String stream;

  /** One of the two transports. */
  static final class Transport {
    @ArgGroup(exclusive = false, multiplicity = "1", heading = "Through the embedded relay:%n")
    Relay relay;

    @ArgGroup(exclusive = false, multiplicity = "1", heading = "Through a NATS JetStream cluster:%n")
    Nats nats;
  }

  /** {@code --relay URL --token T}. */
  static final class Relay {
    @Option(names = "--relay", required = true, paramLabel = "URL", description = "Relay address, ws://HOST:PORT.")
    String relay;

    @Option(names = "--token", required = true, paramLabel = "T", description = "The stream's token: its publish token for live, its subscribe token for watch.")
    String token;
  }

  /** {@code --nats URL[,URL...] --creds FILE}. */
  static final class Nats {
    @Option(names = "--nats", required = true, paramLabel = "URL[,URL...]", description = "NATS servers, nats://HOST:PORT, comma-separated (the client fails over between them).")
    String servers;

    @Option(names = "--creds", required = true, paramLabel = "FILE", description = "This device's NATS credentials (.creds, from obscura nats creds).")
    Path creds;

    /** The servers and credentials, checked. */
    NatsLiveConfig config() throws IOException {
      List<URI> list;
      try {
        list = NatsLiveConfig.parseServers(servers);
      } catch (IllegalArgumentException e) {
        throw new CliException(Outcome.USAGE, "invalid --nats: " + e.getMessage());
      }
      NatsUserCreds c;
      try {
        c = NatsUserCreds.read(creds);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new CliException(Outcome.IO, "no such --creds file: " + creds);
      } catch (MalformedDataException e) {
        throw new CliException(Outcome.USAGE, "invalid --creds " + creds + ": " + e.getMessage());
      }
      try {
        return NatsLiveConfig.builder(list, c).build();
      } catch (IllegalArgumentException e) {
        throw new CliException(Outcome.USAGE, "invalid --nats: " + e.getMessage());
      }
    }

    /** The household the credentials name. */
    static String household(NatsLiveConfig config) {
      return config.credentials().household().orElseThrow(() -> new CliException(Outcome.USAGE,
          "the --creds file names no household (mint it with obscura nats creds)"));
    }

    /** Opens {@code c}: a refusal as it is, any other failure as "cannot reach NATS". */
    <T> T connect(Connection<T> c) throws IOException {
      try {
        return c.open();
      } catch (NatsRefusedException e) {
        throw e;
      } catch (IOException e) {
        throw new CliException(Outcome.IO, "cannot reach NATS at " + servers + " (" + e.getMessage() + ")");
      }
    }
  }

  /** {@code --stream}, checked. */
  StreamId streamId() {
    return Stores.parseStream(stream);
  }

  /** What the messages call the transport. */
  String where() {
    return transport.nats != null ? "NATS" : "the relay";
  }

  /** Connects as the stream's publisher. */
  LivePublisher publisher() throws IOException {
    StreamId id = streamId();
    if (transport.nats != null) {
      NatsLiveConfig config = transport.nats.config();
      String household = Nats.household(config);
      return transport.nats.connect(() -> NatsLivePublisher.connect(config, household, id));
    }
    URI relay = relay(transport.relay.relay);
    RelayToken token = token(transport.relay.token);
    return RelayLive.publisher(connect(relay, () -> RelayPublisher.connect(relay, id, token, RelayClientConfig.defaults())));
  }

  /** Connects as a viewer of the stream. */
  LiveSubscriber subscriber() throws IOException {
    StreamId id = streamId();
    if (transport.nats != null) {
      NatsLiveConfig config = transport.nats.config();
      String household = Nats.household(config);
      return transport.nats.connect(() -> NatsLiveSubscriber.connect(config, household, id));
    }
    URI relay = relay(transport.relay.relay);
    RelayToken token = token(transport.relay.token);
    return RelayLive.subscriber(connect(relay, () -> RelaySubscriber.connect(relay, id, token, RelayClientConfig.defaults())));
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

  /** Opens a connection to the relay or to NATS. */
  interface Connection<T> {
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
