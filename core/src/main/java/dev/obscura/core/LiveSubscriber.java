package dev.obscura.core;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * A viewer's end of an untrusted live fan-out: the sealed envelopes and frames of one stream, in
 * transport order, pulled one at a time in the manner of {@link FrameSource}. Implemented by the
 * embedded relay's client today and by a message broker's (NATS JetStream) later.
 *
 * <p><b>Security guarantees:</b> none: it holds no key and authenticates nothing. Every message
 * came through an untrusted transport and is checked by the viewer
 * ({@code dev.obscura.crypto.live.LiveViewer}); duplicates, gaps and forgeries are to be expected.
 *
 * <p><b>Restrictions:</b> one consumer thread. {@link #close()} may be called from another
 * thread to end a blocked {@link #next}, which then returns {@code null}.
 */
public interface LiveSubscriber extends Closeable {
  /**
   * Blocks until the next message, at most {@code timeout}.
   *
   * @param timeout how long to wait at most (positive)
   * @return the next envelope or frame, or {@code null} when the stream ended normally (the
   *     transport closed it, or this subscriber was closed)
   * @throws java.net.SocketTimeoutException if nothing arrived within {@code timeout}
   * @throws IOException if the connection ended abnormally
   */
  LiveMessage next(Duration timeout) throws IOException;

  /**
   * Closes the connection; a blocked {@link #next} returns {@code null}. Idempotent.
   *
   * @throws IOException if closing failed
   */
  @Override
  void close() throws IOException;
}
