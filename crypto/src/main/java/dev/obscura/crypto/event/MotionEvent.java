package dev.obscura.crypto.event;

import dev.obscura.core.EpochId;
import dev.obscura.core.EventId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.sign.VerifyingKey;
import java.time.Instant;
import java.util.Objects;

/**
 * One motion event as a device opened it ({@link MotionEventReader}): verified, decrypted and in
 * order.
 *
 * @param id the opaque id (what a push carries)
 * @param stream the camera's stream
 * @param epoch the epoch whose key sealed it
 * @param sequence the camera's event counter within that epoch (from 0)
 * @param start when the motion began
 * @param end when it ended
 * @param peak the time of the frame with the most motion (the thumbnail's frame)
 * @param firstSegment the sequence of the first segment of the stream holding the motion
 * @param lastSegment the sequence of the last one (inclusive)
 * @param thumbnail the JPEG of the frame with the most motion
 * @param sealedBytes the size of the sealed record (a bucket size)
 * @param camera the camera key whose signature was verified
 * @param gapBefore how many events of the same epoch are missing before this one, as this
 *     device's {@link EventReplayGuard} saw the stream: sequences count from 0 within an epoch,
 *     so it is {@code sequence - 1 - s} after the device accepted sequence {@code s} of this
 *     epoch, and {@code sequence} when this is the first event of the epoch the device accepts.
 *     Not 0: events were withheld (or deleted) by the store or the bus, or the device started
 *     reading after them. A withheld tail of an epoch shows no gap.
 */
public record MotionEvent(EventId id, StreamId stream, EpochId epoch, long sequence, Instant start, Instant end,
    Instant peak, long firstSegment, long lastSegment, byte[] thumbnail, int sealedBytes, VerifyingKey camera,
    long gapBefore) {
  public MotionEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(peak, "peak");
    Objects.requireNonNull(thumbnail, "thumbnail");
    Objects.requireNonNull(camera, "camera");
    if (gapBefore < 0 || gapBefore > sequence) {
      throw new IllegalArgumentException("gapBefore " + gapBefore + " is outside 0.." + sequence);
    }
  }

  /**
   * The thumbnail.
   *
   * @return a copy of the JPEG bytes
   */
  @Override
  public byte[] thumbnail() {
    return thumbnail.clone();
  }

  @Override
  public String toString() {
    return "MotionEvent[" + id + ", " + stream + " " + epoch + " #" + sequence + ", " + start + " .. " + end
        + ", segments " + firstSegment + ".." + lastSegment + ", thumbnail " + thumbnail.length + " bytes" + (gapBefore > 0 ? ", " + gapBefore + " missing before" : "")
        + "]";
  }
}
