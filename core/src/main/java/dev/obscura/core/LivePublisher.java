package dev.obscura.core;

import java.io.Closeable;
import java.io.IOException;

/**
 * The camera's end of an untrusted live fan-out (the embedded relay today; a message broker such
 * as NATS JetStream later): it carries sealed key envelopes and sealed frames of one stream to the
 * viewers that subscribed to it. Implementations move opaque bytes; sealing happens before
 * (in {@code dev.obscura.crypto.live.LiveCamera}).
 *
 * <p>Order: messages reach viewers in the order they were published, or not at all (a transport
 * may drop frames under backpressure, and then must resume at a keyframe). An epoch's envelope is
 * published before its first frame.
 *
 * <p><b>Security guarantees:</b> none needed of the implementation: it never gets a key or a
 * plaintext, and every viewer check is made on what the payloads authenticate. Credentials of the
 * transport stay in the implementation, out of {@code toString()} and exception messages.
 *
 * <p><b>Restrictions:</b> calls come from one thread at a time. Implementations may block while
 * the network is busy, up to a timeout of their own, and then throw.
 */
public interface LivePublisher extends Closeable {
  /**
   * Publishes the sealed key envelope of {@code epoch}; the transport keeps it for viewers that
   * join later during that epoch.
   *
   * @param epoch the epoch the envelope opens
   * @param sealedEnvelope the sealed, signed envelope; not modified, not copied
   * @throws IOException if the transport failed or is closed
   */
  void publishEnvelope(EpochId epoch, byte[] sealedEnvelope) throws IOException;

  /**
   * Publishes one sealed frame of {@code epoch}.
   *
   * @param epoch the epoch whose envelope opens the frame
   * @param keyframe whether a decoder can start at this frame (a viewer that joins, or one the
   *     transport skipped ahead, starts at a keyframe)
   * @param sealedFrame the SFrame ciphertext; not modified, not copied: the array is handed over,
   *     and the implementation may keep it
   * @return the sequence number the transport gave the frame (unsigned, from 0 per connection,
   *     one per frame)
   * @throws IOException if the transport failed or is closed
   */
  long publishFrame(EpochId epoch, boolean keyframe, byte[] sealedFrame) throws IOException;

  /**
   * Publishes one sealed frame held in {@code buffer[offset, offset + length)}: the call a live
   * camera makes, with one buffer it reuses for every frame.
   *
   * <p><b>Buffer ownership:</b> the bytes are read during the call only; the buffer is the
   * caller's again when the call returns (it will be overwritten by the next frame), so an
   * implementation must not keep a reference to it. One that has to keep the payload beyond the
   * call (a queue, an in-memory fan-out, a cache for late joiners) copies it; this default does
   * exactly that, and hands the copy to {@link #publishFrame(EpochId, boolean, byte[])}.
   * Transports that encode the payload into their own message before returning (the relay
   * client) override it to save that copy.
   *
   * @param epoch the epoch whose envelope opens the frame
   * @param keyframe whether a decoder can start at this frame
   * @param buffer holds the SFrame ciphertext; not modified, not retained
   * @param offset where the ciphertext starts
   * @param length its length in bytes
   * @return the sequence number the transport gave the frame
   * @throws IOException if the transport failed or is closed
   * @throws IndexOutOfBoundsException if the range lies outside {@code buffer}
   */
  default long publishFrame(EpochId epoch, boolean keyframe, byte[] buffer, int offset, int length)
      throws IOException {
    if (offset < 0 || length < 0 || offset > buffer.length - length) {
      throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + " + " + length
          + ") out of bounds for length " + buffer.length);
    }
    byte[] copy = new byte[length];
    System.arraycopy(buffer, offset, copy, 0, length);
    return publishFrame(epoch, keyframe, copy);
  }

  /**
   * Blocks until everything published so far has been handed to the network. The default does
   * nothing, for transports whose publish calls return only then.
   *
   * @throws IOException if a send failed
   */
  default void flush() throws IOException {}

  /**
   * Sends what is pending (best effort) and closes the connection. Idempotent.
   *
   * @throws IOException if closing failed
   */
  @Override
  void close() throws IOException;
}
