package dev.obscura.crypto.scheme;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.MalformedDataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The one plaintext framing of the scheme lab's segment schemes: how a list of {@link
 * EncodedFrame}s becomes the bytes a scheme encrypts, and back. Every frame is
 *
 * <pre>
 * i64be presentation time (microseconds) || u8 flags (bit 0: keyframe; others 0) ||
 * u32be length || length bytes
 * </pre>
 *
 * <p>and a segment is its frames one after the other, nothing before or after (so a writer can
 * stream frames without knowing their number in advance; an empty input is no frame).
 *
 * <p><b>Parsing is bounded:</b> {@link #decode} never allocates more than the input's length: a
 * frame header whose length runs past the input, a flags byte with unknown bits, or bytes left
 * over that are not a whole header are a {@link MalformedDataException}. The caller bounds the
 * input itself (it is a record it already holds). Stateless and thread-safe.
 */
public final class FrameFraming {
  /** Bytes of a frame's header: pts (8), flags (1), length (4). */
  public static final int HEADER_BYTES = 13;

  private static final int KEYFRAME = 1;

  private FrameFraming() {}

  /**
   * Writes the header of {@code frame} into {@code out[offset .. offset + HEADER_BYTES)}.
   *
   * @param frame the frame whose header is written
   * @param out the buffer to write into
   * @param offset where in {@code out}
   * @return {@link #HEADER_BYTES}
   * @throws IndexOutOfBoundsException if {@code out} has no room
   */
  public static int writeHeader(EncodedFrame frame, byte[] out, int offset) {
    Objects.checkFromIndexSize(offset, HEADER_BYTES, out.length);
    long pts = frame.presentationMicros();
    for (int i = 0; i < 8; i++) {
      out[offset + i] = (byte) (pts >>> (56 - 8 * i));
    }
    out[offset + 8] = (byte) (frame.keyframe() ? KEYFRAME : 0);
    int n = frame.data().length;
    out[offset + 9] = (byte) (n >>> 24);
    out[offset + 10] = (byte) (n >>> 16);
    out[offset + 11] = (byte) (n >>> 8);
    out[offset + 12] = (byte) n;
    return HEADER_BYTES;
  }

  /**
   * The framed length of {@code frames}.
   *
   * @param frames the frames
   * @return the number of bytes {@link #encode} returns
   * @throws IllegalArgumentException if that exceeds what one array can hold
   */
  public static int encodedLength(List<EncodedFrame> frames) {
    long total = 0;
    for (EncodedFrame f : frames) {
      total += HEADER_BYTES + (long) f.data().length;
    }
    if (total > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("framed segment of " + total + " bytes is too large");
    }
    return (int) total;
  }

  /**
   * Frames {@code frames} into one new array.
   *
   * @param frames the frames, in order
   * @return their framing
   * @throws IllegalArgumentException if the framing would exceed what one array can hold
   */
  public static byte[] encode(List<EncodedFrame> frames) {
    byte[] out = new byte[encodedLength(frames)];
    int at = 0;
    for (EncodedFrame f : frames) {
      at += writeHeader(f, out, at);
      System.arraycopy(f.data(), 0, out, at, f.data().length);
      at += f.data().length;
    }
    return out;
  }

  /**
   * Parses a framing back into its frames (each frame's bytes a new array).
   *
   * @param framed the framing
   * @return the frames, in order (unmodifiable)
   * @throws MalformedDataException if it is not a whole framing (a length past the end, unknown
   *     flags, a partial header)
   */
  public static List<EncodedFrame> decode(byte[] framed) throws MalformedDataException {
    return decode(framed, 0, framed.length);
  }

  /**
   * Parses {@code framed[offset .. offset + length)} as a framing.
   *
   * @param framed the array holding the framing
   * @param offset where it starts
   * @param length its length
   * @return the frames, in order (unmodifiable)
   * @throws MalformedDataException if it is not a whole framing
   * @throws IndexOutOfBoundsException if the range lies outside {@code framed}
   */
  public static List<EncodedFrame> decode(byte[] framed, int offset, int length)
      throws MalformedDataException {
    Objects.checkFromIndexSize(offset, length, framed.length);
    List<EncodedFrame> frames = new ArrayList<>();
    int at = offset;
    int end = offset + length;
    while (at < end) {
      if (end - at < HEADER_BYTES) {
        throw new MalformedDataException("framing ends inside a frame header (" + (end - at)
            + " of " + HEADER_BYTES + " bytes)");
      }
      long pts = 0;
      for (int i = 0; i < 8; i++) {
        pts = (pts << 8) | (framed[at + i] & 0xff);
      }
      int flags = framed[at + 8] & 0xff;
      if ((flags & ~KEYFRAME) != 0) {
        throw new MalformedDataException("frame flags 0x" + Integer.toHexString(flags)
            + " have unknown bits");
      }
      long n = ((long) (framed[at + 9] & 0xff) << 24) | ((framed[at + 10] & 0xff) << 16)
          | ((framed[at + 11] & 0xff) << 8) | (framed[at + 12] & 0xff);
      at += HEADER_BYTES;
      if (n > end - at) {
        throw new MalformedDataException("frame of " + n + " bytes runs past the framing ("
            + (end - at) + " bytes left)");
      }
      byte[] data = new byte[(int) n];
      System.arraycopy(framed, at, data, 0, (int) n);
      at += (int) n;
      frames.add(new EncodedFrame(pts, (flags & KEYFRAME) != 0, data));
    }
    return Collections.unmodifiableList(frames);
  }
}
