package dev.obscura.transport.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and addresses of a {@link RelayServer}. Immutable; built and validated by
 * {@link Builder#build()}.
 *
 * <p>Defaults: bind {@code 127.0.0.1}, port 0 (ephemeral), messages up to 4 MiB, envelopes up to
 * 256 KiB, the 4 newest epochs' envelopes kept per stream, per-viewer queues of 120 frames
 * (4 s at 30 fps) and 16 MiB, 64 viewers per stream, 120 s idle timeout.
 *
 * <p><b>Memory:</b> viewers of a stream share the bytes of each message, so a stream holds at
 * most about {@code viewerQueueBytes + maxViewersPerStream * maxMessageBytes} (queued messages
 * plus one in flight per viewer) plus {@code envelopesKeptPerStream * maxEnvelopeBytes}.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * RelayConfig config = RelayConfig.builder().bindAddress("0.0.0.0").port(8443)
 *     .viewerQueueFrames(60).viewerQueueBytes(8 << 20).build();
 * }</pre>
 *
 * @param bindAddress the address to listen on
 * @param port the TCP port, 0 for an ephemeral one
 * @param maxMessageBytes the largest message accepted from a publisher, header included;
 *     larger ones close the connection with 1009
 * @param maxEnvelopeBytes the largest ENVELOPE message accepted, header included
 * @param envelopesKeptPerStream how many epochs' newest envelopes the relay keeps per stream
 * @param viewerQueueFrames the most messages queued for one viewer
 * @param viewerQueueBytes the most bytes queued for one viewer
 * @param maxViewersPerStream the most concurrent subscribers of one stream (more get 503)
 * @param idleTimeout a connection without traffic for this long is closed
 */
public record RelayConfig(
    String bindAddress,
    int port,
    int maxMessageBytes,
    int maxEnvelopeBytes,
    int envelopesKeptPerStream,
    int viewerQueueFrames,
    long viewerQueueBytes,
    int maxViewersPerStream,
    Duration idleTimeout) {

  public RelayConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535");
    }
    if (maxMessageBytes < RelayWire.HEADER_LENGTH + 1 || maxMessageBytes > (64 << 20)) {
      throw new IllegalArgumentException("maxMessageBytes must be 25 to 64 MiB");
    }
    if (maxEnvelopeBytes < RelayWire.HEADER_LENGTH + 1 || maxEnvelopeBytes > maxMessageBytes) {
      throw new IllegalArgumentException("maxEnvelopeBytes must be 25 to maxMessageBytes");
    }
    if (envelopesKeptPerStream < 1 || envelopesKeptPerStream > 64) {
      throw new IllegalArgumentException("envelopesKeptPerStream must be 1 to 64");
    }
    if (viewerQueueFrames < 2) {
      throw new IllegalArgumentException("viewerQueueFrames must be at least 2");
    }
    if (viewerQueueBytes < maxMessageBytes) {
      throw new IllegalArgumentException(
          "viewerQueueBytes must be at least maxMessageBytes, or a large keyframe never fits");
    }
    if (maxViewersPerStream < 1) {
      throw new IllegalArgumentException("maxViewersPerStream must be at least 1");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
  }

  /** The defaults. */
  public static RelayConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RelayConfig}; {@link #build()} validates. */
  public static final class Builder {
    private String bindAddress = "127.0.0.1";
    private int port = 0;
    private int maxMessageBytes = 4 << 20;
    private int maxEnvelopeBytes = 256 << 10;
    private int envelopesKeptPerStream = 4;
    private int viewerQueueFrames = 120;
    private long viewerQueueBytes = 16L << 20;
    private int maxViewersPerStream = 64;
    private Duration idleTimeout = Duration.ofSeconds(120);

    private Builder() {}

    public Builder bindAddress(String v) {
      bindAddress = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder maxMessageBytes(int v) {
      maxMessageBytes = v;
      return this;
    }

    public Builder maxEnvelopeBytes(int v) {
      maxEnvelopeBytes = v;
      return this;
    }

    public Builder envelopesKeptPerStream(int v) {
      envelopesKeptPerStream = v;
      return this;
    }

    public Builder viewerQueueFrames(int v) {
      viewerQueueFrames = v;
      return this;
    }

    public Builder viewerQueueBytes(long v) {
      viewerQueueBytes = v;
      return this;
    }

    public Builder maxViewersPerStream(int v) {
      maxViewersPerStream = v;
      return this;
    }

    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    public RelayConfig build() {
      return new RelayConfig(bindAddress, port, maxMessageBytes, maxEnvelopeBytes,
          envelopesKeptPerStream, viewerQueueFrames, viewerQueueBytes, maxViewersPerStream,
          idleTimeout);
    }
  }
}
