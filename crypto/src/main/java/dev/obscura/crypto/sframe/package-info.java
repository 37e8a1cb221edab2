/**
 * Live view: per-frame SFrame encryption (RFC 9605) under keys derived from epoch keys.
 *
 * <p>{@link dev.obscura.crypto.sframe.SFrameSender} seals the frames of one stream and
 * {@link dev.obscura.crypto.sframe.SFrameReceiver} opens them; a
 * {@link dev.obscura.crypto.sframe.CounterStore} (usually a
 * {@link dev.obscura.crypto.sframe.FileCounterStore}) keeps the sender's counter across crashes.
 * {@link dev.obscura.crypto.sframe.SFrameHeader} parses the public header, for routing.
 * The format is specified in {@code docs/spec/live-sframe-v1.md}.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * // camera
 * try (FileCounterStore counters = FileCounterStore.open(stateDir.resolve("front-door.ctr"));
 *     SFrameSender sender = SFrameSender.builder(epochKey, counters).build()) {
 *   relay.send(sender.seal(frame));
 * }
 * // viewer
 * SFrameReceiver receiver = SFrameReceiver.builder(StreamId.of("front-door")).build();
 * receiver.addEpochKey(epochKey);
 * EncodedFrame frame = receiver.openFrame(sealed);
 * }</pre>
 */
package dev.obscura.crypto.sframe;
