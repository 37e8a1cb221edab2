/**
 * Live view as SDK types: {@link dev.obscura.crypto.live.LiveCamera} seals each encoded frame
 * with SFrame (RFC 9605) under the current epoch's key and publishes it, with a signed key
 * envelope ahead of every epoch's first frame; {@link dev.obscura.crypto.live.LiveViewer} checks
 * every envelope and frame a transport delivers and hands on only verified, fresh, decodable
 * frames. Both take the transport-neutral interfaces of {@code dev.obscura.core} ({@link
 * dev.obscura.core.LivePublisher}, {@link dev.obscura.core.LiveSubscriber}); the embedded relay
 * implements them in {@code dev.obscura.transport.relay.RelayLive}.
 *
 * <p><b>Security guarantees:</b> the transport carries only SFrame ciphertexts and sealed
 * envelopes signed by the camera; it can drop, delay and withhold, never make a viewer accept a
 * forged, replayed, reordered, stale or unannounced frame, nor an envelope of a foreign camera, a
 * retired camera key, another stream, an older epoch or an old session. Keys are wrapped only to
 * the roster the camera trusts (pinned at pairing, followed through validly signed successors),
 * so a revoked device gets no key from the next keyframe after its revocation.
 *
 * <p><b>Restrictions:</b> neither type is thread-safe. Neither needs a codec: frames are {@link
 * dev.obscura.core.EncodedFrame}s from any {@link dev.obscura.core.FrameSource}.
 *
 * <p><b>Sample</b> (the two ten-line examples of the README, compiled and run by a test):
 *
 * <pre>{@code
 * // camera
 * try (LivePublisher relay = RelayLive.connectPublisher(uri, stream, publishToken, RelayClientConfig.defaults());
 *     LiveCamera live = LiveCamera.builder().store(store).stream(stream).camera(camera).publisher(relay).build()) {
 *   live.run(frames);
 * }
 * // viewer
 * try (LiveSubscriber relay = RelayLive.connectSubscriber(uri, stream, subscribeToken, RelayClientConfig.defaults());
 *     LiveViewer viewer = LiveViewer.builder(stream, phone, verifiedStore).build()) {
 *   viewer.watch(relay, Duration.ofMinutes(1), decoder::decode);
 * }
 * }</pre>
 */
package dev.obscura.crypto.live;
