package dev.obscura.crypto.internal;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.Recipient;
import dev.obscura.crypto.roster.RosterRef;
import dev.obscura.crypto.sign.SigningKey;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * How every producer of a stream (the recorder, the live camera) starts an epoch, in this order:
 * the epoch number is recorded as used in the camera's state (before anything else: a number is
 * never reused, even after a crash), a fresh random key is drawn, its envelope is sealed to the
 * recipients (signed by the camera and naming its roster, when there is a signer), stored under
 * the stream's envelope name (so no segment or frame of the epoch can exist without it), and
 * then announced (published, counted, reported) by the caller. If any step fails, the key is
 * destroyed before the failure propagates.
 */
public final class EpochStart {
  private EpochStart() {}

  /** What the caller does once the envelope is stored: publish it, count it, report it. */
  @FunctionalInterface
  public interface Announcer {
    /**
     * Called after the envelope is stored; an exception destroys the key and propagates.
     *
     * @param epoch the epoch started
     * @param envelope the sealed envelope as stored (public data; do not modify)
     * @throws IOException if publishing it fails
     */
    void announce(EpochId epoch, byte[] envelope) throws IOException;
  }

  /**
   * Starts epoch {@code id} of {@code stream}.
   *
   * @param store where the envelope is stored
   * @param stream the stream
   * @param id the new epoch's number
   * @param camera the camera's state that records used epoch numbers, or {@code null}
   * @param entropy where the key comes from
   * @param created the envelope's creation time
   * @param recipients who the key is wrapped to
   * @param signer the camera's signing key, or {@code null} for an unsigned envelope
   * @param roster the roster the envelope names (with a signer), or {@code null}
   * @param announcer what to do once the envelope is stored
   * @return the epoch's key, owned by the caller
   * @throws IOException if the camera state, the store or the announcer fails (the key is
   *     destroyed)
   */
  public static EpochKey begin(SegmentStore store, StreamId stream, EpochId id, CameraState camera,
      EntropySource entropy, Instant created, List<? extends Recipient> recipients,
      SigningKey signer, RosterRef roster, Announcer announcer) throws IOException {
    if (camera != null) {
      camera.useEpoch(stream, id.value()); // before the envelope: an epoch number is never reused
    }
    EpochKey key = EpochKey.generate(stream, id, entropy);
    try {
      EnvelopeHeader header = new EnvelopeHeader(stream, id, created);
      byte[] envelope = signer == null
          ? KeyEnvelope.seal(header, key, recipients)
          : KeyEnvelope.seal(header, key, recipients, signer, roster);
      store.put(ObjectNames.envelope(stream, id), envelope);
      announcer.announce(id, envelope);
      return key;
    } catch (IOException | RuntimeException e) {
      key.destroy();
      throw e;
    }
  }
}
