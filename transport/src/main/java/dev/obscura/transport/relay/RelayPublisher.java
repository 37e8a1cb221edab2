package dev.obscura.transport.relay;

import dev.obscura.core.StreamId;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A camera's connection to a relay: sends sealed frames and envelopes of one stream, over the
 * {@link WebSocketClient} of its {@link RelayClientConfig} (the JDK's by default; {@link
 * OkHttpWebSocketClient} on Android).
 *
 * <p>Backpressure: at most one message is in flight. {@link #sendFrame} and {@link
 * #sendEnvelope} block while the previous message is still being written (up to {@link
 * RelayClientConfig#sendTimeout()}); {@link #trySendFrame} never blocks: it returns {@code false}
 * when the socket is busy, and then refuses every further non-keyframe until a keyframe is sent,
 * so the stream always resumes at a keyframe. Sequence numbers are assigned here, from 0, one per
 * frame offered (dropped ones included, so viewers see the gap).
 *
 * <p><b>Security guarantees:</b> it holds no key and sees only sealed payloads; the token goes in
 * an {@code Authorization} header, never in the URL, a log or an exception message.
 *
 * <p><b>Restrictions:</b> thread-safe, but sends are serialised. It does not reconnect: on a
 * {@link RelayClosedException}, connect again (the relay lets the new connection replace the
 * old one) and resend the current epoch's envelope first.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (RelayPublisher pub = RelayPublisher.connect(URI.create("ws://relay:8080"),
 *     StreamId.of("front-door"), RelayToken.of(publishToken), RelayClientConfig.defaults())) {
 *   pub.sendEnvelope(epoch, sealedEnvelope);
 *   pub.sendFrame(epoch, true, sealedKeyframe);
 * }
 * }</pre>
 */
public final class RelayPublisher implements Closeable {
  private static final int NORMAL_CLOSURE = 1000;
  private final StreamId stream;
  private final RelayClientConfig config;
  private final WebSocketClient.Session ws;
  private final CompletableFuture<Integer> closedByRelay = new CompletableFuture<>();
  private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
  private long nextSequence;
  private boolean awaitingKeyframe;
  private long sentFrames;
  private long droppedFrames;
  private boolean closed;

  private RelayPublisher(StreamId stream, RelayClientConfig config, URI relay, RelayToken token)
      throws IOException {
    this.stream = stream;
    this.config = config;
    this.ws = RelayConnector.connect(relay, stream, "publish", token, config, new Listener());
  }

  /**
   * Connects as the publisher of a stream.
   *
   * @param relay the relay's base address, {@code ws://host:port}
   * @throws RelayAuthException if the relay refused the token (401/403)
   * @throws RelayRefusedException if it refused otherwise (404: no such stream)
   * @throws IOException if it cannot be reached
   */
  public static RelayPublisher connect(URI relay, StreamId stream, RelayToken token,
      RelayClientConfig config) throws IOException {
    return new RelayPublisher(stream, config, relay, token);
  }

  /** Sends the sealed key envelope of an epoch; blocks while the previous send is unfinished. */
  public synchronized void sendEnvelope(long epoch, byte[] sealedEnvelope) throws IOException {
    RelayEnvelope e = new RelayEnvelope(epoch, sealedEnvelope);
    awaitPrevious();
    send(e);
  }

  /**
   * Sends a sealed frame; blocks while the previous send is unfinished.
   *
   * @return the sequence number given to the frame
   */
  public synchronized long sendFrame(long epoch, boolean keyframe, byte[] sealedFrame)
      throws IOException {
    RelayFrame f = new RelayFrame(epoch, nextSequence, keyframe, sealedFrame);
    awaitPrevious();
    nextSequence++;
    awaitingKeyframe = false;
    sentFrames++;
    send(f);
    return f.sequence();
  }

