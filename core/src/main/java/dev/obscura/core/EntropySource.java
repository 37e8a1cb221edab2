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
        random.nextBytes(bytes);
      }
    };
  }
}
