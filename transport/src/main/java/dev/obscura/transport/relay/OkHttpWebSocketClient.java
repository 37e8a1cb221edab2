package dev.obscura.transport.relay;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * The {@link WebSocketClient} on OkHttp ({@code com.squareup.okhttp3:okhttp} 5), for Android,
 * which has no {@code java.net.http}. OkHttp is an optional dependency of this artifact: an app
 * that uses this class adds it (version from {@code obscura-bom}).
 *
 * <p>How it maps the contract onto OkHttp:
 *
 * <ul>
 *   <li>Back-pressure on sending: OkHttp queues messages and reports no write completion, so the
 *       future of {@link Session#sendBinary} completes when OkHttp's outgoing queue is empty
 *       again ({@link WebSocket#queueSize()} is 0: the message has been written to the socket),
 *       checked by one daemon thread per client while a send is pending (every 20 &micro;s to 1
 *       ms). A message over OkHttp's 16 MiB queue limit fails.
 *   <li>Back-pressure on receiving: OkHttp has no demand signal, so its reader thread waits in
 *       the callback until {@link Session#request} gives demand; while it waits the socket is not
 *       read, exactly as with the JDK client.
 *   <li>No {@code permessage-deflate}: OkHttp offers it by default; this client removes the
 *       offer with an interceptor and refuses a server that answers with any extension.
 * </ul>
 *
 * <p><b>Security guarantees:</b> header values (the bearer token) are sent only as request
 * headers; exceptions carry the HTTP status or the cause's class name; nothing is logged. Do
 * not add OkHttp's {@code HttpLoggingInterceptor} at level {@code HEADERS} or {@code BODY} to the
 * client you pass without {@code redactHeader("Authorization")}.
 *
 * <p><b>Restrictions:</b> OkHttp assembles each incoming message whole before delivering it, so
 * {@link WebSocketClient.Request#maxMessageBytes()} is enforced after the message was read (a
 * hostile relay can make it buffer as much as it sends in one message) rather than part by part.
 * The client you pass keeps its own dispatcher, connection pool and TLS settings; connect and
 * handshake-read timeouts come from the request.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * OkHttpClient okHttp = new OkHttpClient(); // the app's shared client
 * RelayClientConfig config = RelayClientConfig.builder()
 *     .webSocketClient(OkHttpWebSocketClient.create(okHttp)).build();
 * RelaySubscriber sub = RelaySubscriber.connect(relayUri, stream, token, config);
 * }</pre>
 */
public final class OkHttpWebSocketClient implements WebSocketClient {
  private static final String EXTENSIONS = "Sec-WebSocket-Extensions";
  private static final String PROTOCOL = "Sec-WebSocket-Protocol";

  private final OkHttpClient client;
  private final SendPoller poller = new SendPoller();

  private OkHttpWebSocketClient(OkHttpClient client) {
    this.client = client;
  }

  /**
   * A client on the app's {@link OkHttpClient} (sharing its dispatcher and connection pool).
   *
   * @param okHttpClient the client to derive connections from; not modified
   * @return the client
   */
  public static OkHttpWebSocketClient create(OkHttpClient okHttpClient) {
    return new OkHttpWebSocketClient(Objects.requireNonNull(okHttpClient, "okHttpClient"));
  }

  /**
   * A client on a new {@link OkHttpClient} with OkHttp's defaults.
   *
   * @return the client
   */
  public static OkHttpWebSocketClient create() {
    return create(new OkHttpClient());
  }

  @Override
  public Session connect(Request request, Listener listener) throws IOException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    long timeoutMillis = request.connectTimeout().toMillis();
    OkHttpClient c = client.newBuilder()
        .connectTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .readTimeout(timeoutMillis, TimeUnit.MILLISECONDS) // the upgrade response only
        .addInterceptor(chain -> chain.proceed(
            chain.request().newBuilder().removeHeader(EXTENSIONS).build()))
        .build();
    okhttp3.Request.Builder b = new okhttp3.Request.Builder()
        .url(request.uri().toString())
        .header(PROTOCOL, request.subprotocol());
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    OkSession session = new OkSession(listener, request.subprotocol());
    WebSocket ws = c.newWebSocket(b.build(), session.adapter);
    session.ws = ws;
    try {
      session.opened.get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
      return session;
    } catch (InterruptedException e) {
      session.abort();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted during the WebSocket handshake");
    } catch (TimeoutException e) {
      session.abort();
      throw new SocketTimeoutException("WebSocket handshake timed out after " + timeoutMillis
          + " ms");
    } catch (ExecutionException e) {
      session.abort();
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io; // made by the adapter: typed, and free of header values
      }
      throw new IOException("WebSocket connection failed", cause);
    }
  }

  @Override
  public String toString() {
    return "OkHttpWebSocketClient";
  }

  /** One connection: the {@link Session} and, as {@link #adapter}, OkHttp's listener. */
  private final class OkSession implements Session {
    final CompletableFuture<Void> opened = new CompletableFuture<>();
    final WebSocketListener adapter = new Adapter();
    volatile WebSocket ws; // set right after newWebSocket, before any callback can need it
    private final Listener listener;
    private final String subprotocol;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demandChanged = lock.newCondition();
    private long demand; // guarded by lock
    private boolean delivering = true; // guarded by lock; false once closing or aborted
    private boolean terminated; // guarded by lock: onClose or onError delivered, or aborted
    private CompletableFuture<Void> pendingSend; // guarded by lock
    private CompletableFuture<Void> closing; // guarded by lock

    OkSession(Listener listener, String subprotocol) {
      this.listener = listener;
      this.subprotocol = subprotocol;
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer message) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      ByteString bytes = ByteString.of(message);
      lock.lock();
      try {
        if (terminated) {
          f.completeExceptionally(new IOException("WebSocket is closed"));
          return f;
        }
        if (pendingSend != null && !pendingSend.isDone()) {
          throw new IllegalStateException("a send is still outstanding");
        }
        if (!ws.send(bytes)) {
          f.completeExceptionally(new IOException(
              "WebSocket is closing, or the message is over OkHttp's 16 MiB queue limit"));
          return f;
        }
        pendingSend = f;
      } finally {
        lock.unlock();
      }
      poller.watch(this, f);
      return f;
    }

    /** Completes {@code send} once OkHttp's queue is empty; true when it is complete. */
    boolean checkSent(CompletableFuture<Void> send) {
      if (send.isDone()) {
        return true;
      }
      if (ws.queueSize() != 0) {
        return false;
      }
      send.complete(null);
      return true;
    }

    @Override
    public CompletableFuture<Void> sendClose(int code, String reason) {
      lock.lock();
      try {
        if (closing == null) {
          closing = new CompletableFuture<>();
          delivering = false;
          demandChanged.signalAll();
          if (terminated) {
            closing.complete(null);
          } else if (!ws.close(code, reason)) {
            closing.complete(null); // a close was already under way
          }
        }
        return closing;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("demand must be positive");
      }
      lock.lock();
      try {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        demandChanged.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void abort() {
      terminate(new IOException("WebSocket aborted"));
      WebSocket w = ws;
      if (w != null) {
        w.cancel();
      }
    }

    /** Ends the session; returns whether this call ended it (so the listener may be told). */
    private boolean terminate(IOException pendingFailure) {
      CompletableFuture<Void> send;
      CompletableFuture<Void> close;
      lock.lock();
      try {
        if (terminated) {
          return false;
        }
        terminated = true;
        delivering = false;
        demandChanged.signalAll();
        send = pendingSend;
        pendingSend = null;
        close = closing;
      } finally {
        lock.unlock();
      }
      if (send != null) {
        send.completeExceptionally(pendingFailure);
      }
      if (close != null) {
        close.complete(null);
      }
      opened.completeExceptionally(pendingFailure);
      return true;
    }

    /** Waits on OkHttp's reader thread until there is demand; false if nothing may be delivered. */
    private boolean awaitDemand() {
      lock.lock();
      try {
        while (delivering && demand == 0) {
          demandChanged.awaitUninterruptibly();
        }
        if (!delivering) {
          return false;
        }
        demand--;
        return true;
      } finally {
        lock.unlock();
      }
    }

    private final class Adapter extends WebSocketListener {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        ws = webSocket; // the same object newWebSocket returned, perhaps not yet assigned
        String protocol = response.header(PROTOCOL);
        if (response.header(EXTENSIONS) != null
            || (protocol != null && !protocol.equals(subprotocol))) {
          terminate(new IOException("WebSocket server chose an extension or subprotocol that"
              + " was not offered"));
          webSocket.cancel();
          return;
        }
        listener.onOpen(OkSession.this);
        opened.complete(null);
      }

      @Override
      public void onMessage(WebSocket webSocket, ByteString bytes) {
        if (awaitDemand()) {
          listener.onBinary(OkSession.this, bytes.asByteBuffer(), true);
        }
      }

      @Override
      public void onMessage(WebSocket webSocket, String text) {
        if (awaitDemand()) {
          listener.onText(OkSession.this, text, true);
        }
      }

      @Override
      public void onClosing(WebSocket webSocket, int code, String reason) {
        if (terminate(new IOException("WebSocket closed by the server"))) {
          listener.onClose(OkSession.this, code, reason);
        }
      }

      @Override
      public void onClosed(WebSocket webSocket, int code, String reason) {
        terminate(new IOException("WebSocket closed"));
      }

      @Override
      public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        boolean wasOpen = opened.isDone() && !opened.isCompletedExceptionally();
        IOException failure;
        if (!wasOpen && response != null && response.code() != 101) {
          failure = new RelayRefusedException("WebSocket upgrade refused with HTTP "
              + response.code(), response.code());
        } else if (!wasOpen && t instanceof SocketTimeoutException) {
          failure = new SocketTimeoutException("WebSocket handshake timed out");
        } else {
          failure = new IOException("WebSocket connection failed: " + t.getClass().getSimpleName(),
              t);
        }
        if (terminate(failure) && wasOpen) {
          listener.onError(OkSession.this, t);
        }
      }
    }
  }

  /**
   * Completes pending sends when OkHttp's queue drains: one daemon thread per client, running
   * only while a send is pending (it ends after 10 s without one and restarts on demand).
   */
  private static final class SendPoller implements Runnable {
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long IDLE_MILLIS = 10_000;
    /** One entry per send (never per session, so a new send is never lost in a removal). */
    private final Set<Pending> watched = ConcurrentHashMap.newKeySet();
    private Thread thread; // guarded by this

    private static final class Pending {
      final OkSession session;
      final CompletableFuture<Void> send;

      Pending(OkSession session, CompletableFuture<Void> send) {
        this.session = session;
        this.send = send;
      }

      boolean check() {
        return session.checkSent(send);
      }
    }

    void watch(OkSession s, CompletableFuture<Void> send) {
      watched.add(new Pending(s, send));
      synchronized (this) {
        if (thread == null) {
          thread = new Thread(this, "obscura-okhttp-send-poller");
          thread.setDaemon(true);
          thread.start();
        } else {
          notifyAll();
          LockSupport.unpark(thread);
        }
      }
    }

    @Override
    public void run() {
      long park = MIN_PARK_NANOS;
      while (true) {
        if (watched.removeIf(Pending::check)) {
          park = MIN_PARK_NANOS; // a send completed: the next one is likely soon
        }
        if (!watched.isEmpty()) {
          LockSupport.parkNanos(park);
          park = Math.min(park * 2, MAX_PARK_NANOS);
          continue;
        }
        park = MIN_PARK_NANOS;
        synchronized (this) {
          if (watched.isEmpty()) {
            try {
              wait(IDLE_MILLIS);
            } catch (InterruptedException e) {
              thread = null;
              return;
            }
            if (watched.isEmpty()) {
              thread = null;
              return;
            }
          }
        }
      }
    }
  }
}
