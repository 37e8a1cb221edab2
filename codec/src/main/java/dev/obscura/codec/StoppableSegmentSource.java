package dev.obscura.codec;

import dev.obscura.core.SegmentSource;

/**
 * A {@link SegmentSource} that can be asked, from any thread, to end the recording gracefully:
 * after {@link #requestStop()}, {@link #next()} stops reading input, flushes the encoder and
 * muxer, and returns the remaining (possibly shorter) segment before {@code null}, so nothing
 * captured is lost. Use it to end an open-ended capture (RTSP, V4L2) on a signal.
 */
public interface StoppableSegmentSource extends SegmentSource {
  /** Asks the source to end after the frame or packet being read; safe from any thread. */
  void requestStop();
}
