package dev.obscura.crypto.padding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The policies that send on a fixed schedule, {@code cbr} and {@code interval}: a send at every
 * multiple of a tick on the shaper's clock, of a size that depends only on the tick, with the
 * queued video first and padding for the rest.
 */
abstract class ScheduledPadding implements PaddingPolicy {

  /**
   * The most sends one {@link Shaper#offer} or {@link Shaper#advance} call returns: a longer
   * jump is refused (call {@code advance} more often) rather than filling the memory.
   */
  static final int MAX_SENDS_PER_CALL = 1_000_000;

  private final long tickMicros;

  ScheduledPadding(long tickMicros) {
    this.tickMicros = tickMicros;
  }

  /** The size of the send at tick {@code k} (at {@code k * tickMicros}); 0 means no send. */
  abstract int sliceBytes(long k);

  /** The time between two sends, in microseconds. */
  final long tickMicros() {
    return tickMicros;
  }

  /**
   * The window a pacing sender may merge sends within ({@link Pacer}): a span of the shaper's
   * clock, a whole number of ticks, whose sends always add up to {@link #windowBytes()}.
   */
  abstract long windowMicros();

  /** The bytes of every window. */
  abstract long windowBytes();

  /** The smallest send of the schedule. */
  abstract int smallestSend();

  @Override
  public Shaper newShaper() {
    return new ScheduleShaper();
  }

  @Override
  public String toString() {
    return describe();
  }

  private final class ScheduleShaper implements Shaper {
    private final MonotonicClock clock = new MonotonicClock();
    /** The index of the next tick; its time is next * tickMicros. */
    private long next;
    /** No tick is left before the end of the clock. */
    private boolean done;
    /** Video bytes offered and not yet sent. */
    private long queued;

    @Override
    public List<Send> offer(long micros, int bytes, boolean keyframe) {
      MonotonicClock.checkBytes(bytes);
      clock.check(micros);
      start(micros);
      List<Send> sends = new ArrayList<>();
      emit(sends, micros, true, false);
      emit(sends, micros, false, true);
      try {
        queued = Math.addExact(queued, bytes);
      } catch (ArithmeticException e) {
        throw new IllegalStateException(
            "the shaper's queue passed Long.MAX_VALUE bytes: the video far outruns the policy", e);
      }
      emit(sends, micros, true, true);
      clock.at(micros);
      return sends;
    }

    @Override
    public List<Send> advance(long micros) {
      clock.check(micros);
      start(micros);
      List<Send> sends = new ArrayList<>();
      emit(sends, micros, true, false);
      emit(sends, micros, true, true);
      clock.at(micros);
      return sends;
    }

    private void start(long micros) {
      if (clock.started()) {
        return;
      }
      long k = Math.floorDiv(micros, tickMicros);
      if (k * tickMicros != micros) {
        k++;
      }
      next = k;
      done = !exists(k);
    }

    /** Whether tick k falls on the clock (its time fits a long). */
    private boolean exists(long k) {
      try {
        Math.multiplyExact(k, tickMicros);
        return true;
      } catch (ArithmeticException e) {
        return false;
      }
    }

    private long tickTime(long k) {
      return k * tickMicros;
    }

    /**
     * Adds the sends of the ticks before (or at, when inclusive) {@code limit}; when only
     * checking, refuses a jump too long before anything changes.
     */
    private void emit(List<Send> sends, long limit, boolean inclusive, boolean doIt) {
      if (done) {
        return;
      }
      long first = tickTime(next);
      if (first > limit || (first == limit && !inclusive)) {
        return;
      }
      long span;
      try {
        span = Math.subtractExact(limit, first);
      } catch (ArithmeticException e) {
        span = Long.MAX_VALUE;
      }
      long count = span / tickMicros + 1;
      if (!inclusive && first + (count - 1) * tickMicros == limit) {
        count--;
      }
      if (count > MAX_SENDS_PER_CALL) {
        throw new IllegalArgumentException(
            "the time jumped " + span + " us at once, more than "
                + MAX_SENDS_PER_CALL + " sends: call advance more often");
      }
      if (!doIt) {
        return;
      }
      for (long i = 0; i < count; i++) {
        long at = tickTime(next);
        int size = sliceBytes(next);
        if (size > 0) {
          int video = (int) Math.min(queued, size);
          queued -= video;
          sends.add(new Send(at, size, size - video));
        }
        next++;
        if (!exists(next)) {
          done = true;
          return;
        }
      }
    }
  }

