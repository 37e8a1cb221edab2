/**
 * The live relay: an untrusted WebSocket fan-out of sealed frames from a camera to the viewers
 * of its household, and the clients for both ends. Protocol: {@code docs/spec/relay-v1.md}.
 *
 * <p>Start here: {@link dev.obscura.transport.relay.RelayServer} (the relay, on Jetty 12),
 * {@link dev.obscura.transport.relay.RelayPublisher} (camera side) and {@link
 * dev.obscura.transport.relay.RelaySubscriber} (viewer side), both on the JDK's {@code
 * java.net.http.WebSocket} only.
 *
 * <p><b>Security guarantees:</b> nothing in this package sees a key or a plaintext frame: it
 * moves SFrame ciphertexts and sealed key envelopes made by {@code dev.obscura.crypto}, and
 * parses only a 24-byte public header. Tokens never appear in logs, {@code toString()} or
 * exception messages.
 */
package dev.obscura.transport.relay;
