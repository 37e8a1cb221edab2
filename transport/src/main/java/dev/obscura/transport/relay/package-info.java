/**
 * The live relay: an untrusted WebSocket fan-out of sealed frames from a camera to the viewers
 * of its household, and the clients for both ends. Protocol: {@code docs/spec/relay-v1.md}.
 *
 * <p>Start here: {@link dev.obscura.transport.relay.RelayServer} (the relay, on Jetty 12),
 * {@link dev.obscura.transport.relay.RelayPublisher} (camera side) and {@link
 * dev.obscura.transport.relay.RelaySubscriber} (viewer side). The two clients talk WebSocket
 * through {@link dev.obscura.transport.relay.WebSocketClient}, chosen in {@link
 * dev.obscura.transport.relay.RelayClientConfig}: {@link
 * dev.obscura.transport.relay.JdkWebSocketClient} ({@code java.net.http}, the default, for
 * servers and desktops) or {@link dev.obscura.transport.relay.OkHttpWebSocketClient} (OkHttp 5,
 * for Android, which has no {@code java.net.http}).
 *
 * <p><b>On Android:</b> add {@code com.squareup.okhttp3:okhttp} (the version in {@code
 * obscura-bom}; Gradle picks its Android variant; it brings Okio and the Kotlin standard
 * library) and pass the app's {@code OkHttpClient} explicitly:
 *
 * <pre>{@code
 * RelayClientConfig config = RelayClientConfig.builder()
 *     .webSocketClient(OkHttpWebSocketClient.create(okHttpClient))
 *     .build();
 * RelaySubscriber sub = RelaySubscriber.connect(relayUri, stream, token, config);
 * }</pre>
 *
 * <p>Nothing is discovered by reflection. Only {@code JdkWebSocketClient} (and its nested
 * classes) names {@code java.net.http}, and the clients name it only when no client was
 * configured, so an app that passes the OkHttp client never loads a {@code java.net.http}
 * class; Android API checks exclude {@code JdkWebSocketClient*} by name. Likewise only {@code
 * OkHttpWebSocketClient} names OkHttp, an optional dependency servers never need.
 *
 * <p><b>Security guarantees:</b> nothing in this package sees a key or a plaintext frame: it
 * moves SFrame ciphertexts and sealed key envelopes made by {@code dev.obscura.crypto}, and
 * parses only a 24-byte public header. Tokens never appear in logs, {@code toString()} or
 * exception messages.
 */
package dev.obscura.transport.relay;
