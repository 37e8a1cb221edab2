package dev.obscura.codec.testing;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Scripted test scenes for motion detection (test code only, published in the codec test-jar):
 * a fixed camera's still view (a fine-grained background with a little sensor grain per frame),
 * and, between two times, a dark box crossing it from left to right. {@link #write} encodes one
 * as an H.264 MP4 file (a keyframe a second), which {@code Segmenters.open} passes through.
 * With {@code crossFrom == crossTo} the scene is idle throughout.
 *
 * @param width frame width
 * @param height frame height
 * @param fps frames per second
 * @param frames how many frames
 * @param crossFrom first frame of the crossing
 * @param crossTo frame after the crossing
 */
public record MotionScenes(int width, int height, int fps, int frames, int crossFrom, int crossTo) {
  /**
   * An idle scene.
   *
   * @param width width
   * @param height height
   * @param fps rate
   * @param seconds length
   * @return the scene
   */
  public static MotionScenes idle(int width, int height, int fps, int seconds) {
    return new MotionScenes(width, height, fps, seconds * fps, 0, 0);
  }

  /**
   * A scene with a crossing from {@code fromSecond} to {@code toSecond}.
   *
   * @param width width
   * @param height height
   * @param fps rate
   * @param seconds length
   * @param fromSecond start of the crossing
   * @param toSecond end of the crossing
   * @return the scene
   */
  public static MotionScenes crossing(int width, int height, int fps, int seconds, int fromSecond, int toSecond) {
    return new MotionScenes(width, height, fps, seconds * fps, fromSecond * fps, toSecond * fps);
  }

  /** The box's side in pixels. */
  public int boxSize() {
    return height / 3;
  }

  /**
   * The box's left edge in frame {@code n}, or {@code Integer.MIN_VALUE} when it is not in view.
   *
   * @param n the frame
   * @return the x of the box's left edge
   */
  public int boxX(int n) {
    if (n < crossFrom || n >= crossTo) {
      return Integer.MIN_VALUE;
    }
    double t = (n - crossFrom + 0.5) / (crossTo - crossFrom);
    return (int) Math.round(-boxSize() + t * (width + boxSize()));
  }

  /** The box's top edge. */
  public int boxY() {
    return (height - boxSize()) / 2;
  }

  /**
   * Frame {@code n} as packed BGR24.
   *
   * @param n the frame
   * @return {@code width * height * 3} bytes
   */
  public byte[] render(int n) {
    byte[] px = new byte[width * height * 3];
    SplittableRandom still = new SplittableRandom(42);
    SplittableRandom grain = new SplittableRandom(1000L + n);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int base = 90 + ((x / 8 + y / 8) % 2) * 40 + still.nextInt(24) + grain.nextInt(5) - 2;
        int p = (y * width + x) * 3;
        px[p] = (byte) base;
        px[p + 1] = (byte) (base + 10);
        px[p + 2] = (byte) (base + 20);
      }
    }
    int bx = boxX(n);
    if (bx != Integer.MIN_VALUE) {
      for (int y = boxY(); y < boxY() + boxSize(); y++) {
        for (int x = Math.max(0, bx); x < Math.min(width, bx + boxSize()); x++) {
          int p = (y * width + x) * 3;
          px[p] = 20;
          px[p + 1] = 20;
          px[p + 2] = (byte) 200;
        }
      }
    }
    return px;
  }

  /**
   * Encodes the scene to an H.264 MP4 file.
   *
   * @param file where
   * @return {@code file}
   * @throws IOException if encoding fails
   */
  public Path write(Path file) throws IOException {
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toString(), width, height, 0)) {
      r.setFormat("mp4");
      r.setVideoCodecName("libopenh264");
      r.setPixelFormat(AV_PIX_FMT_YUV420P);
      r.setFrameRate(fps);
      r.setGopSize(fps);
      r.setVideoBitrate(800_000);
      r.start();
      Frame f = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
      for (int n = 0; n < frames; n++) {
        byte[] px = render(n);
        ByteBuffer buf = (ByteBuffer) f.image[0];
        for (int y = 0; y < height; y++) {
          buf.position(y * f.imageStride);
          buf.put(px, y * width * 3, width * 3);
        }
        buf.clear();
        r.setFrameNumber(n);
        r.record(f, AV_PIX_FMT_BGR24);
      }
      r.stop();
    }
    return file;
  }
}
