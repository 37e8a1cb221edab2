package dev.obscura.codec;

import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;

/**
 * The frame number and media timestamp that {@link SyntheticCamera} burns into each picture,
 * and the reader that gets them back from a decoded frame.
 *
 * <p>The stamp is a barcode in the top band of the picture: 80 square cells in two rows of 40
 * (cell side = width / 40 pixels), white for 1 and black for 0, holding the 32-bit frame number,
 * the 32-bit timestamp in milliseconds (both big-endian) and a CRC-16/CCITT over those 8 bytes.
 * Cells are large and flat, so the stamp survives lossy H.264 at ordinary bitrates. Beneath it
 * the same numbers are drawn in digits for a human.
 *
 * <p><b>Guarantees:</b> {@link #read} returns a stamp only if its checksum matches; a frame
 * without a stamp gives {@link NoFrameStampException} (a random picture passes the checksum with
 * probability about 1/65536). The reader assumes the picture was not cropped; uniform scaling of
 * the width is fine.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * Frame f = grabber.grabImage();          // BGR24
 * FrameStamp s = FrameStamp.read(f);      // s.frameNumber(), s.timestampMillis()
 * }</pre>
 *
 * @param frameNumber frame number from 0 (unsigned 32 bits)
 * @param timestampMillis media time of the frame in milliseconds (unsigned 32 bits)
 */
public record FrameStamp(long frameNumber, long timestampMillis) {
  static final int COLUMNS = 40;
  static final int ROWS = 2;
  static final int BITS = COLUMNS * ROWS;

  public FrameStamp {
    if (frameNumber < 0 || frameNumber > 0xffffffffL || timestampMillis < 0 || timestampMillis > 0xffffffffL) {
      throw new IllegalArgumentException("stamp fields are unsigned 32-bit");
    }
  }

  /** Cell side in pixels for a picture of this width. */
  static int cell(int width) {
    return width / COLUMNS;
  }

  /** The 80 bits of this stamp, most significant first. */
  boolean[] bits() {
    byte[] payload = payload(frameNumber, timestampMillis);
    int crc = crc16(payload);
    boolean[] bits = new boolean[BITS];
    for (int i = 0; i < 64; i++) {
      bits[i] = ((payload[i >> 3] >> (7 - (i & 7))) & 1) != 0;
    }
    for (int i = 0; i < 16; i++) {
      bits[64 + i] = ((crc >> (15 - i)) & 1) != 0;
    }
    return bits;
  }

  /**
   * Reads the stamp from a decoded frame in BGR24 (what {@link
   * org.bytedeco.javacv.FFmpegFrameGrabber#grabImage()} returns by default).
   *
   * @throws NoFrameStampException if the frame is not BGR24, too small, or carries no valid stamp
   */
  public static FrameStamp read(Frame frame) throws NoFrameStampException {
    if (frame == null || frame.image == null || frame.imageChannels != 3 || frame.imageDepth != Frame.DEPTH_UBYTE) {
      throw new NoFrameStampException("not a BGR24 picture");
    }
    ByteBuffer buf = (ByteBuffer) frame.image[0];
    return read(buf, frame.imageWidth, frame.imageHeight, frame.imageStride);
  }

  /**
   * Reads the stamp from a packed BGR24 picture.
   *
   * @param stride bytes from one row to the next
   * @throws NoFrameStampException if the picture is too small or carries no valid stamp
   */
  public static FrameStamp read(byte[] bgr, int width, int height, int stride) throws NoFrameStampException {
    return read(ByteBuffer.wrap(bgr), width, height, stride);
  }

  private static FrameStamp read(ByteBuffer px, int width, int height, int stride) throws NoFrameStampException {
    int cell = cell(width);
    if (cell < 4 || height < ROWS * cell || stride < width * 3 || (long) stride * height > px.capacity()) {
      throw new NoFrameStampException("picture too small for a stamp");
    }
    boolean[] bits = new boolean[BITS];
    int m = cell / 4;
    for (int i = 0; i < BITS; i++) {
      int x0 = (i % COLUMNS) * width / COLUMNS;
      int y0 = (i / COLUMNS) * cell;
      long sum = 0;
      int n = 0;
      for (int y = y0 + m; y < y0 + cell - m; y++) {
        int row = y * stride;
        for (int x = x0 + m; x < x0 + cell - m; x++) {
          int p = row + x * 3;
          sum += (px.get(p) & 0xff) * 29 + (px.get(p + 1) & 0xff) * 150 + (px.get(p + 2) & 0xff) * 77;
          n++;
        }
      }
      bits[i] = sum / n / 256 >= 128;
    }
    byte[] payload = new byte[8];
    for (int i = 0; i < 64; i++) {
      if (bits[i]) {
        payload[i >> 3] |= (byte) (1 << (7 - (i & 7)));
      }
    }
    int crc = 0;
    for (int i = 0; i < 16; i++) {
      crc = (crc << 1) | (bits[64 + i] ? 1 : 0);
    }
    if (crc != crc16(payload)) {
      throw new NoFrameStampException("no valid stamp (checksum mismatch)");
    }
    long frame = 0;
    long ts = 0;
    for (int i = 0; i < 4; i++) {
      frame = (frame << 8) | (payload[i] & 0xff);
      ts = (ts << 8) | (payload[4 + i] & 0xff);
    }
    return new FrameStamp(frame, ts);
  }

  private static byte[] payload(long frame, long ts) {
    byte[] p = new byte[8];
    for (int i = 0; i < 4; i++) {
      p[i] = (byte) (frame >>> (24 - 8 * i));
      p[4 + i] = (byte) (ts >>> (24 - 8 * i));
    }
    return p;
  }

  /** CRC-16/CCITT-FALSE. */
  static int crc16(byte[] data) {
    int crc = 0xffff;
    for (byte b : data) {
      crc ^= (b & 0xff) << 8;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
      }
    }
    return crc;
  }
}
