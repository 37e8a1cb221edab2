package dev.obscura.transport.relay;

import dev.obscura.core.EpochId;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.LivePublisher;
import dev.obscura.core.LiveSubscriber;
import dev.obscura.core.StreamId;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The embedded relay as the SDK's transport-neutral live fan-out: adapts a {@link RelayPublisher}
 * to {@link LivePublisher} and a {@link RelaySubscriber} to {@link LiveSubscriber}, so that
 * {@code dev.obscura.crypto.live.LiveCamera} and {@code LiveViewer} run over it.
 *
 * <p>Messages are mapped one to one: {@link RelayEnvelope} to {@link LiveMessage.Envelope},
 * {@link RelayFrame} to {@link LiveMessage.Frame}, with the same epoch, sequence, keyframe flag
 * and payload array (not copied). Exceptions are the relay client's, unchanged: {@link
 * RelayAuthException}, {@link RelayRefusedException}, {@link RelayClosedException} and {@link
 * java.net.SocketTimeoutException} on a timeout.
 *
 * <p><b>Security guarantees:</b> as the relay client's: no key, no plaintext, the token never in
 * a log, {@code toString()} or message.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (LivePublisher relay = RelayLive.connectPublisher(URI.create("ws://relay:8080"),
 *     StreamId.of("front-door"), RelayToken.of(publishToken), RelayClientConfig.defaults())) {
 *   LiveCamera live = LiveCamera.builder().publisher(relay)...build();
 * }
 * }</pre>
 */
public final class RelayLive {
  private RelayLive() {}

  /**
   * A {@link LivePublisher} over {@code publisher}. Closing it closes {@code publisher}.
   *
   * @param publisher a connected relay publisher
   * @return the adapter
   */
  public static LivePublisher publisher(RelayPublisher publisher) {
    return new Publisher(Objects.requireNonNull(publisher, "publisher"));
  }

  /**
   * A {@link LiveSubscriber} over {@code subscriber}. Closing it closes {@code subscriber}.
   *
   * @param subscriber a connected relay subscriber
   * @return the adapter
   */
  public static LiveSubscriber subscriber(RelaySubscriber subscriber) {
    return new Subscriber(Objects.requireNonNull(subscriber, "subscriber"));
  }

  /**
   * Connects as the publisher of {@code stream} ({@link RelayPublisher#connect}).
   *
   * @param relay the relay's base address, {@code ws://host:port}
   * @param stream the stream
   * @param token its publish token
   * @param config client limits and timeouts
   * @return the connected publisher
   * @throws RelayAuthException if the relay refused the token (401/403)
   * @throws RelayRefusedException if it refused otherwise (404: no such stream)
   * @throws IOException if it cannot be reached
   */
  public static LivePublisher connectPublisher(URI relay, StreamId stream, RelayToken token,
      RelayClientConfig config) throws IOException {
    return publisher(RelayPublisher.connect(relay, stream, token, config));
  }

  /**
   * Connects as a viewer of {@code stream} ({@link RelaySubscriber#connect}).
   *
   * @param relay the relay's base address, {@code ws://host:port}
   * @param stream the stream
   * @param token its subscribe token
   * @param config client limits and timeouts
   * @return the connected subscriber
   * @throws RelayAuthException if the relay refused the token (401/403)
   * @throws RelayRefusedException if it refused otherwise (404, 503)
   * @throws IOException if it cannot be reached
   */
  public static LiveSubscriber connectSubscriber(URI relay, StreamId stream, RelayToken token,
      RelayClientConfig config) throws IOException {
    return subscriber(RelaySubscriber.connect(relay, stream, token, config));
  }

  /**
   * The relay message as a live message (same fields, payload not copied).
   *
   * @param m a message from the relay
   * @return the live message
   */
  public static LiveMessage toLive(RelayMessage m) {
    if (m instanceof RelayEnvelope e) {
      return new LiveMessage.Envelope(e.epoch(), e.payload());
    }
    RelayFrame f = (RelayFrame) m;
    return new LiveMessage.Frame(f.epoch(), f.sequence(), f.keyframe(), f.payload());
  }

  private static final class Publisher implements LivePublisher {
    private final RelayPublisher relay;

    Publisher(RelayPublisher relay) {
      this.relay = relay;
    }

    @Override
    public void publishEnvelope(EpochId epoch, byte[] sealedEnvelope) throws IOException {
      relay.sendEnvelope(epoch.value(), sealedEnvelope);
    }

    @Override
    public long publishFrame(EpochId epoch, boolean keyframe, byte[] sealedFrame) throws IOException {
      return relay.sendFrame(epoch.value(), keyframe, sealedFrame);
    }

    /** The relay client encodes the range into its own wire message: no copy here, none kept. */
    @Override
    public long publishFrame(EpochId epoch, boolean keyframe, byte[] buffer, int offset, int length)
        throws IOException {
      return relay.sendFrame(epoch.value(), keyframe, buffer, offset, length);
    }

    @Override
    public void flush() throws IOException {
      relay.flush();
    }

    @Override
    public void close() throws IOException {
      relay.close();
    }

    @Override
    public String toString() {
      return "RelayLive.publisher[" + relay + "]";
    }
  }

  private static final class Subscriber implements LiveSubscriber {
    private final RelaySubscriber relay;

    Subscriber(RelaySubscriber relay) {
      this.relay = relay;
    }

    @Override
    public LiveMessage next(Duration timeout) throws IOException {
      RelayMessage m = relay.next(timeout);
      return m == null ? null : toLive(m);
    }

    @Override
    public void close() {
      relay.close();
    }

    @Override
    public String toString() {
      return "RelayLive.subscriber[" + relay + "]";
    }
  }
}
