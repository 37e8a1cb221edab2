package dev.obscura.core;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Where random bytes come from (keys, salts, nonces). Injectable so tests are deterministic.
 *
 * <p>Production code uses {@link #system()}.
 */
@FunctionalInterface
public interface EntropySource {
  /** Fills {@code bytes} with random bytes. */
  void nextBytes(byte[] bytes);

  /** The platform's strong random generator. */
  static EntropySource system() {
    SecureRandom random = new SecureRandom();
    return random::nextBytes;
  }

  /**
   * A predictable generator for tests and test-vector generation. <b>Never use it for real
   * footage:</b> anyone who knows the seed knows every key it made.
   */
  static EntropySource insecureDeterministicForTests(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return bytes -> {
      synchronized (random) {
        // the byte order of SplittableRandom.nextBytes (JDK 17), spelled out with nextLong,
        // which Android has (nextBytes it has not): seeded outputs stay what they were
        int i = 0;
        for (int words = bytes.length >> 3; words-- > 0; ) {
          long r = random.nextLong();
          for (int n = 8; n-- > 0; r >>>= 8) {
            bytes[i++] = (byte) r;
          }
        }
        if (i < bytes.length) {
          for (long r = random.nextLong(); i < bytes.length; r >>>= 8) {
            bytes[i++] = (byte) r;
          }
        }
      }
    };
  }
}
