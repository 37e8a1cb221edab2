package dev.obscura.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message of a live fan-out, as a {@link LiveSubscriber} hands it over: the sealed key
 * envelope of an epoch ({@link Envelope}) or a sealed frame ({@link Frame}). Both carry an opaque
 * payload sealed on the camera; the transport never looks inside it.
 *
 * <p><b>Security guarantees:</b> none of its own. Every field outside the payload is a routing
 * field of an untrusted transport (a relay, a message broker), which may rewrite, drop, repeat
 * or reorder messages. A viewer trusts only what the crypto layer authenticates inside the
 * payload (the envelope's signed header, the SFrame header and the frame's capture time).
 *
 * <p><b>Ownership:</b> a message owns its payload array and does not copy it; nobody may modify
 * the array after the message is made. {@code toString()} shows metadata, never payload bytes.
 */
public sealed interface LiveMessage permits LiveMessage.Envelope, LiveMessage.Frame {
  /**
   * The key epoch the transport says the payload belongs to (0 to 2<sup>63</sup>-1; unauthenticated,
   * so not an {@link EpochId}: a hostile transport may send any number here).
   *
   * @return the epoch number of the routing header
   */
  long epoch();

  /**
   * The opaque payload: a sealed key envelope or an SFrame ciphertext. Not copied.
   *
   * @return the payload array, owned by this message
   */
  byte[] payload();

  /**
   * The sealed key envelope of one epoch. Transports keep the newest per epoch and give it to
   * late joiners before their first frame of that epoch; duplicates are normal.
   *
   * @param epoch the key epoch the envelope opens (routing field)
   * @param payload the sealed envelope; owned by this record, not copied
   */
  record Envelope(long epoch, byte[] payload) implements LiveMessage {
    /**
     * @throws IllegalArgumentException if {@code epoch} is negative or {@code payload} is empty
     */
    public Envelope {
      check(epoch, payload);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Envelope e && e.epoch == epoch && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(epoch) * 31 + Arrays.hashCode(payload);
    }

    /** Metadata only; never payload bytes. */
    @Override
    public String toString() {
      return "LiveMessage.Envelope[epoch " + epoch + ", " + payload.length + " bytes]";
    }
  }

  /**
   * A sealed frame.
   *
   * @param epoch the key epoch whose envelope opens this frame (routing field)
   * @param sequence the publisher's frame counter, unsigned, from 0 per publisher connection; a
   *     number that does not follow the previous frame's marks a gap (routing field)
   * @param keyframe whether a decoder can start at this frame (routing field; the authenticated
   *     flag is inside the payload)
   * @param payload the SFrame ciphertext; owned by this record, not copied
   */
  record Frame(long epoch, long sequence, boolean keyframe, byte[] payload) implements LiveMessage {
    /**
     * @throws IllegalArgumentException if {@code epoch} is negative or {@code payload} is empty
     */
    public Frame {
      check(epoch, payload);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Frame f && f.epoch == epoch && f.sequence == sequence && f.keyframe == keyframe
          && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(epoch, sequence, keyframe) * 31 + Arrays.hashCode(payload);
    }

    /** Metadata only; never payload bytes. */
    @Override
    public String toString() {
      return "LiveMessage.Frame[epoch " + epoch + ", seq " + Long.toUnsignedString(sequence)
          + (keyframe ? ", keyframe, " : ", ") + payload.length + " bytes]";
    }
  }

  private static void check(long epoch, byte[] payload) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0");
    }
    Objects.requireNonNull(payload, "payload");
    if (payload.length == 0) {
      throw new IllegalArgumentException("payload must not be empty");
    }
  }
}
