package dev.obscura.transport.relay;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The WebSocket that {@link RelayPublisher} and {@link RelaySubscriber} run on: a client-side
 * connection that sends whole binary messages one at a time and receives messages on demand. It
 * is the seam between the relay protocol and a platform's HTTP stack.
 *
 * <p>Two implementations ship: {@link JdkWebSocketClient} on {@code java.net.http} (servers and
 * desktops; the default when {@link RelayClientConfig} names none) and {@link
 * OkHttpWebSocketClient} on OkHttp (Android, which has no {@code java.net.http}). Pick one with
 * {@link RelayClientConfig.Builder#webSocketClient}; nothing is discovered by reflection.
 *
 * <p>Contract every implementation keeps:
 *
 * <ul>
 *   <li>{@link #connect} blocks until the upgrade finished. A server that answers the upgrade
 *       with an HTTP status other than 101 is reported as {@link RelayRefusedException} carrying
 *       that status; a handshake slower than {@link Request#connectTimeout()} as {@link
 *       java.net.SocketTimeoutException}; anything else as {@link IOException}.
 *   <li>Header values (the bearer token) never appear in a log line, a {@code toString()} or an
 *       exception message of the implementation.
 *   <li>No WebSocket extension is negotiated (no {@code permessage-deflate}: the relay carries
 *       ciphertext, which does not compress, and an inflater would let a hostile relay make a
 *       small message large).
 *   <li>Listener calls come one at a time, in order, and nothing after {@code onClose} or {@code
 *       onError}. Nothing is delivered without demand ({@link Session#request}): an
 *       implementation that cannot pause its reader blocks it, so the socket is not read.
 * </ul>
 *
 * <p><b>Restrictions:</b> an interface for the relay clients, not a general WebSocket API: no
 * pings, no text sending, no per-frame control.
 */
public interface WebSocketClient {

  /**
   * Opens a WebSocket and blocks until the handshake is done.
   *
   * @param request where to connect, with which headers and subprotocol, and how long to wait
   * @param listener receives what the server sends, on the implementation's threads
   * @return the open connection
   * @throws RelayRefusedException if the server answered the upgrade with another HTTP status
   *     ({@link RelayRefusedException#statusCode()})
   * @throws java.net.SocketTimeoutException if the handshake took longer than {@link
   *     Request#connectTimeout()}
   * @throws java.io.InterruptedIOException if the calling thread was interrupted
   * @throws IOException if the server cannot be reached or the handshake failed otherwise
   */
  Session connect(Request request, Listener listener) throws IOException;

  /** One open WebSocket connection. Thread-safe. */
  interface Session {
    /**
     * Sends one whole binary message. At most one send may be outstanding: send the next one
     * only after the returned future has completed. The caller must not touch {@code message}
     * until then.
     *
     * @param message the message, from its position to its limit
     * @return completes when the message has been written to the socket, exceptionally if the
     *     connection failed or was closed first
     */
    CompletableFuture<Void> sendBinary(ByteBuffer message);

    /**
     * Starts the closing handshake. Messages that arrive afterwards may be dropped.
     *
     * @param code the WebSocket close code (1000 normal, 1002, 1003, 1009, ...)
     * @param reason a short reason, at most 123 bytes of UTF-8; never secret
     * @return completes when the Close frame has been sent (or the close handshake has ended),
     *     exceptionally if it could not be sent
     */
    CompletableFuture<Void> sendClose(int code, String reason);

    /**
     * Asks for {@code n} more listener calls ({@code onBinary} or {@code onText}).
     *
     * @param n how many more, positive
     */
    void request(long n);

    /** Closes the connection at once, without a close handshake. Idempotent. */
    void abort();
  }

  /**
   * What the server sends. Called by the implementation one call at a time; a call must not
   * block for long (copy the data and return).
   */
  interface Listener {
    /**
     * The connection is open. Ask for messages with {@link Session#request} here.
     *
     * @param session the connection
     */
    void onOpen(Session session);

    /**
     * A binary message, or one part of one. Implementations may deliver a message in parts
     * ({@code last} false for all but the final part) or whole.
     *
     * @param session the connection
     * @param data the bytes, readable only during this call
     * @param last whether this part ends the message
     */
    void onBinary(Session session, ByteBuffer data, boolean last);

    /**
     * A text message, or one part of one.
     *
     * @param session the connection
     * @param data the characters, readable only during this call
     * @param last whether this part ends the message
     */
    void onText(Session session, CharSequence data, boolean last);

    /**
     * The server closed the connection (its Close frame arrived).
     *
     * @param session the connection
     * @param code the close code it sent (1005 if none)
     * @param reason its reason text, untrusted
     */
    void onClose(Session session, int code, String reason);

    /**
     * The connection failed: reset, cut, or a protocol error. No further call follows.
     *
     * @param session the connection
     * @param error the cause; its message never holds a header value
     */
    void onError(Session session, Throwable error);
  }

  /**
   * Where and how to connect. Immutable. {@link #toString()} shows header names, never values.
   */
  final class Request {
    private final URI uri;
    private final Map<String, String> headers;
    private final String subprotocol;
    private final Duration connectTimeout;
    private final int maxMessageBytes;

    /**
     * A request.
     *
     * @param uri the {@code ws://} or {@code wss://} address
     * @param headers extra request headers (e.g. {@code Authorization}); copied
     * @param subprotocol the one subprotocol to offer
     * @param connectTimeout how long the TCP connect and the upgrade may take together
     * @param maxMessageBytes the largest message the listener accepts; an implementation that
     *     assembles whole messages should not buffer more than this (a hint: the listener
     *     enforces it)
     * @throws IllegalArgumentException if the scheme is not ws or wss, the timeout is not
     *     positive or {@code maxMessageBytes} is not positive
     */
    public Request(URI uri, Map<String, String> headers, String subprotocol,
        Duration connectTimeout, int maxMessageBytes) {
      this.uri = Objects.requireNonNull(uri, "uri");
      this.subprotocol = Objects.requireNonNull(subprotocol, "subprotocol");
      this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
      String scheme = uri.getScheme();
      if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("WebSocket address must be ws:// or wss://");
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive");
      }
      if (maxMessageBytes < 1) {
        throw new IllegalArgumentException("maxMessageBytes must be positive");
      }
      this.maxMessageBytes = maxMessageBytes;
      this.headers = Collections.unmodifiableMap(
          new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    }

    /** @return the {@code ws://} or {@code wss://} address */
    public URI uri() {
      return uri;
    }

    /** @return the extra request headers, unmodifiable */
    public Map<String, String> headers() {
      return headers;
    }

    /** @return the subprotocol to offer */
    public String subprotocol() {
      return subprotocol;
    }

    /** @return how long the TCP connect and the upgrade may take */
    public Duration connectTimeout() {
      return connectTimeout;
    }

    /** @return the largest message the listener accepts */
    public int maxMessageBytes() {
      return maxMessageBytes;
    }

    @Override
    public String toString() {
      return "WebSocketClient.Request[" + uri + ", headers " + headers.keySet() + ", "
          + subprotocol + "]";
    }
  }
}
