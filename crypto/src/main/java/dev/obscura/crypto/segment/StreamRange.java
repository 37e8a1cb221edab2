package dev.obscura.crypto.segment;

import dev.obscura.core.NoFootageException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.StreamId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A time range of a stream, each end an instant or an offset from the start of the stream's first
 * segment, resolved against the stream's segment headers with the one selection rule ({@link
 * StreamReader#overlaps}). Immutable; export and share use it.
 *
 * <p><b>Sample:</b> {@code StreamRange.all().fromOffset(Duration.ofSeconds(2)).to(end)}
 */
public final class StreamRange {
  private static final StreamRange ALL = new StreamRange(null, null, null, null);

  private final Instant from;
  private final Duration fromOffset;
  private final Instant to;
  private final Duration toOffset;

  private StreamRange(Instant from, Duration fromOffset, Instant to, Duration toOffset) {
    this.from = from;
    this.fromOffset = fromOffset;
    this.to = to;
    this.toOffset = toOffset;
  }

  /**
   * The whole stream.
   *
   * @return an unbounded range
   */
  public static StreamRange all() {
    return ALL;
  }

  /**
   * {@code [from, to)}.
   *
   * @param from start, inclusive
   * @param to end, exclusive
   * @return the range
   */
  public static StreamRange between(Instant from, Instant to) {
    return all().from(from).to(to);
  }

  /**
   * This range starting at {@code start}.
   *
   * @param start an instant
   * @return a new range
   */
  public StreamRange from(Instant start) {
    return new StreamRange(Objects.requireNonNull(start, "start"), null, to, toOffset);
  }

  /**
   * This range starting {@code offset} after the start of the stream's first segment.
   *
   * @param offset not negative
   * @return a new range
   * @throws IllegalArgumentException if {@code offset} is negative
   */
  public StreamRange fromOffset(Duration offset) {
    return new StreamRange(null, checked(offset), to, toOffset);
  }

  /**
   * This range ending (exclusive) at {@code end}.
   *
   * @param end an instant
   * @return a new range
   */
  public StreamRange to(Instant end) {
    return new StreamRange(from, fromOffset, Objects.requireNonNull(end, "end"), null);
  }

  /**
   * This range ending (exclusive) {@code offset} after the start of the stream's first segment.
   *
   * @param offset not negative
   * @return a new range
   * @throws IllegalArgumentException if {@code offset} is negative
   */
  public StreamRange toOffset(Duration offset) {
    return new StreamRange(from, fromOffset, null, checked(offset));
  }

  /**
   * Whether neither end is set.
   *
   * @return true for {@link #all()}
   */
  public boolean isAll() {
    return from == null && fromOffset == null && to == null && toOffset == null;
  }

  private static Duration checked(Duration d) {
    if (Objects.requireNonNull(d, "offset").isNegative()) {
      throw new IllegalArgumentException("an offset is not negative");
    }
    return d;
  }

  /**
   * The range resolved against {@code headers} (a stream's segment headers in sequence order).
   *
   * @param from start, inclusive ({@link Instant#MIN} if open)
   * @param to end, exclusive ({@link Instant#MAX} if open)
   * @param segments how many segments it selects (at least one)
   */
  public record Resolved(Instant from, Instant to, int segments) {}

  /**
   * Resolves the range: offsets from the first header's start time, then counts the segments
   * whose span overlaps it.
   *
   * @param stream the stream, for messages
   * @param headers its segment headers, in sequence order
   * @return the resolved range
   * @throws NoFootageException {@code NO_SEGMENTS} if {@code headers} is empty, {@code
   *     EMPTY_RANGE} if the start is not before the end, {@code NOT_IN_RANGE} if no segment
   *     overlaps it
   */
  public Resolved resolve(StreamId stream, List<SegmentHeader> headers) throws NoFootageException {
    if (headers.isEmpty()) {
      throw new NoFootageException(NoFootageException.Reason.NO_SEGMENTS, "stream " + stream
          + " has no readable segments");
    }
    Instant first = headers.get(0).startTime();
    Instant start = from != null ? from : fromOffset != null ? first.plus(fromOffset) : Instant.MIN;
    Instant end = to != null ? to : toOffset != null ? first.plus(toOffset) : Instant.MAX;
    if (!start.isBefore(end)) {
      throw new NoFootageException(NoFootageException.Reason.EMPTY_RANGE, "the range's start (" + start
          + ") is not before its end (" + end + ")");
    }
    int n = 0;
    for (SegmentHeader h : headers) {
      if (StreamReader.overlaps(h, start, end)) {
        n++;
      }
    }
    if (n == 0) {
      throw new NoFootageException(NoFootageException.Reason.NOT_IN_RANGE, "no footage of " + stream
          + " in [" + start + ", " + end + ")");
    }
    return new Resolved(start, end, n);
  }

  @Override
  public String toString() {
    return "StreamRange[" + (from != null ? from : fromOffset != null ? "+" + fromOffset : "start") + ", "
        + (to != null ? to : toOffset != null ? "+" + toOffset : "end") + ")";
  }
}
