package dev.obscura.transport.relay;

import dev.obscura.transport.internal.NotOnAndroid;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link WebSocketClient} on the JDK's {@link java.net.http.WebSocket}: no dependency beyond
 * the JDK, for servers and desktops. It is what {@link RelayPublisher} and {@link
 * RelaySubscriber} use when {@link RelayClientConfig} names no client.
 *
 * <p>This is the only class of the relay client that refers to {@code java.net.http}, so an
 * Android app that passes {@link OkHttpWebSocketClient} never loads it (and Android API checks
 * exclude it by name).
 *
 * <p><b>Security guarantees:</b> header values (the bearer token) go to {@link
 * java.net.http.WebSocket.Builder#header} only; exceptions carry the HTTP status or the cause's
 * class name, never a header.
 *
 * <p><b>Restrictions:</b> not for Android (no {@code java.net.http} there). The JDK offers no
 * WebSocket extensions, so none is negotiated.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * HttpClient shared = HttpClient.newHttpClient(); // one selector thread for many viewers
 * RelayClientConfig config = RelayClientConfig.builder()
 *     .webSocketClient(JdkWebSocketClient.create(shared)).build();
 * }</pre>
 */
@NotOnAndroid
public final class JdkWebSocketClient implements WebSocketClient {
  private final HttpClient shared; // null: a new HttpClient per connection

  private JdkWebSocketClient(HttpClient shared) {
    this.shared = shared;
  }

  /**
   * A client that builds a new {@link HttpClient} (with the request's connect timeout) for each
   * connection.
   *
   * @return the client
   */
  public static JdkWebSocketClient create() {
    return new JdkWebSocketClient(null);
  }

  /**
   * A client that opens every connection on one {@link HttpClient}, to share its selector thread
   * among many connections. Its own connect timeout applies to TCP; the request's to the
   * upgrade.
   *
   * @param httpClient the client to connect with
   * @return the client
   */
  public static JdkWebSocketClient create(HttpClient httpClient) {
    return new JdkWebSocketClient(Objects.requireNonNull(httpClient, "httpClient"));
  }

  @Override
  public Session connect(Request request, Listener listener) throws IOException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    HttpClient client = shared != null ? shared
        : HttpClient.newBuilder().connectTimeout(request.connectTimeout()).build();
    WebSocket.Builder builder = client.newWebSocketBuilder()
        .subprotocols(request.subprotocol())
        .connectTimeout(request.connectTimeout());
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      builder.header(h.getKey(), h.getValue());
    }
    JdkSession session = new JdkSession();
    CompletableFuture<WebSocket> opening =
        builder.buildAsync(request.uri(), new Adapter(session, listener));
    try {
      session.ws = opening.get(request.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      return session;
    } catch (InterruptedException e) {
      opening.thenAccept(WebSocket::abort);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted during the WebSocket handshake");
    } catch (TimeoutException e) {
      opening.thenAccept(WebSocket::abort);
      throw new SocketTimeoutException("WebSocket handshake timed out after "
          + request.connectTimeout().toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof WebSocketHandshakeException h) {
        int status = h.getResponse().statusCode();
        throw new RelayRefusedException("WebSocket upgrade refused with HTTP " + status, status);
      }
      if (c instanceof HttpTimeoutException) { // the connect or the upgrade took too long
        throw new SocketTimeoutException("WebSocket handshake timed out after "
            + request.connectTimeout().toMillis() + " ms");
      }
      if (c instanceof IOException io) {
        throw new IOException("WebSocket connection failed: " + io.getClass().getSimpleName(),
            io);
      }
      throw new IOException("WebSocket connection failed", c);
    }
  }

  @Override
  public String toString() {
    return "JdkWebSocketClient[" + (shared != null ? "shared HttpClient" : "HttpClient per connection")
        + "]";
  }

  @NotOnAndroid
  private static final class JdkSession implements Session {
    volatile WebSocket ws; // set by onOpen, before any other listener call

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer message) {
      return ws.sendBinary(message, true).thenApply(w -> null);
    }

    @Override
    public CompletableFuture<Void> sendClose(int code, String reason) {
      return ws.sendClose(code, reason).thenApply(w -> null);
    }

    @Override
    public void request(long n) {
      ws.request(n);
    }

    @Override
    public void abort() {
      ws.abort();
    }
  }

  @NotOnAndroid
  private static final class Adapter implements WebSocket.Listener {
    private final JdkSession session;
    private final Listener listener;

    Adapter(JdkSession session, Listener listener) {
      this.session = session;
      this.listener = listener;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      session.ws = webSocket;
      listener.onOpen(session);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      listener.onBinary(session, data, last);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      listener.onText(session, data, last);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      listener.onClose(session, statusCode, reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      listener.onError(session, error);
    }
  }
}
