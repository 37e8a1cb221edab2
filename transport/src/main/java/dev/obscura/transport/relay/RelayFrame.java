package dev.obscura.transport.relay;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sealed live frame as the relay moves it: public routing fields and an opaque payload (an
 * SFrame ciphertext, RFC 9605).
 *
 * <p><b>Security guarantees:</b> none of its own. The fields are public and unauthenticated by
 * the relay protocol: an untrusted relay may rewrite them. A viewer trusts only what the SFrame
 * layer authenticates; the flag and sequence only steer fan-out and gap counting.
 *
 * @param epoch the key epoch whose envelope opens this frame
 * @param sequence the publisher's frame counter (unsigned; per publisher connection)
 * @param keyframe whether a decoder can start at this frame
 * @param payload the sealed frame; owned by this record, not copied
 */
public record RelayFrame(long epoch, long sequence, boolean keyframe, byte[] payload)
    implements RelayMessage {
  public RelayFrame {
    RelayWire.checkFields(epoch, payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelayFrame f
        && f.epoch == epoch
        && f.sequence == sequence
        && f.keyframe == keyframe
        && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(epoch, sequence, keyframe) * 31 + Arrays.hashCode(payload);
  }

  /** Metadata only; never payload bytes. */
  @Override
  public String toString() {
    return "RelayFrame[epoch " + epoch + ", seq " + Long.toUnsignedString(sequence)
        + (keyframe ? ", keyframe, " : ", ") + payload.length + " bytes]";
  }
}
