package dev.obscura.crypto.keys;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import java.util.Objects;

/**
 * The 32-byte random key of one epoch of one stream. Every segment key of the epoch is derived
 * from it (see {@code docs/spec/sealed-segment-v1.md}); it is wrapped for each recipient in the
 * epoch's envelope and erased by the camera when the epoch ends.
 */
public final class EpochKey {
  /** Length of an epoch key in bytes. */
  public static final int LENGTH = 32;

  private final StreamId stream;
  private final EpochId epoch;
  private final SecretBytes key;

  public EpochKey(StreamId stream, EpochId epoch, SecretBytes key) {
    this.stream = Objects.requireNonNull(stream, "stream");
    this.epoch = Objects.requireNonNull(epoch, "epoch");
    this.key = Objects.requireNonNull(key, "key");
    if (key.size() != LENGTH) {
      throw new IllegalArgumentException("epoch key must be 32 bytes");
    }
  }

  /** A fresh random key for {@code epoch} of {@code stream}. */
  public static EpochKey generate(StreamId stream, EpochId epoch, EntropySource entropy) {
    return new EpochKey(stream, epoch, SecretBytes.random(LENGTH, entropy));
  }

  public StreamId stream() {
    return stream;
  }

  public EpochId epoch() {
    return epoch;
  }

  /** The secret key bytes. */
  public SecretBytes secret() {
    return key;
  }

  /** Erases the key (forward secrecy: the camera calls this when the epoch ends). */
  public void destroy() {
    key.destroy();
  }

  @Override
  public String toString() {
    return "EpochKey[" + stream + ", " + epoch + (key.isDestroyed() ? ", destroyed" : "") + "]";
  }
}
