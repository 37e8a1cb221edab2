package dev.obscura.core;

import java.util.Objects;

/**
 * The place of one segment: its stream and its sequence number (0, 1, 2, ... without gaps
 * within a stream).
 */
public record SegmentId(StreamId stream, long sequence) implements Comparable<SegmentId> {
  /**
   * The highest sequence number, 2^62 (see {@link EpochId#MAX_VALUE} for why): parsers refuse a
   * larger one as malformed and {@link #next()} refuses to count past it.
   */
  public static final long MAX_SEQUENCE = 1L << 62;

  public SegmentId {
    Objects.requireNonNull(stream, "stream");
    if (sequence < 0 || sequence > MAX_SEQUENCE) {
      throw new IllegalArgumentException("sequence must be 0..2^62");
    }
  }

  /** Whether {@code sequence} is a valid sequence number (0..{@link #MAX_SEQUENCE}). */
  public static boolean isValidSequence(long sequence) {
    return sequence >= 0 && sequence <= MAX_SEQUENCE;
  }

  /**
   * The id of the segment that follows this one in the same stream.
   *
   * @throws ArithmeticException at {@link #MAX_SEQUENCE} (never wraps)
   */
  public SegmentId next() {
    if (sequence >= MAX_SEQUENCE) {
      throw new ArithmeticException("sequence counter exhausted at 2^62");
    }
    return new SegmentId(stream, Math.addExact(sequence, 1));
  }

  @Override
  public int compareTo(SegmentId other) {
    int c = stream.compareTo(other.stream);
    return c != 0 ? c : Long.compare(sequence, other.sequence);
  }

  @Override
  public String toString() {
    return stream + "#" + sequence;
  }
}
