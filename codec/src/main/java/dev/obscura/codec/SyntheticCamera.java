package dev.obscura.codec;

import java.util.Locale;
import dev.obscura.codec.internal.BitmapFont;
import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;

/**
 * A camera without a camera: a moving test pattern (colour bars with a vertical gradient and a
 * bouncing box that moves every frame) with the frame number and timestamp burned into the
 * pixels as a machine-readable {@link FrameStamp} barcode plus human-readable digits. With
 * {@link SyntheticScene#TEXTURED} in the settings it films a still fine-grained background with
 * per-frame grain and several moving boxes instead, which an encoder cannot squeeze below its
 * target bitrate (see {@link SyntheticScene}); the scripted scenes ({@link SyntheticScene#IDLE},
 * {@link SyntheticScene#SLOW_MOTION}, {@link SyntheticScene#PERSON_CROSSING}, {@link
 * SyntheticScene#BUSY_STREET}) film the same background with mild grain and scripted motion.
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
  private final Textured textured;

  /**
   * A camera filming {@code settings.scene()} at {@code settings}' size and rate.
   *
   * @param settings picture size, rate and scene
   */
  public SyntheticCamera(VideoSettings settings) {
    this.settings = settings;
    this.frame = new Frame(settings.width(), settings.height(), Frame.DEPTH_UBYTE, 3);
    this.stride = frame.imageStride;
    boolean tex = settings.scene() == SyntheticScene.TEXTURED || settings.scene().scripted();
    this.background = tex ? null : paintBackground(settings.width(), settings.height(), stride);
    this.textured = tex ? new Textured(settings) : null;
    this.pixels = new byte[stride * settings.height()];
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
    int top = FrameStamp.ROWS * FrameStamp.cell(w) + 8 * Math.max(1, FrameStamp.cell(w) / 4);
    if (textured != null) {
      textured.render(n, pixels, stride, top);
    } else {
      System.arraycopy(background, 0, pixels, 0, background.length);
      // bouncing box, below the stamp band
      int size = Math.max(16, h / 6);
      int bx = bounce(n * Math.max(2, w / 160), w - size);
      int by = top + bounce(n * Math.max(1, h / 160), Math.max(1, h - top - size));
      int colour = (int) ((n * 0x3f1f7L) & 0xffffff) | 0x404040;
      BitmapFont.fill(pixels, w, h, stride, bx, by, size, size, colour);
      BitmapFont.fill(pixels, w, h, stride, bx + size / 4, by + size / 4, size / 2, size / 2, ~colour & 0xffffff);
    }
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
    String text = String.format(Locale.ROOT, "F%06d T%d.%03d", stamp.frameNumber(), ms / 1000, ms % 1000);
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

  /**
   * The {@link SyntheticScene#TEXTURED} scene, a fixed camera's view: a still fine-grained
   * background (a panning one makes openh264 insert an intra frame every 17 frames, which no
   * fixed camera does), moving boxes; then per-row shifted grain from a fixed noise table, so frame
   * {@code n} is deterministic and costs one pass over the pixels. Texture and box colours stay
   * within [GRAIN, 255 - GRAIN] so the grain never wraps. The grain's amplitude follows the bits
   * per pixel the target allows (openh264 in its default quality mode overshoots a low target
   * by half on full-strength grain): up to ±12 at 0.07 bit per pixel, down to ±3.
   */
  private static final class Textured {
    private static final int GRAIN = 12;
    /** The scripted scenes' sensor grain, whatever the bitrate. */
    private static final int SCRIPTED_GRAIN = 3;
    private static final int NOISE_SLACK = 8192;
    private final int w;
    private final int h;
    private final SyntheticScene scene;
    private final int fps;
    private final byte[] texture;
    private final byte[] noise;

    private final int grain;

    Textured(VideoSettings s) {
      int w = s.width();
      int h = s.height();
      this.w = w;
      this.h = h;
      this.scene = s.scene();
      this.fps = s.fps();
      double bitsPerPixel = s.bitrateBitsPerSecond() / ((double) w * h * s.fps());
      double strength = Math.max(0.25, Math.min(1, bitsPerPixel / 0.07));
      this.grain = scene.scripted() ? SCRIPTED_GRAIN : (int) Math.max(3, Math.round(GRAIN * strength));
      int detail = scene.scripted() ? 40 : (int) Math.max(8, Math.round(40 * strength));
      int tw = w;
      int th = h;
      this.texture = new byte[tw * 3 * th];
      java.util.SplittableRandom r = new java.util.SplittableRandom(0x5eed);
      // coarse blobs (8x8 cells, smoothly varying) plus fine per-pixel detail, like foliage
      int cw = tw / 8 + 2;
      int ch = th / 8 + 2;
      int[] coarse = new int[cw * ch * 3];
      for (int i = 0; i < coarse.length; i++) {
        coarse[i] = r.nextInt(150);
      }
      for (int y = 0; y < th; y++) {
        for (int x = 0; x < tw; x++) {
          int cx = x / 8;
          int cy = y / 8;
          int fx = x & 7;
          int fy = y & 7;
          for (int c = 0; c < 3; c++) {
            int a = coarse[(cy * cw + cx) * 3 + c];
            int b = coarse[(cy * cw + cx + 1) * 3 + c];
            int d = coarse[((cy + 1) * cw + cx) * 3 + c];
            int e = coarse[((cy + 1) * cw + cx + 1) * 3 + c];
            int v = ((a * (8 - fx) + b * fx) * (8 - fy) + (d * (8 - fx) + e * fx) * fy) / 64;
            v += 40 + r.nextInt(detail) + (((x >> 2) ^ (y >> 2)) & 1) * 12;
            texture[(y * tw + x) * 3 + c] = (byte) Math.max(GRAIN, Math.min(255 - GRAIN, v));
          }
        }
      }
      this.noise = new byte[w * 3 + NOISE_SLACK];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (byte) (r.nextInt(2 * grain + 1) - grain);
      }
    }

    void render(long n, byte[] px, int stride, int top) {
      int row = w * 3;
      for (int y = 0; y < h; y++) {
        System.arraycopy(texture, y * row, px, y * stride, row);
      }
      switch (scene) {
        case IDLE:
          break;
        case SLOW_MOTION:
          slowMotion(n, px, stride, top);
          break;
        case PERSON_CROSSING:
          personCrossing(n, px, stride, top);
          break;
        case BUSY_STREET:
          busyStreet(n, px, stride, top);
          break;
        default:
          boxes(n, px, stride, top);
          break;
      }
      grain(n, px, stride);
    }

    /** TEXTURED's motion: six bouncing boxes. */
    private void boxes(long n, byte[] px, int stride, int top) {
      int[] speeds = {5, 9, 13, 7, 11, 3};
      for (int i = 0; i < speeds.length; i++) {
        int size = Math.max(16, h / (5 + i));
        int bx = bounce(n * speeds[i] * Math.max(1, w / 640) + i * 997L, Math.max(1, w - size));
        int by = top + bounce(n * speeds[(i + 2) % speeds.length] + i * 331L, Math.max(1, h - top - size));
        int colour = (int) (((i + 1) * 0x3f1f7L) & 0x9f9f9f) | 0x202020;
        BitmapFont.fill(px, w, h, stride, bx, by, size, size, colour);
        BitmapFont.fill(px, w, h, stride, bx + size / 4, by + size / 4, size / 2, size / 2, ~colour & 0xbfbfbf | 0x101010);
      }
    }

    /** One small two-tone object, about a pixel a frame along a slow diagonal. */
    private void slowMotion(long n, byte[] px, int stride, int top) {
      int size = Math.max(8, h / 12);
      int bx = bounce(n + w / 3, Math.max(1, w - size));
      int by = top + bounce(n / 3 + h / 4, Math.max(1, h - top - size));
      BitmapFont.fill(px, w, h, stride, bx, by, size, size, 0x8a5a2a);
      BitmapFont.fill(px, w, h, stride, bx + size / 4, by + size / 4, size / 2, size / 2, 0x2a3a9a);
    }

    /** A person walking across in 3 s of every 8 s: legs that swing, a body, a head. */
    private void personCrossing(long n, byte[] px, int stride, int top) {
      long cycle = 8L * fps;
      long walk = 3L * fps;
      long t = n % cycle;
      if (t >= walk) {
        return;
      }
      int bodyH = Math.max(16, (h - top) / 2);
      int bodyW = Math.max(6, bodyH / 3);
      int head = Math.max(4, bodyW * 2 / 3);
      int legs = bodyH / 2;
      int span = w + 2 * bodyW;
      int x = (int) (t * span / walk) - bodyW;
      int feet = h - Math.max(4, h / 20);
      int y = feet - legs - bodyH;
      boolean leftToRight = (n / cycle) % 2 == 0;
      if (!leftToRight) {
        x = w - bodyW - x;
      }
      int swing = (int) ((t % 8) < 4 ? t % 8 : 8 - t % 8) * bodyW / 8;
      BitmapFont.fill(px, w, h, stride, x + bodyW / 2 - head / 2, y - head, head, head, 0xc89070);
      BitmapFont.fill(px, w, h, stride, x, y, bodyW, bodyH, 0x3050a0);
      BitmapFont.fill(px, w, h, stride, x + swing / 2, y + bodyH, bodyW / 3, legs, 0x303030);
      BitmapFont.fill(px, w, h, stride, x + bodyW - bodyW / 3 - swing / 2, y + bodyH, bodyW / 3, legs, 0x303030);
    }

    /** Cars on two lanes and pedestrians on a pavement, all moving, at different speeds. */
    private void busyStreet(long n, byte[] px, int stride, int top) {
      int lane = Math.max(8, (h - top) / 6);
      int carW = Math.max(16, w / 5);
      for (int i = 0; i < 6; i++) {
        int speed = 4 + (i * 5) % 9;
        int span = w + carW;
        int x = (int) ((n * speed + i * 211L) % span) - carW;
        if (i % 2 == 1) {
          x = w - carW - x;
        }
        int y = top + lane + (i % 2) * (lane + lane / 2);
        int colour = (int) (((i + 3) * 0x5a3f17L) & 0x9f9f9f) | 0x202020;
        BitmapFont.fill(px, w, h, stride, x, y, carW, lane, colour);
        BitmapFont.fill(px, w, h, stride, x + carW / 5, y + lane / 5, carW / 3, lane / 2, 0x202830);
      }
      int pedH = Math.max(10, (h - top) / 4);
      int pedW = Math.max(4, pedH / 3);
      for (int i = 0; i < 8; i++) {
        int speed = 1 + i % 3;
        int x = bounce(n * speed + i * 97L, Math.max(1, w - pedW));
        int y = h - pedH - (i % 3) * Math.max(2, pedH / 4) - Math.max(2, h / 40);
        int colour = (int) (((i + 7) * 0x2f6b1dL) & 0xafafaf) | 0x181818;
        BitmapFont.fill(px, w, h, stride, x, y, pedW, pedH, colour);
      }
    }

    /** Per-row shifted grain from the fixed noise table: frame n always the same. */
    private void grain(long n, byte[] px, int stride) {
      int row = w * 3;
      java.util.SplittableRandom r = new java.util.SplittableRandom(n * 0x9e3779b97f4a7c15L);
      for (int y = 0; y < h; y++) {
        int o = r.nextInt(NOISE_SLACK);
        int p = y * stride;
        for (int i = 0; i < row; i++) {
          px[p + i] = (byte) (px[p + i] + noise[o + i]);
        }
      }
    }
  }
}
