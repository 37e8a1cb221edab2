package dev.obscura.codec;

import dev.obscura.core.MediaSegment;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Motion detection by frame differencing on decoded frames, for motion events. Each segment the
 * camera records is decoded (at low resolution: the decoder's output is scaled to the thumbnail
 * size, then averaged down to a {@value #ANALYSIS_WIDTH}-pixel-wide luma grid), each frame's luma is
 * compared with that of the frame {@link #COMPARE_INTERVAL} before it (so slow motion shows), and a frame is <em>moving</em> when more than {@link
 * Builder#changedFraction} of its grid pixels changed by more than {@link Builder#pixelThreshold}
 * levels (both set together by {@link Builder#sensitivity}). An event starts at the first moving
 * frame and ends at the last one before {@link Builder#postRoll} of stillness; it is reported
 * ({@link Listener#motion}) if it lasted at least {@link Builder#minDuration}, with a JPEG of the
 * frame with the most changed pixels. H.264 passthrough input is decoded here for detection
 * only: the stored segments are the camera's own bytes.
 *
 * <p>Thumbnails are encoded with {@code javax.imageio}'s JPEG writer: this module already runs
 * only on desktop and server JVMs (JavaCV's natives), the writer takes a quality setting for the
 * shrink loop without an encoder context per image, and its output is baseline JFIF that every
 * viewer decodes. A thumbnail larger than {@link Builder#maxThumbnailBytes} is re-encoded at
 * lower quality, then at half the size, until it fits.
 *
 * <p><b>Guarantees:</b> bad input never stops the camera: a segment that does not decode is
 * counted ({@link #segmentsFailed()}), logged, and skipped (the differencing restarts after it).
 *
 * <p><b>Restrictions:</b> not thread-safe; feed segments in recording order. Decoding costs about
 * what the encoder did at the same resolution, on the camera's thread.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * MotionDetector motion = MotionDetector.builder().sensitivity(0.6).minDuration(Duration.ofSeconds(1))
 *     .listener(e -> recorder.recordEvent(new MotionEventDraft(e.start(), e.end(), e.peak(), e.thumbnail())))
 *     .build();
 * for (MediaSegment s; (s = camera.next()) != null; ) { recorder.seal(s); motion.accept(s); }
 * motion.finish();
 * }</pre>
 */
public final class MotionDetector {
  private static final System.Logger log = System.getLogger(MotionDetector.class.getName());

  /** How far back the frame is that each frame is compared with. */
  public static final Duration COMPARE_INTERVAL = Duration.ofMillis(200);

  /** Width of the luma grid frames are compared on. */
  public static final int ANALYSIS_WIDTH = 160;

  /** Hears detected events. */
  @FunctionalInterface
  public interface Listener {
    /**
     * One event ended (or the recording did, with {@link #finish()}).
     *
     * @param event the event
     * @throws IOException if handling it failed (the detector goes on)
     */
    void motion(Event event) throws IOException;
  }

  /**
   * One detected event.
   *
   * @param start the first moving frame's time
   * @param end the last moving frame's time
   * @param peak the time of the frame with the most motion
   * @param peakScore the fraction of the grid that changed in that frame (0..1)
   * @param thumbnail a JPEG of that frame
   * @param thumbnailWidth its width
   * @param thumbnailHeight its height
   */
  public record Event(Instant start, Instant end, Instant peak, double peakScore, byte[] thumbnail,
      int thumbnailWidth, int thumbnailHeight) {
    /**
     * How long the motion lasted.
     *
     * @return {@code end - start}
     */
    public Duration duration() {
      return Duration.between(start, end);
    }
  }

  private final int pixelThreshold;
  private final double changedFraction;
  private final Duration minDuration;
  private final Duration postRoll;
  private final int thumbWidth;
  private final int maxThumbnailBytes;
  private final double[] ignore;
  private final Listener listener;

  private record Past(Instant at, int[] luma) {}

  private final java.util.ArrayDeque<Past> history = new java.util.ArrayDeque<>();
  private int gridW;
  private int gridH;
  private long frames;
  private long segmentsFailed;
  private long events;
  // the open event
  private Instant start;
  private Instant lastMoving;
  private Instant peak;
  private double peakScore = -1;
  private byte[] peakBgr;
  private int peakW;
  private int peakH;
  private final List<Event> pending = new ArrayList<>();

  private MotionDetector(Builder b) {
    this.pixelThreshold = b.pixelThreshold;
    this.changedFraction = b.changedFraction;
    this.minDuration = b.minDuration;
    this.postRoll = b.postRoll;
    this.thumbWidth = b.thumbnailWidth;
    this.maxThumbnailBytes = b.maxThumbnailBytes;
    this.ignore = b.ignore;
    this.listener = b.listener;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MotionDetector}. */
  public static final class Builder {
    private int pixelThreshold;
    private double changedFraction;
    private Duration minDuration = Duration.ofSeconds(1);
    private Duration postRoll = Duration.ofSeconds(1);
    private int thumbnailWidth = 320;
    private int maxThumbnailBytes = 60 * 1024;
    private double[] ignore;
    private Listener listener = e -> { };

    private Builder() {
      sensitivity(0.5);
    }

    /**
     * Sets both thresholds from one setting: 0 reacts only to large, contrasted motion (a pixel
     * must change by 60 levels, 2% of the picture), 1 to small or faint motion (10 levels,
     * 0.1%); default 0.5 (35 levels, 1.05%).
     *
     * @param s from 0 to 1
     * @return this builder
     * @throws IllegalArgumentException if {@code s} is outside 0..1
     */
    public Builder sensitivity(double s) {
      if (!(s >= 0 && s <= 1)) {
        throw new IllegalArgumentException("sensitivity must be in 0..1");
      }
      this.pixelThreshold = (int) Math.round(60 - 50 * s);
      this.changedFraction = 0.02 - 0.019 * s;
      return this;
    }

    /**
     * How many luma levels (0..255) a grid pixel must change by to count as changed.
     *
     * @param levels 1..255
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder pixelThreshold(int levels) {
      if (levels < 1 || levels > 255) {
        throw new IllegalArgumentException("pixel threshold must be 1..255");
      }
      this.pixelThreshold = levels;
      return this;
    }

    /**
     * Which fraction of the grid must change for a frame to be moving.
     *
     * @param fraction in (0, 1]
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder changedFraction(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("changed fraction must be in (0, 1]");
      }
      this.changedFraction = fraction;
      return this;
    }

    /**
     * The shortest motion reported (default 1 s); shorter blips are dropped.
     *
     * @param d not negative
     * @return this builder
     */
    public Builder minDuration(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("minimum duration must be >= 0");
      }
      this.minDuration = d;
      return this;
    }

    /**
     * How long the picture must stay still for an event to end (default 1 s): motion that
     * resumes within it continues the event.
     *
     * @param d not negative
     * @return this builder
     */
    public Builder postRoll(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("post-roll must be >= 0");
      }
      this.postRoll = d;
      return this;
    }

    /**
     * The thumbnail's width in pixels (default 320; the height keeps the picture's aspect).
     *
     * @param w 16..1920
     * @return this builder
     */
    public Builder thumbnailWidth(int w) {
      if (w < 16 || w > 1920) {
        throw new IllegalArgumentException("thumbnail width must be 16..1920");
      }
      this.thumbnailWidth = w;
      return this;
    }

    /**
     * The largest thumbnail (default 60 KiB): a larger JPEG is re-encoded smaller. A camera
     * that seals events passes the format's limit ({@code MotionEventFormat.MAX_THUMBNAIL_BYTES}).
     *
     * @param bytes at least 1024
     * @return this builder
     */
    public Builder maxThumbnailBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("thumbnail limit must be at least 1024 bytes");
      }
      this.maxThumbnailBytes = bytes;
      return this;
    }

    /**
     * A region whose changes are ignored (a burned-in clock, a tree), in fractions of the
     * picture; one region (a later call replaces it).
     *
     * @param x left edge, 0..1
     * @param y top edge, 0..1
     * @param w width, 0..1
     * @param h height, 0..1
     * @return this builder
     */
    public Builder ignore(double x, double y, double w, double h) {
      for (double v : new double[] {x, y, w, h}) {
        if (!(v >= 0 && v <= 1)) {
          throw new IllegalArgumentException("an ignored region is given in fractions 0..1");
        }
      }
      this.ignore = new double[] {x, y, x + w, y + h};
      return this;
    }

    /**
     * Who hears events.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the detector.
     *
     * @return the detector
     */
    public MotionDetector build() {
      return new MotionDetector(this);
    }
  }

  /**
   * Decodes one recorded segment and runs its frames through the detector; events that end in
   * it are reported before this returns. A segment that does not decode is skipped.
   *
   * @param segment the segment, in recording order
   * @throws IOException if the listener failed
   */
  public void accept(MediaSegment segment) throws IOException {
    Objects.requireNonNull(segment, "segment");
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(segment.data()), 0)) {
      g.setFormat("mp4");
      g.start();
      int srcW = g.getImageWidth();
      int srcH = g.getImageHeight();
      if (srcW > thumbWidth) {
        g.setImageWidth(thumbWidth);
        g.setImageHeight(Math.max(2, (int) Math.round((double) srcH * thumbWidth / srcW) & ~1));
      }
      long first = Long.MIN_VALUE;
      for (Frame f; (f = g.grabImage()) != null; ) {
        if (first == Long.MIN_VALUE) {
          first = f.timestamp;
        }
        Instant at = segment.startTime().plusNanos(Math.max(0, f.timestamp - first) * 1000);
        frame(at, f);
      }
      g.stop();
    } catch (IOException | RuntimeException e) {
      segmentsFailed++;
      history.clear(); // compare nothing across the gap
      log.log(System.Logger.Level.WARNING, "segment " + segment.index() + " did not decode for motion detection"
          + " (skipped): " + e.getMessage());
    }
    deliver();
  }

  /** One decoded BGR24 frame. */
  private void frame(Instant at, Frame f) {
    if (f.image == null || f.imageChannels != 3 || f.imageWidth < 2 || f.imageHeight < 2) {
      return;
    }
    int w = f.imageWidth;
    int h = f.imageHeight;
    int stride = f.imageStride;
    ByteBuffer buf = (ByteBuffer) f.image[0];
    byte[] bgr = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      buf.position(y * stride);
      buf.get(bgr, y * w * 3, w * 3);
    }
    buf.clear();
    offer(at, bgr, w, h);
  }

  /**
   * Runs one raw frame through the detector (for a caller that decodes itself); events that end
   * with it are reported before this returns.
   *
   * @param at the frame's time
   * @param bgr packed BGR24 pixels, {@code width * height * 3} bytes (copied if kept)
   * @param width the frame's width
   * @param height the frame's height
   * @throws IOException if the listener failed
   */
  public void offerFrame(Instant at, byte[] bgr, int width, int height) throws IOException {
    if (width < 2 || height < 2 || bgr.length < width * height * 3) {
      throw new IllegalArgumentException("a frame of " + width + "x" + height + " needs " + (width * height * 3) + " bytes");
    }
    offer(at, bgr, width, height);
    deliver();
  }

  private void offer(Instant at, byte[] bgr, int w, int h) {
    frames++;
    int gw = Math.min(ANALYSIS_WIDTH, w);
    int gh = Math.max(1, (int) Math.round((double) h * gw / w));
    int[] luma = luma(bgr, w, h, gw, gh);
    if (gw != gridW || gh != gridH) {
      history.clear();
      gridW = gw;
      gridH = gh;
    }
    // the reference: the newest frame at least COMPARE_INTERVAL older (slow motion shows too)
    int[] previous = null;
    while (!history.isEmpty()
        && Duration.between(history.peekFirst().at, at).compareTo(COMPARE_INTERVAL) >= 0) {
      Past p = history.pollFirst();
      if (history.isEmpty() || Duration.between(history.peekFirst().at, at).compareTo(COMPARE_INTERVAL) < 0) {
        previous = p.luma;
        history.addFirst(p);
        break;
      }
    }
    history.addLast(new Past(at, luma));
    if (history.size() > 240) {
      history.pollFirst();
    }
    if (previous == null) {
      return;
    }
    int changed = 0;
    int counted = 0;
    int x0 = ignore == null ? 0 : (int) Math.floor(ignore[0] * gw);
    int y0 = ignore == null ? 0 : (int) Math.floor(ignore[1] * gh);
    int x1 = ignore == null ? 0 : (int) Math.ceil(ignore[2] * gw);
    int y1 = ignore == null ? 0 : (int) Math.ceil(ignore[3] * gh);
    for (int y = 0; y < gh; y++) {
      for (int x = 0; x < gw; x++) {
        if (x >= x0 && x < x1 && y >= y0 && y < y1) {
          continue;
        }
        counted++;
        int i = y * gw + x;
        if (Math.abs(luma[i] - previous[i]) > pixelThreshold) {
          changed++;
        }
      }
    }
    double score = counted == 0 ? 0 : (double) changed / counted;
    if (score >= changedFraction) {
      if (start == null) {
        start = at;
      }
      lastMoving = at;
      if (score > peakScore) {
        peakScore = score;
        peak = at;
        peakBgr = bgr.clone();
        peakW = w;
        peakH = h;
      }
    } else if (start != null && Duration.between(lastMoving, at).compareTo(postRoll) >= 0) {
      close();
    }
  }

  /** Box-averaged luma (BT.601) of a {@code gw x gh} grid. */
  private static int[] luma(byte[] bgr, int w, int h, int gw, int gh) {
    int[] sum = new int[gw * gh];
    int[] count = new int[gw * gh];
    for (int y = 0; y < h; y++) {
      int gy = Math.min(gh - 1, y * gh / h);
      for (int x = 0; x < w; x++) {
        int gx = Math.min(gw - 1, x * gw / w);
        int p = (y * w + x) * 3;
        int l = (29 * (bgr[p] & 0xff) + 150 * (bgr[p + 1] & 0xff) + 77 * (bgr[p + 2] & 0xff)) >> 8;
        sum[gy * gw + gx] += l;
        count[gy * gw + gx]++;
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] = count[i] == 0 ? 0 : sum[i] / count[i];
    }
    return sum;
  }

  /** Ends the open event: queued for the listener if it lasted long enough. */
  private void close() {
    if (start == null) {
      return;
    }
    if (Duration.between(start, lastMoving).compareTo(minDuration) >= 0) {
      Thumbnail t = thumbnail(peakBgr, peakW, peakH);
      pending.add(new Event(start, lastMoving, peak, peakScore, t.jpeg, t.width, t.height));
      events++;
    }
    start = null;
    lastMoving = null;
    peak = null;
    peakScore = -1;
    peakBgr = null;
  }

  private void deliver() throws IOException {
    IOException first = null;
    for (Iterator<Event> it = pending.iterator(); it.hasNext(); ) {
      Event e = it.next();
      it.remove();
      try {
        listener.motion(e);
      } catch (IOException ex) {
        log.log(System.Logger.Level.WARNING, "a motion event from " + e.start() + " was not handled: " + ex.getMessage());
        if (first == null) {
          first = ex;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Ends an event still open at the end of the recording (reported if long enough).
   *
   * @throws IOException if the listener failed
   */
  public void finish() throws IOException {
    close();
    deliver();
  }

  private record Thumbnail(byte[] jpeg, int width, int height) {}

  /** JPEG of the frame, scaled to the thumbnail width, re-encoded smaller until it fits. */
  private Thumbnail thumbnail(byte[] bgr, int w, int h) {
    int tw = Math.min(thumbWidth, w);
    int th = Math.max(1, (int) Math.round((double) h * tw / w));
    float[] qualities = {0.85f, 0.7f, 0.5f, 0.3f};
    while (true) {
      BufferedImage img = scaled(bgr, w, h, tw, th);
      for (float q : qualities) {
        byte[] jpeg = jpeg(img, q);
        if (jpeg.length <= maxThumbnailBytes) {
          return new Thumbnail(jpeg, tw, th);
        }
      }
      if (tw <= 16) {
        throw new IllegalStateException("no JPEG of " + tw + "x" + th + " fits " + maxThumbnailBytes + " bytes");
      }
      tw = Math.max(16, tw / 2);
      th = Math.max(1, th / 2);
    }
  }

  /** Nearest-neighbour scaling into a BGR {@link BufferedImage}. */
  private static BufferedImage scaled(byte[] bgr, int w, int h, int tw, int th) {
    BufferedImage img = new BufferedImage(tw, th, BufferedImage.TYPE_3BYTE_BGR);
    byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < th; y++) {
      int sy = Math.min(h - 1, (int) ((y + 0.5) * h / th));
      for (int x = 0; x < tw; x++) {
        int sx = Math.min(w - 1, (int) ((x + 0.5) * w / tw));
        System.arraycopy(bgr, (sy * w + sx) * 3, out, (y * tw + x) * 3, 3);
      }
    }
    return img;
  }

  private static byte[] jpeg(BufferedImage img, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      writer.write(null, new IIOImage(img, null, null), p);
    } catch (IOException e) {
      throw new IllegalStateException("the JPEG writer failed in memory", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * Frames analysed so far.
   *
   * @return the count
   */
  public long frames() {
    return frames;
  }

  /**
   * Segments that did not decode (skipped).
   *
   * @return the count
   */
  public long segmentsFailed() {
    return segmentsFailed;
  }

  /**
   * Events reported so far.
   *
   * @return the count
   */
  public long events() {
    return events;
  }

  @Override
  public String toString() {
    return "MotionDetector[" + pixelThreshold + " levels, " + changedFraction + " of the picture, min " + minDuration
        + ", " + events + " events]";
  }
}
