package dev.obscura.crypto.event;

import java.time.Instant;
import java.util.Objects;

/**
 * What a motion detector reports of one event, before the camera seals it ({@link
 * dev.obscura.crypto.Recorder#recordEvent}): the recorder adds the stream, the segment range,
 * the id and the sequence.
 *
 * @param start when the motion began
 * @param end when it ended (not before {@code start})
 * @param peak the time of the frame with the most motion
 * @param thumbnail a JPEG of that frame, at most {@link MotionEventFormat#MAX_THUMBNAIL_BYTES}
 *     (not copied: nobody modifies it after)
 */
public record MotionEventDraft(Instant start, Instant end, Instant peak, byte[] thumbnail) {
  public MotionEventDraft {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(peak, "peak");
    Objects.requireNonNull(thumbnail, "thumbnail");
    for (Instant t : new Instant[] {start, end, peak}) {
      if (!MotionEventFormat.fits(t)) {
        throw new IllegalArgumentException(t + " is outside what an event records"
            + " (microseconds since 1970 in 64 bits)");
      }
    }
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("an event ends (" + end + ") before it starts (" + start + ")");
    }
    if (thumbnail.length > MotionEventFormat.MAX_THUMBNAIL_BYTES) {
      throw new IllegalArgumentException("thumbnail of " + thumbnail.length + " bytes exceeds "
          + MotionEventFormat.MAX_THUMBNAIL_BYTES + ": shrink it before sealing");
    }
  }
}
