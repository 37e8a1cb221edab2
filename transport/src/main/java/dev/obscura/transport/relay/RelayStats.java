package dev.obscura.transport.relay;

import dev.obscura.core.StreamId;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a relay's counters: totals, per stream, and per connected viewer. Counts only,
 * never tokens or payload bytes.
 *
 * <p>A <em>skip event</em> is one time a viewer's queue overflowed: the relay dropped the frames
 * queued for it and everything after them up to the next keyframe. <em>Skipped frames</em> are
 * the frames so dropped. Frames a new viewer does not get while it waits for its first keyframe
 * are not skips. Stream and total counts include viewers that have since left.
 *
 * @param framesIn FRAME messages received from publishers
 * @param bytesIn bytes of FRAME and ENVELOPE messages received from publishers
 * @param envelopesIn ENVELOPE messages received from publishers
 * @param messagesOut messages written to viewers
 * @param bytesOut bytes written to viewers
 * @param skippedFrames frames dropped for slow viewers
 * @param skipEvents queue overflows
 * @param streams per-stream counters, in configuration order
 */
public record RelayStats(
    long framesIn,
    long bytesIn,
    long envelopesIn,
    long messagesOut,
    long bytesOut,
    long skippedFrames,
    long skipEvents,
    List<StreamStats> streams) {

  public RelayStats {
    streams = List.copyOf(streams);
  }

  /** The counters of one stream, if it is configured. */
  public Optional<StreamStats> stream(StreamId id) {
    return streams.stream().filter(s -> s.stream().equals(id)).findFirst();
  }

  /**
   * Counters of one stream.
   *
   * @param stream the stream
   * @param publisherConnected whether a publisher is connected now
   * @param framesIn FRAME messages received
   * @param bytesIn bytes received
   * @param envelopesIn ENVELOPE messages received
   * @param messagesOut messages written to viewers
   * @param bytesOut bytes written to viewers
   * @param skippedFrames frames dropped for slow viewers
   * @param skipEvents queue overflows
   * @param malformed messages refused as malformed or oversize
   * @param viewers the viewers connected now
   */
  public record StreamStats(
      StreamId stream,
      boolean publisherConnected,
      long framesIn,
      long bytesIn,
      long envelopesIn,
      long messagesOut,
      long bytesOut,
      long skippedFrames,
      long skipEvents,
      long malformed,
      List<ViewerStats> viewers) {
    public StreamStats {
      viewers = List.copyOf(viewers);
    }
  }

  /**
   * Counters of one connected viewer.
   *
   * @param viewerId the relay's number for this connection (also in its log lines)
   * @param queuedMessages messages waiting in its queue now
   * @param queuedBytes bytes waiting in its queue now
   * @param messagesOut messages written to it
   * @param bytesOut bytes written to it
   * @param skippedFrames frames dropped for it
   * @param skipEvents its queue overflows
   * @param awaitingKeyframe whether it is waiting for a keyframe now
   */
  public record ViewerStats(
      long viewerId,
      int queuedMessages,
      long queuedBytes,
      long messagesOut,
      long bytesOut,
      long skippedFrames,
      long skipEvents,
      boolean awaitingKeyframe) {}
}
