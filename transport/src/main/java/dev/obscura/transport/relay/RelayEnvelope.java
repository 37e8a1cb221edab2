package dev.obscura.transport.relay;

import java.util.Arrays;

/**
 * A sealed key envelope for one epoch, as the relay moves it: the camera's HPKE-wrapped epoch
 * key for the enrolled devices, produced by the crypto module. The relay keeps the newest one per
 * epoch and gives it to late joiners before their first frame of that epoch.
 *
 * <p><b>Security guarantees:</b> none of its own: the payload is opaque to the relay and must be
 * verified (signature, roster) by the viewer. A relay can withhold or replay an envelope, never
 * open one.
 *
 * @param epoch the key epoch the envelope opens
 * @param payload the sealed envelope; owned by this record, not copied
 */
public record RelayEnvelope(long epoch, byte[] payload) implements RelayMessage {
  public RelayEnvelope {
    RelayWire.checkFields(epoch, payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelayEnvelope e && e.epoch == epoch && Arrays.equals(e.payload, payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(epoch) * 31 + Arrays.hashCode(payload);
  }

  /** Metadata only; never payload bytes. */
  @Override
  public String toString() {
    return "RelayEnvelope[epoch " + epoch + ", " + payload.length + " bytes]";
  }
}
