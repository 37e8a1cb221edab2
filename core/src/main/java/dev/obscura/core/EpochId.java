package dev.obscura.core;

/**
 * The number of one key epoch of a stream. Every segment is sealed under exactly one epoch key;
 * epochs of a stream are numbered from 0 upwards and never reused.
 */
public record EpochId(long value) implements Comparable<EpochId> {
  /**
   * The highest epoch number, 2^62. Parsers refuse a larger one as malformed (an object that
   * claims a number near the top of the 63-bit range is planted, not recorded: at one epoch a
   * second a camera would need 146 billion years to get here), and {@link #next()} refuses to
   * count past it, so a planted number can never become a base that wraps or collides. The
   * room left above it (2^62 .. 2^63-1) keeps {@code value + 1} representable everywhere.
   */
  public static final long MAX_VALUE = 1L << 62;

  public EpochId {
    if (value < 0 || value > MAX_VALUE) {
      throw new IllegalArgumentException("epoch must be 0..2^62");
    }
  }

  /** Whether {@code value} is a valid epoch number (0..{@link #MAX_VALUE}). */
  public static boolean isValid(long value) {
    return value >= 0 && value <= MAX_VALUE;
  }

  public static EpochId of(long value) {
    return new EpochId(value);
  }

  /**
   * The epoch after this one.
   *
   * @throws CounterExhaustedException at {@link #MAX_VALUE}: the counter is exhausted (never wraps)
   */
  public EpochId next() {
    if (value >= MAX_VALUE) {
      throw new CounterExhaustedException(CounterExhaustedException.Counter.EPOCH, "epoch counter exhausted at 2^62");
    }
    return new EpochId(Math.addExact(value, 1));
  }

  @Override
  public int compareTo(EpochId other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return "epoch " + value;
  }
}
