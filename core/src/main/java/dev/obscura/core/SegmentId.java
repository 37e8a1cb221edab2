package dev.obscura.core;

import java.util.Objects;

/**
 * The place of one segment: its stream and its sequence number (0, 1, 2, ... without gaps
 * within a stream).
 */
public record SegmentId(StreamId stream, long sequence) implements Comparable<SegmentId> {
  public SegmentId {
    Objects.requireNonNull(stream, "stream");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0");
    }
  }

  /** The id of the segment that follows this one in the same stream. */
  public SegmentId next() {
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
