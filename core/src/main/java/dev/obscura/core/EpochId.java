package dev.obscura.core;

/**
 * The number of one key epoch of a stream. Every segment is sealed under exactly one epoch key;
 * epochs of a stream are numbered from 0 upwards and never reused.
 */
public record EpochId(long value) implements Comparable<EpochId> {
  public EpochId {
    if (value < 0) {
      throw new IllegalArgumentException("epoch must be >= 0");
    }
  }

  public static EpochId of(long value) {
    return new EpochId(value);
  }

  public EpochId next() {
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
