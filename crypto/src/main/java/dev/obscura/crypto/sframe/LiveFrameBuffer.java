package dev.obscura.crypto.sframe;

import dev.obscura.core.EncodedFrame;
import java.time.Instant;
import java.util.Arrays;

/**
 * A reusable buffer that {@link SFrameReceiver#openLiveFrame(byte[], int, int, LiveFrameBuffer)}
 * opens live frames into, so that a viewer allocates nothing per frame: the decrypted frame
 * bytes and its authenticated fields (presentation time, keyframe flag, capture time) and its
 * SFrame header (epoch, counter).
 *
 * <p><b>Buffer ownership:</b> the buffer owns {@link #array()}. The frame's bytes are {@code
 * array()[offset(), offset() + length())}, valid until the next open into this buffer or {@link
 * #clear()}; copy them ({@link #toEncodedFrame()}) to keep them longer. The array grows (a new,
 * larger array) when a frame does not fit, so do not keep a reference to it across opens. After a
 * failed open the buffer holds no frame ({@link #length()} is 0) and none of the failed frame's
 * plaintext.
 *
 * <p><b>Restrictions:</b> not thread-safe; one buffer per receiving thread. It holds decrypted
 * video until overwritten: call {@link #clear()} when the plaintext must not linger.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * LiveFrameBuffer frame = new LiveFrameBuffer(64 * 1024);
 * receiver.openLiveFrame(sealed, 0, sealed.length, frame);   // or a typed ObscuraException
 * decoder.decode(frame.array(), frame.offset(), frame.length(), frame.keyframe());
 * }</pre>
 */
public final class LiveFrameBuffer {
  byte[] array;
  int length;
  long presentationMicros;
  boolean keyframe;
  boolean cover;
  long captureMicros;
  long kid;
  long counter;

  /**
   * A buffer for frames of up to {@code initialFrameBytes} bytes without growing.
   *
   * @param initialFrameBytes the frame size to make room for now (0 or more)
   * @throws IllegalArgumentException if it is negative or too large for an array
   */
  public LiveFrameBuffer(int initialFrameBytes) {
    if (initialFrameBytes < 0 || initialFrameBytes > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("initialFrameBytes must be 0 to " + (Integer.MAX_VALUE - 64));
    }
    this.array = new byte[LiveFrame.PREFIX_BYTES + initialFrameBytes];
  }

  /** Makes room for a plaintext of {@code plaintextBytes} (prefix included); grows by at least half. */
  void ensurePlaintextCapacity(int plaintextBytes) {
    if (array.length < plaintextBytes) {
      long grown = Math.max(plaintextBytes, (long) array.length + (array.length >> 1));
      Arrays.fill(array, (byte) 0);
      array = new byte[(int) Math.min(grown, Integer.MAX_VALUE - 8)];
    }
  }

  /**
   * The array that holds the frame; valid until the next open into this buffer.
   *
   * @return the buffer's array (owned by the buffer)
   */
  public byte[] array() {
    return array;
  }

  /**
   * Where the frame's bytes start in {@link #array()} (after the live-frame prefix).
   *
   * @return the offset, {@value LiveFrame#PREFIX_BYTES}
   */
  public int offset() {
    return LiveFrame.PREFIX_BYTES;
  }

  /**
   * How many frame bytes the buffer holds; 0 if it holds no frame.
   *
   * @return the frame's length in bytes
   */
  public int length() {
    return length;
  }

  /**
   * The frame's authenticated presentation time.
   *
   * @return microseconds from the start of the stream
   */
  public long presentationMicros() {
    return presentationMicros;
  }

  /**
   * The frame's authenticated keyframe flag (not the transport's routing flag).
   *
   * @return whether a decoder can start at this frame
   */
  public boolean keyframe() {
    return keyframe;
  }

  /**
   * Whether this is an authenticated cover frame (docs/spec/live-sframe-v1.md section 5.2): a
   * pacing camera's filler, no video ({@link #length()} is 0). Never render or decode it.
   *
   * @return whether it is a cover frame
   */
  public boolean cover() {
    return cover;
  }

  /**
   * The camera's authenticated wall-clock capture time.
   *
   * @return microseconds since 1970-01-01T00:00Z
   */
  public long captureMicros() {
    return captureMicros;
  }

  /**
   * The capture time as an instant (allocates; the per-frame path uses {@link #captureMicros()}).
   *
   * @return the capture time
   */
  public Instant captureTime() {
    return Instant.EPOCH.plus(captureMicros, java.time.temporal.ChronoUnit.MICROS);
  }

  /**
   * Whether the capture time is within {@code toleranceMicros} of {@code nowMicros}, either way
   * (no overflow for any values).
   *
   * @param nowMicros the viewer's clock, microseconds since the Unix epoch ({@link LiveFrame#micros})
   * @param toleranceMicros the tolerance, 0 or more
   * @return whether the frame is fresh
   */
  public boolean capturedWithin(long nowMicros, long toleranceMicros) {
    return LiveFrame.fresh(nowMicros, captureMicros, toleranceMicros);
  }

  /**
   * The SFrame KID of the frame: its epoch number (unsigned).
   *
   * @return the key id from the authenticated header
   */
  public long kid() {
    return kid;
  }

  /**
   * The SFrame counter of the frame (unsigned), from the authenticated header.
   *
   * @return the CTR
   */
  public long counter() {
    return counter;
  }

  /**
   * A copy of the frame as an {@link EncodedFrame} (allocates its data array).
   *
   * @return the frame, owning a fresh copy of the bytes
   */
  public EncodedFrame toEncodedFrame() {
    return new EncodedFrame(presentationMicros, keyframe,
        Arrays.copyOfRange(array, LiveFrame.PREFIX_BYTES, LiveFrame.PREFIX_BYTES + length));
  }

  /**
   * A copy of the frame and its capture time (allocates).
   *
   * @return the live frame, owning a fresh copy of the bytes
   */
  public LiveFrame toLiveFrame() {
    return new LiveFrame(toEncodedFrame(), captureMicros);
  }

  /** Zeroes the array and forgets the frame. */
  public void clear() {
    Arrays.fill(array, (byte) 0);
    forget();
  }

  void forget() {
    length = 0;
    presentationMicros = 0;
    keyframe = false;
    cover = false;
    captureMicros = 0;
    kid = 0;
    counter = 0;
  }

  /** Metadata only; never frame bytes. */
  @Override
  public String toString() {
    return "LiveFrameBuffer[" + length + " bytes, ctr=" + Long.toUnsignedString(counter) + "]";
  }
}