  /** {@code cbr}: ten slices a second that add up to exactly the rate. */
  static final class Cbr extends ScheduledPadding {
    static final long SLICE_MICROS = 100_000L;
    private final long bytesPerSecond;

    Cbr(long bytesPerSecond) {
      super(SLICE_MICROS);
      if (bytesPerSecond < 1 || bytesPerSecond > 10L * Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "cbr needs 1 to " + 10L * Integer.MAX_VALUE + " bytes per second, not "
                + bytesPerSecond);
      }
      this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    int sliceBytes(long k) {
      long i = Math.floorMod(k, 10L);
      return (int) (upTo(i + 1) - upTo(i));
    }

    @Override
    long windowMicros() {
      return 1_000_000L;
    }

    @Override
    long windowBytes() {
      return bytesPerSecond;
    }

    @Override
    int smallestSend() {
      return (int) (bytesPerSecond / 10);
    }

    /**
     * A stored segment of {@code durationMicros} carries ceil(B * d) bytes: one upload of that size
     * per segment, the {@link Interval} rule (docs/padding.md). Under 1 ms, or 0, the segment is
     * left as it is (no duration to carry a rate over).
     */
    @Override
    public PaddingPolicy forSegment(long durationMicros) {
      if (durationMicros < 1000L) {
        return this;
      }
      long seconds = durationMicros / 1_000_000L;
      long rest = durationMicros % 1_000_000L;
      long budget;
      try {
        budget = Math.addExact(Math.multiplyExact(seconds, bytesPerSecond),
            (rest * bytesPerSecond + 999_999L) / 1_000_000L);
      } catch (ArithmeticException e) {
        budget = Integer.MAX_VALUE;
      }
      int unit = (int) Math.min(Integer.MAX_VALUE, Math.max(1L, budget));
      return new Interval(Duration.of(durationMicros, java.time.temporal.ChronoUnit.MICROS), unit);
    }

    /** floor(B * i / 10) without overflow. */
    private long upTo(long i) {
      return bytesPerSecond / 10 * i + bytesPerSecond % 10 * i / 10;
    }

    @Override
    public String name() {
      return "cbr";
    }

    @Override
    public String describe() {
      return "cbr(" + bytesPerSecond + " B/s)";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cbr && ((Cbr) o).bytesPerSecond == bytesPerSecond;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(bytesPerSecond);
    }
  }

  /** {@code interval}: one upload of a fixed size at every multiple of the period. */
  static final class Interval extends ScheduledPadding {
    private final long periodMicros;
    private final int bytes;

    Interval(Duration period, int bytes) {
      super(micros(period));
      this.periodMicros = micros(period);
      if (bytes < 1) {
        throw new IllegalArgumentException("an interval upload has at least 1 byte, not " + bytes);
      }
      this.bytes = bytes;
    }

    private static long micros(Duration period) {
      Objects.requireNonNull(period, "period");
      if (period.compareTo(Duration.ofMillis(1)) < 0 || period.getNano() % 1000 != 0) {
        throw new IllegalArgumentException(
            "the interval period must be at least 1 ms and a whole number of microseconds, not "
                + period);
      }
      try {
        return Math.addExact(
            Math.multiplyExact(period.getSeconds(), 1_000_000L), period.getNano() / 1000L);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("the interval period " + period + " is too long", e);
      }
    }

    @Override
    int sliceBytes(long k) {
      return bytes;
    }

    @Override
    long windowMicros() {
      return periodMicros;
    }

    @Override
    long windowBytes() {
      return bytes;
    }

    @Override
    int smallestSend() {
      return bytes;
    }

    @Override
    public int paddedSize(int unit) {
      MonotonicClock.checkBytes(unit);
      long uploads = Math.max(1L, (unit + (long) bytes - 1) / bytes);
      long size = uploads * bytes;
      return size > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) size;
    }

    @Override
    public String name() {
      return "interval";
    }

    @Override
    public String describe() {
      String p;
      if (periodMicros % 1_000_000L == 0) {
        p = periodMicros / 1_000_000L + "s";
      } else if (periodMicros % 1000L == 0) {
        p = periodMicros / 1000L + "ms";
      } else {
        p = periodMicros + "us";
      }
      return "interval(" + p + ", " + bytes + " B)";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Interval
          && ((Interval) o).periodMicros == periodMicros
          && ((Interval) o).bytes == bytes;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(periodMicros) * 31 + bytes;
    }
  }
}
