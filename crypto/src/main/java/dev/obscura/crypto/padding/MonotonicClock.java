package dev.obscura.crypto.padding;

/** The time check every shaper shares: times never go backwards. */
final class MonotonicClock {
  private boolean started;
  private long last;

  /** Whether a time was seen yet. */
  boolean started() {
    return started;
  }

  /**
   * Records {@code micros} as the time now.
   *
   * @throws IllegalArgumentException if it is before the last time seen
   */
  void at(long micros) {
    check(micros);
    started = true;
    last = micros;
  }

  /**
   * Checks that {@code micros} does not go backwards, without recording it.
   *
   * @throws IllegalArgumentException if it is before the last time seen
   */
  void check(long micros) {
    if (started && micros < last) {
      throw new IllegalArgumentException(
          "shaper times never go backwards: " + micros + " us came after " + last + " us");
    }
  }

  static void checkBytes(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a unit has at least 0 bytes, not " + bytes);
    }
  }
}
