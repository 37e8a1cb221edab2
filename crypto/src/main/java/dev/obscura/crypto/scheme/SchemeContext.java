package dev.obscura.crypto.scheme;

import dev.obscura.core.EntropySource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.SecretBytes;
import java.util.Objects;

/**
 * What a {@link SealingScheme} seals with: the stream it belongs to, a 32-byte stream key (a
 * scheme that needs another size derives it from this one, with its own label) and a source of
 * randomness. The key is the caller's: schemes copy what they need and never destroy it.
 *
 * @param stream the stream the records belong to (schemes bind it where their format can)
 * @param key the 32-byte stream key
 * @param entropy randomness for salts and nonces that are random by design
 */
public record SchemeContext(StreamId stream, SecretBytes key, EntropySource entropy) {
  /** Bytes of {@link #key()}. */
  public static final int KEY_BYTES = 32;

  public SchemeContext {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(entropy, "entropy");
    if (key.size() != KEY_BYTES) {
      throw new IllegalArgumentException("a scheme key is " + KEY_BYTES + " bytes, not " + key.size());
    }
  }

  @Override
  public String toString() {
    return "SchemeContext[stream=" + stream + "]";
  }
}
