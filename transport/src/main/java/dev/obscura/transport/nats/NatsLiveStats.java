package dev.obscura.transport.nats;

/**
 * A snapshot of a {@link NatsLiveSubscriber}'s counters. Counts only, never payload bytes.
 *
 * <p>A <em>skip event</em> is one overflow of the viewer's bounded queue (its consumer was too
 * slow): the queue was dropped and the viewer restarted at the next keyframe; <em>skipped
 * frames</em> are the frames so lost. A <em>gap</em> is a frame whose sequence number did not
 * follow the previous one (frames lost in the network, on a reconnect or dropped by the camera);
 * after a gap the viewer waits for a keyframe. <em>Duplicates</em> are frames whose sequence was
 * seen already (the stored keyframe and the live one, a redelivery after a reconnect) and
 * envelopes seen already: dropped, never handed over twice.
 *
 * @param received NATS messages received, stored ones included
 * @param delivered messages handed to the consumer by {@code next}
 * @param envelopes envelopes handed over
 * @param frames frames handed over
 * @param duplicates messages dropped as already seen
 * @param gaps sequence gaps
 * @param skipEvents queue overflows
 * @param skippedFrames frames lost to overflows
 * @param malformed messages refused as malformed or oversize
 * @param reconnects times the connection came back after a loss
 * @param catchUps reads of the stored envelope and keyframe (at join and after each reconnect)
 */
public record NatsLiveStats(
    long received,
    long delivered,
    long envelopes,
    long frames,
    long duplicates,
    long gaps,
    long skipEvents,
    long skippedFrames,
    long malformed,
    long reconnects,
    long catchUps) {}
