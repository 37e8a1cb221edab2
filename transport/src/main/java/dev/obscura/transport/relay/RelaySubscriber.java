package dev.obscura.transport.relay;

import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A viewer's connection to a relay: receives the sealed envelopes and frames of one stream, over
 * the {@link WebSocketClient} of its {@link RelayClientConfig} (the JDK's by default; {@link
 * OkHttpWebSocketClient} on Android).
 *
 * <p>Pull API in the manner of {@link dev.obscura.core.FrameSource}: {@link #next()} blocks until
 * a message arrives and returns {@code null} when the relay ended the stream normally. Envelopes
 * and frames come in relay order as distinct types ({@link RelayEnvelope}, {@link RelayFrame}):
 * the first frame is a keyframe, and the envelope of its epoch (if the relay holds one) comes
 * before it. A frame whose sequence number does not follow the previous one marks a gap (the
 * relay skipped this viewer to a keyframe, or the camera dropped frames); {@link #gaps()} counts
 * them.
 *
 * <p>Buffering is bounded: at most {@link RelayClientConfig#receiveQueueMessages()} whole
 * messages, and one partial message of at most {@link RelayClientConfig#maxMessageBytes()}.
 * When the buffer is full it stops reading from the socket, so a slow consumer makes the relay
 * skip it to the next keyframe rather than grow memory here.
 *
 * <p><b>Security guarantees:</b> it holds no key and authenticates nothing: every payload and
 * header field came through an untrusted relay. Open frames with the SFrame layer and verify
 * envelopes before use. Duplicate envelopes may arrive and must be accepted.
 *
 * <p><b>Restrictions:</b> one consumer thread. It does not reconnect.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (RelaySubscriber sub = RelaySubscriber.connect(URI.create("ws://relay:8080"),
 *     StreamId.of("front-door"), RelayToken.of(subscribeToken), RelayClientConfig.defaults())) {
 *   for (RelayMessage m; (m = sub.next()) != null; ) {
 *     if (m instanceof RelayEnvelope e) { opener.addEnvelope(e.epoch(), e.payload()); }
 *     else if (m instanceof RelayFrame f) { decoder.decode(opener.open(f.payload())); }
 *   }
 * }
 * }</pre>
 */
public final class RelaySubscriber implements Closeable {
  private static final int NORMAL_CLOSURE = 1000;
  private final StreamId stream;
  private final RelayClientConfig config;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<RelayMessage> queue = new ArrayDeque<>();
  private boolean demandPending; // a request(1) is owed once the queue has room
  private boolean ended;
  private int closeCode;
  private IOException failure;
  private final WebSocketClient.Session ws;
  private long received;
  private long lastSequence = -1;
  private boolean haveSequence;
  private long gaps;

  private RelaySubscriber(StreamId stream, RelayClientConfig config, URI relay, RelayToken token)
      throws IOException {
    this.stream = stream;
    this.config = config;
    this.ws = RelayConnector.connect(relay, stream, "subscribe", token, config, new Listener());
  }

  /**
   * Connects as a viewer of a stream.
   *
   * @param relay the relay's base address, {@code ws://host:port}
   * @throws RelayAuthException if the relay refused the token (401/403), e.g. a token of another
   *     stream
   * @throws RelayRefusedException if it refused otherwise (404, 503)
   * @throws IOException if it cannot be reached
   */
  public static RelaySubscriber connect(URI relay, StreamId stream, RelayToken token,
      RelayClientConfig config) throws IOException {
    return new RelaySubscriber(stream, config, relay, token);
  }

  /**
   * Blocks until the next message.
   *
   * @return the next envelope or frame, or {@code null} if the relay closed normally (1000, 1001)
   * @throws RelayClosedException if the connection ended abnormally
   */
  public RelayMessage next() throws IOException {
    return take(-1);
  }

  /**
   * Like {@link #next()}, waiting at most {@code timeout}.
   *
   * @throws SocketTimeoutException if nothing arrived in time
   */
  public RelayMessage next(Duration timeout) throws IOException {
    return take(Math.max(1, timeout.toNanos()));
  }

  private RelayMessage take(long timeoutNanos) throws IOException {
    boolean request = false;
    RelayMessage m;
    lock.lock();
    try {
      long remaining = timeoutNanos;
      while (queue.isEmpty() && !ended) {
        if (timeoutNanos < 0) {
          changed.await();
        } else {
          if (remaining <= 0) {
            throw new SocketTimeoutException("no message from the relay for stream " + stream
                + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
          }
          remaining = changed.awaitNanos(remaining);
        }
      }
      m = queue.pollFirst();
      if (m == null) {
        if (failure != null) {
          throw failure;
        }
        return null;
      }
      if (demandPending) {
        demandPending = false;
        request = true;
      }
      received++;
      if (m instanceof RelayFrame f) {
        if (haveSequence && f.sequence() != lastSequence + 1) {
          gaps++;
        }
        haveSequence = true;
        lastSequence = f.sequence();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the relay");
    } finally {
      lock.unlock();
    }
    if (request) {
      ws.request(1);
    }
    return m;
  }

  /** Messages returned by {@code next} so far. */
  public long received() {
    lock.lock();
    try {
      return received;
    } finally {
      lock.unlock();
    }
  }

  /** Frames returned so far whose sequence number did not follow the previous frame's. */
  public long gaps() {
    lock.lock();
    try {
      return gaps;
    } finally {
      lock.unlock();
    }
  }

  /** Closes with 1000 (normal); a blocked {@link #next()} returns {@code null}. */
  @Override
  public void close() {
    end(NORMAL_CLOSURE, null);
    try {
      ws.sendClose(NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    } finally {
      ws.abort();
    }
  }

  private void end(int code, IOException error) {
    lock.lock();
    try {
      if (!ended) {
        ended = true;
        closeCode = code;
        failure = error;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The close code once the connection has ended, else 0. */
  public int closeCode() {
    lock.lock();
    try {
      return ended ? closeCode : 0;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "RelaySubscriber[" + stream + ", " + received() + " received, " + gaps() + " gaps]";
  }

  private final class Listener implements WebSocketClient.Listener {
    private ByteArrayOutputStream partial;

    @Override
    public void onOpen(WebSocketClient.Session webSocket) {
      webSocket.request(1);
    }

    @Override
    public void onBinary(WebSocketClient.Session webSocket, ByteBuffer data, boolean last) {
      byte[] whole;
      if (partial == null && last) {
        if (data.remaining() > config.maxMessageBytes()) {
          tooBig(webSocket);
          return;
        }
        whole = new byte[data.remaining()];
        data.get(whole);
      } else {
        if (partial == null) {
          partial = new ByteArrayOutputStream();
        }
        if ((long) partial.size() + data.remaining() > config.maxMessageBytes()) {
          partial = null;
          tooBig(webSocket);
          return;
        }
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partial.write(chunk, 0, chunk.length);
        if (!last) {
          webSocket.request(1);
          return;
        }
        whole = partial.toByteArray();
        partial = null;
      }
      RelayMessage m;
      try {
        m = RelayWire.decode(whole, config.maxMessageBytes());
      } catch (MalformedDataException e) {
        webSocket.sendClose(1002, "malformed message");
        end(1002, new RelayClosedException("relay sent a malformed message for stream " + stream
            + ": " + e.getMessage(), 1002));
        webSocket.abort();
        return;
      }
      boolean request;
      lock.lock();
      try {
        queue.addLast(m);
        request = queue.size() < config.receiveQueueMessages();
        demandPending = !request;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      if (request) {
        webSocket.request(1);
      }
    }

    private void tooBig(WebSocketClient.Session webSocket) {
      webSocket.sendClose(1009, "message too big");
      end(1009, new RelayClosedException("relay sent a message over "
          + config.maxMessageBytes() + " bytes for stream " + stream, 1009));
      webSocket.abort();
    }

    @Override
    public void onText(WebSocketClient.Session webSocket, CharSequence data, boolean last) {
      webSocket.sendClose(1003, "text messages are not part of the protocol");
      end(1003, new RelayClosedException("relay sent a text message for stream " + stream, 1003));
      webSocket.abort();
    }

    @Override
    public void onClose(WebSocketClient.Session webSocket, int statusCode, String reason) {
      if (statusCode == NORMAL_CLOSURE || statusCode == 1001) {
        end(statusCode, null);
      } else {
        end(statusCode, new RelayClosedException("relay closed stream " + stream
            + " with code " + statusCode, statusCode));
      }
    }

    @Override
    public void onError(WebSocketClient.Session webSocket, Throwable error) {
      end(1006, new RelayClosedException("connection to the relay lost for stream " + stream
          + " (" + error.getClass().getSimpleName() + ")", 1006, error));
    }
  }
}
