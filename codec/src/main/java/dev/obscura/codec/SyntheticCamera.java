package dev.obscura.codec;

import dev.obscura.codec.internal.BitmapFont;
import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;

/**
 * A camera without a camera: a moving test pattern (colour bars with a vertical gradient and a
 * bouncing box that moves every frame) with the frame number and timestamp burned into the
 * pixels as a machine-readable {@link FrameStamp} barcode plus human-readable digits.
 *
 * <p>Frames are generated in Java, deterministically: frame {@code n} is always the same picture,
 * with timestamp {@code n * 1000 / fps} ms. Not thread-safe; one instance per producer.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * SyntheticCamera cam = new SyntheticCamera(VideoSettings.QVGA_240P15);
 * Frame f = cam.frame(0);                 // BGR24, owned by the camera, reused by the next call
 * }</pre>
 */
public final class SyntheticCamera {
  /**
   * A marker string the synthetic camera writes into the metadata ({@code comment}) of every
   * segment it makes, so tests can prove that no plaintext reaches a store.
   */
  public static final String MARKER = "obscura-synthetic-camera-plaintext-marker";

  private final VideoSettings settings;
  private final int stride;
  private final byte[] background;
  private final byte[] pixels;
  private final Frame frame;

  public SyntheticCamera(VideoSettings settings) {
    this.settings = settings;
    this.frame = new Frame(settings.width(), settings.height(), Frame.DEPTH_UBYTE, 3);
    this.stride = frame.imageStride;
    this.background = paintBackground(settings.width(), settings.height(), stride);
    this.pixels = new byte[background.length];
  }

  public VideoSettings settings() {
    return settings;
  }

  /** Media timestamp of frame {@code n}, in microseconds. */
  public long timestampMicros(long n) {
    return n * 1_000_000L / settings.fps();
  }

  /**
   * Renders frame {@code n} into a BGR24 {@link Frame} with {@code timestamp} set. The frame and
   * its buffer belong to the camera and are overwritten by the next call.
   */
  public Frame frame(long n) {
    render(n);
    ByteBuffer buf = (ByteBuffer) frame.image[0];
    buf.clear();
    buf.put(pixels, 0, Math.min(pixels.length, buf.capacity()));
    buf.clear();
    frame.timestamp = timestampMicros(n);
    frame.keyFrame = false;
    return frame;
  }

  /**
   * Renders frame {@code n} as packed BGR24 ({@code height * stride} bytes, stride from {@link
   * #stride()}); the array belongs to the camera and is overwritten by the next call.
   */
  public byte[] render(long n) {
    int w = settings.width();
    int h = settings.height();
    System.arraycopy(background, 0, pixels, 0, background.length);
    // bouncing box, below the stamp band
    int top = FrameStamp.ROWS * FrameStamp.cell(w) + 8 * Math.max(1, FrameStamp.cell(w) / 4);
    int size = Math.max(16, h / 6);
    int bx = bounce(n * Math.max(2, w / 160), w - size);
    int by = top + bounce(n * Math.max(1, h / 160), Math.max(1, h - top - size));
    int colour = (int) ((n * 0x3f1f7L) & 0xffffff) | 0x404040;
    BitmapFont.fill(pixels, w, h, stride, bx, by, size, size, colour);
    BitmapFont.fill(pixels, w, h, stride, bx + size / 4, by + size / 4, size / 2, size / 2, ~colour & 0xffffff);
    // stamp
    FrameStamp stamp = new FrameStamp(n & 0xffffffffL, (timestampMicros(n) / 1000) & 0xffffffffL);
    boolean[] bits = stamp.bits();
    int cell = FrameStamp.cell(w);
    for (int i = 0; i < bits.length; i++) {
      int x0 = (i % FrameStamp.COLUMNS) * w / FrameStamp.COLUMNS;
      int x1 = (i % FrameStamp.COLUMNS + 1) * w / FrameStamp.COLUMNS;
      BitmapFont.fill(pixels, w, h, stride, x0, (i / FrameStamp.COLUMNS) * cell, x1 - x0, cell,
          bits[i] ? 0xffffff : 0x000000);
    }
    int scale = Math.max(1, cell / 4);
    long ms = stamp.timestampMillis();
    String text = String.format("F%06d T%d.%03d", stamp.frameNumber(), ms / 1000, ms % 1000);
    int ty = FrameStamp.ROWS * cell + scale;
    BitmapFont.fill(pixels, w, h, stride, 0, ty - scale, BitmapFont.width(text, scale) + scale, 7 * scale, 0);
    BitmapFont.draw(pixels, w, h, stride, text, scale, ty, scale, 0xffffff);
    return pixels;
  }

  /** Bytes per row of {@link #render(long)}'s output. */
  public int stride() {
    return stride;
  }

  private static int bounce(long t, int range) {
    if (range <= 0) {
      return 0;
    }
    long p = t % (2L * range);
    return (int) (p < range ? p : 2L * range - p);
  }

  private static byte[] paintBackground(int w, int h, int stride) {
    int[] bars = {0xc0c0c0, 0x00c0c0, 0xc0c000, 0x00c000, 0xc000c0, 0x0000c0, 0xc00000, 0x404040};
    byte[] px = new byte[stride * h];
    for (int y = 0; y < h; y++) {
      int shade = 64 + 191 * y / Math.max(1, h - 1);
      for (int x = 0; x < w; x++) {
        int c = bars[x * bars.length / w];
        int p = y * stride + x * 3;
        // colours above are 0xRRGGBB; pixels are B, G, R
        px[p] = (byte) ((c & 0xff) * shade / 255);
        px[p + 1] = (byte) (((c >> 8) & 0xff) * shade / 255);
        px[p + 2] = (byte) (((c >> 16) & 0xff) * shade / 255);
      }
    }
    return px;
  }
}
