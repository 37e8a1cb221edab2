package dev.obscura.crypto.event;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.EventId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * Seals the motion events of one epoch ({@link MotionEventFormat}): derives the epoch's event
 * key once, numbers the events from 0, signs each with the camera's key. The {@link
 * dev.obscura.crypto.Recorder} keeps one per epoch and destroys it at rotation.
 *
 * <p><b>Security guarantees:</b> the event key is derived from the epoch key with its own label
 * (a segment key and an event key never coincide) and wiped by {@link #destroy()}; the epoch key
 * is not kept. Ids are random (16 bytes), nonces random (12 bytes).
 *
 * <p><b>Restrictions:</b> not thread-safe.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * MotionEventSealer events = new MotionEventSealer(epochKey, camera.signingKey(), EntropySource.system());
 * MotionEventSealer.Sealed e = events.seal(draft, firstSegment, lastSegment);
 * store.put(ObjectNames.event(stream, e.id()), e.bytes());
 * }</pre>
 */
public final class MotionEventSealer {
  private final StreamId stream;
  private final EpochId epoch;
  private final SigningKey camera;
  private final EntropySource entropy;
  private final byte[] key;
  private long next;
  private boolean destroyed;

  /**
   * @param epochKey the current epoch's key (not kept: the event key is derived from it now)
   * @param camera the camera's signing key
   * @param entropy for ids and nonces
   * @throws IllegalStateException if the epoch key was destroyed
   */
  public MotionEventSealer(EpochKey epochKey, SigningKey camera, EntropySource entropy) {
    Objects.requireNonNull(epochKey, "epochKey");
    this.stream = epochKey.stream();
    this.epoch = epochKey.epoch();
    this.camera = Objects.requireNonNull(camera, "camera");
    this.entropy = Objects.requireNonNull(entropy, "entropy");
    this.key = MotionEventFormat.deriveKey(epochKey);
  }

  /**
   * One sealed event.
   *
   * @param id its opaque id
   * @param sequence its number within the epoch
   * @param bytes the sealed, signed, padded record
   * @param unpaddedBytes what the record would be without padding
   */
  public record Sealed(EventId id, long sequence, byte[] bytes, int unpaddedBytes) {}

  /**
   * Seals one event with the next sequence number.
   *
   * @param draft what the detector reported
   * @param firstSegment the first segment holding it
   * @param lastSegment the last one (inclusive)
   * @return the sealed record and its id
   * @throws IllegalArgumentException if the range is reversed or negative
   * @throws IllegalStateException if this sealer was destroyed
   */
  public Sealed seal(MotionEventDraft draft, long firstSegment, long lastSegment) {
    Objects.requireNonNull(draft, "draft");
    if (destroyed) {
      throw new IllegalStateException("the event sealer of " + stream + " " + epoch + " was destroyed");
    }
    if (firstSegment < 0 || lastSegment < firstSegment) {
      throw new IllegalArgumentException("segment range " + firstSegment + ".." + lastSegment + " is not valid");
    }
    EventId id = EventId.random(entropy);
    byte[] nonce = new byte[MotionEventFormat.NONCE_BYTES];
    entropy.nextBytes(nonce);
    long seq = next;
    byte[] out = MotionEventFormat.seal(key, stream, epoch, seq, id, nonce, draft, firstSegment, lastSegment,
        m -> camera.sign(SignaturePurpose.MOTION_EVENT, m));
    next++;
    return new Sealed(id, seq, out, MotionEventFormat.unpaddedBytes(stream, draft.thumbnail().length));
  }

  /**
   * The epoch whose key this sealer derived from.
   *
   * @return the epoch
   */
  public EpochId epoch() {
    return epoch;
  }

  /** Wipes the event key. Idempotent. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public String toString() {
    return "MotionEventSealer[" + stream + ", " + epoch + ", next #" + next + (destroyed ? ", destroyed" : "") + "]";
  }
}
