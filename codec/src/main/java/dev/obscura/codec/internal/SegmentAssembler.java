package dev.obscura.codec.internal;

import dev.obscura.codec.MalformedMediaException;
import dev.obscura.core.MediaSegment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Groups fragments ({@code moof}+{@code mdat}, each starting at a keyframe) into self-contained
 * segments of about the target duration: each segment is the current init followed by its
 * fragments. A fragment is added to the open segment unless the segment would end nearer the
 * target without it; a segment is closed as soon as it reaches the target, when the init changes
 * and at the end. Internal: not API.
 */
public final class SegmentAssembler implements FragmentedMp4Splitter.Listener {
  private final long targetMicros;
  private Instant wallClockStart = Instant.EPOCH;
  private final Deque<MediaSegment> ready = new ArrayDeque<>();
  private byte[] init;
  private Boxes.InitInfo initInfo;
  private final ByteArrayOutputStream open = new ByteArrayOutputStream();
  private long openStartMicros = -1;
  private long openDurationMicros;
  private int openFrames;
  private long nextIndex;
  // media time origin: offsetMicros + (tfdt - baseTicks) / timescale
  private long baseTicks = -1;
  private long offsetMicros;
  private long endMicros;
  private boolean skippedLeadingNonKey;

  public SegmentAssembler(Duration target, Instant wallClockStart) {
    this(target);
    this.wallClockStart = wallClockStart;
  }

  /** Without a start yet: set it with {@link #wallClockStart(Instant)} before the first fragment. */
  public SegmentAssembler(Duration target) {
    this.targetMicros = target.toNanos() / 1000;
  }

  /** The wall-clock time of media time zero. */
  public void wallClockStart(Instant start) {
    this.wallClockStart = start;
  }

  @Override
  public void init(byte[] initBytes, Boxes.InitInfo info) throws MalformedMediaException {
    closeOpen();
    if (init != null) {
      offsetMicros = endMicros;
      baseTicks = -1;
    }
    init = initBytes;
    initInfo = info;
  }

  @Override
  public void fragment(byte[] fragment, Boxes.FragmentInfo info) throws IOException {
    if (info.sampleCount() == 0) {
      return;
    }
    if (openStartMicros < 0 && !info.startsWithKeyframe()) {
      // cannot start a self-contained segment here; only happens before the first keyframe
      skippedLeadingNonKey = true;
      return;
    }
    if (baseTicks < 0) {
      baseTicks = info.baseDecodeTime();
    }
    long start = offsetMicros + micros(info.baseDecodeTime() - baseTicks);
    long dur = micros(info.duration());
    if (openStartMicros >= 0 && info.startsWithKeyframe()) {
      long with = openDurationMicros + dur - targetMicros;
      long without = targetMicros - openDurationMicros;
      if (with > without) {
        closeOpen();
      }
    }
    if (openStartMicros < 0) {
      open.write(init);
      openStartMicros = start;
    }
    open.write(fragment);
    openDurationMicros = start + dur - openStartMicros;
    openFrames += info.sampleCount();
    endMicros = Math.max(endMicros, start + dur);
    if (openDurationMicros >= targetMicros - targetMicros / 100) {
      closeOpen();
    }
  }

  /** Closes the open segment at the end of the stream. */
  public void finish() throws MalformedMediaException {
    closeOpen();
  }

  /** The next complete segment, or null. */
  public MediaSegment poll() {
    return ready.poll();
  }

  /** Whether fragments before the first keyframe were dropped. */
  public boolean skippedLeadingNonKey() {
    return skippedLeadingNonKey;
  }

  private void closeOpen() throws MalformedMediaException {
    if (openStartMicros < 0) {
      return;
    }
    Instant start;
    try {
      start = wallClockStart.plus(openStartMicros, ChronoUnit.MICROS);
    } catch (DateTimeException | ArithmeticException e) {
      throw new MalformedMediaException("media time out of range", null);
    }
    ready.add(new MediaSegment(nextIndex++, start, openStartMicros, Math.max(0, openDurationMicros), openFrames,
        open.toByteArray()));
    open.reset();
    openStartMicros = -1;
    openDurationMicros = 0;
    openFrames = 0;
  }

  private long micros(long ticks) throws MalformedMediaException {
    long ts = initInfo.timescale();
    try {
      return Math.addExact(Math.multiplyExact(ticks / ts, 1_000_000L), (ticks % ts) * 1_000_000L / ts);
    } catch (ArithmeticException e) {
      throw new MalformedMediaException("media time out of range", null);
    }
  }
}