  /**
   * Sends the sealed frame in {@code buffer[offset, offset + length)}; blocks while the previous
   * send is unfinished. The bytes are copied into the wire message before the call returns (the
   * one copy the asynchronous WebSocket send needs), so the caller may reuse {@code buffer} at
   * once; no reference to it is kept.
   *
   * @return the sequence number given to the frame
   * @throws IllegalArgumentException if {@code epoch} is negative or the range is empty
   * @throws IndexOutOfBoundsException if the range lies outside {@code buffer}
   */
  public synchronized long sendFrame(long epoch, boolean keyframe, byte[] buffer, int offset,
      int length) throws IOException {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0");
    }
    if (offset < 0 || length < 0 || offset > buffer.length - length) {
      throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + " + " + length
          + ") out of bounds for length " + buffer.length);
    }
    if (length == 0) {
      throw new IllegalArgumentException("payload must not be empty");
    }
    awaitPrevious();
    long seq = nextSequence++;
    awaitingKeyframe = false;
    sentFrames++;
    last = ws.sendBinary(ByteBuffer.wrap(RelayWire.encodeFrame(epoch, seq, keyframe, buffer, offset, length)));
    return seq;
  }

  /**
   * Sends a sealed frame if the socket is free, else drops it (and then every frame until the
   * next keyframe). Never blocks on the network.
   *
   * @return whether the frame was handed to the socket
   */
  public synchronized boolean trySendFrame(long epoch, boolean keyframe, byte[] sealedFrame)
      throws IOException {
    RelayFrame f = new RelayFrame(epoch, nextSequence, keyframe, sealedFrame);
    checkOpen();
    nextSequence++;
    if (!last.isDone() || (awaitingKeyframe && !keyframe)) {
      awaitingKeyframe = true;
      droppedFrames++;
      return false;
    }
    awaitPrevious(); // done already: surfaces a failed send
    awaitingKeyframe = false;
    sentFrames++;
    send(f);
    return true;
  }

  /** Blocks until every message handed over has been written to the socket. */
  public synchronized void flush() throws IOException {
    awaitPrevious();
  }

  /** Frames handed to the socket. */
  public synchronized long sentFrames() {
    return sentFrames;
  }

  /** Frames {@link #trySendFrame} dropped. */
  public synchronized long droppedFrames() {
    return droppedFrames;
  }

  private void send(RelayMessage m) {
    last = ws.sendBinary(ByteBuffer.wrap(RelayWire.encode(m)));
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("publisher of stream " + stream + " is closed");
    }
    if (closedByRelay.isDone()) {
      int code = closedByRelay.join();
      throw new RelayClosedException("relay closed the publisher of stream " + stream
          + " with code " + code, code);
    }
  }

  private void awaitPrevious() throws IOException {
    checkOpen();
    try {
      last.get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while sending to the relay");
    } catch (TimeoutException e) {
      ws.abort();
      closed = true;
      throw new SocketTimeoutException("relay did not take a message of stream " + stream
          + " within " + config.sendTimeout().toMillis() + " ms; connection aborted");
    } catch (ExecutionException e) {
      checkOpen();
      throw new RelayClosedException("sending to the relay failed for stream " + stream, 1006,
          e.getCause());
    }
  }

  /** Waits for the last send, then closes with 1000 (normal). */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      last.get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
      ws.sendClose(NORMAL_CLOSURE, "")
          .get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // closing anyway
    } finally {
      closed = true;
      ws.abort();
    }
  }

  @Override
  public String toString() {
    return "RelayPublisher[" + stream + ", " + sentFrames + " frames sent]";
  }

  private final class Listener implements WebSocketClient.Listener {
    @Override
    public void onOpen(WebSocketClient.Session session) {
      session.request(1);
    }

    @Override
    public void onBinary(WebSocketClient.Session session, ByteBuffer data, boolean last) {
      session.request(1); // relays send publishers nothing; ignore
    }

    @Override
    public void onText(WebSocketClient.Session session, CharSequence data, boolean last) {
      session.request(1);
    }

    @Override
    public void onClose(WebSocketClient.Session session, int statusCode, String reason) {
      closedByRelay.complete(statusCode);
    }

    @Override
    public void onError(WebSocketClient.Session session, Throwable error) {
      closedByRelay.complete(1006);
    }
  }
}
