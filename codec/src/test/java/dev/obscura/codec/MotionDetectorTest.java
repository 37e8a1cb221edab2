package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.testing.MotionScenes;
import dev.obscura.core.MediaSegment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Motion detection on real encoded video: a scripted crossing, an idle scene, the synthetic camera. */
class MotionDetectorTest {
  @TempDir Path dir;

  private static List<MotionDetector.Event> detect(List<MediaSegment> segments, MotionDetector.Builder b)
      throws Exception {
    List<MotionDetector.Event> events = new ArrayList<>();
    MotionDetector d = b.listener(events::add).build();
    for (MediaSegment s : segments) {
      d.accept(s);
    }
    d.finish();
    assertEquals(0, d.segmentsFailed());
    assertTrue(d.frames() > 0);
    return events;
  }

  private List<MediaSegment> passthrough(MotionScenes scene) throws Exception {
    Path file = scene.write(dir.resolve("scene.mp4"));
    return TestMedia.drain(Segmenters.open(file.toString(), null, Duration.ofSeconds(1), null, TestMedia.CLOCK));
  }

  @Test
  void aCrossingIsOneEventWithAThumbnailOfTheBox() throws Exception {
    MotionScenes scene = MotionScenes.crossing(320, 180, 15, 6, 2, 4);
    List<MediaSegment> segments = passthrough(scene);
    List<MotionDetector.Event> events = detect(segments, MotionDetector.builder().minDuration(Duration.ofMillis(500)));
    assertEquals(1, events.size(), events.toString());
    MotionDetector.Event e = events.get(0);
    long startMs = Duration.between(TestMedia.T0, e.start()).toMillis();
    long endMs = Duration.between(TestMedia.T0, e.end()).toMillis();
    assertTrue(Math.abs(startMs - 2000) <= 200, "start at " + startMs + " ms");
    assertTrue(Math.abs(endMs - 4000) <= 200, "end at " + endMs + " ms");
    assertTrue(!e.peak().isBefore(e.start()) && !e.peak().isAfter(e.end()));

    BufferedImage img = ImageIO.read(new ByteArrayInputStream(e.thumbnail()));
    assertNotNull(img, "the thumbnail is a JPEG");
    assertEquals(320, img.getWidth());
    assertEquals(180, img.getHeight());
    assertEquals(e.thumbnailWidth(), img.getWidth());
    // the peak frame shows the red box where the scene put it at that time
    int n = (int) Math.round(Duration.between(TestMedia.T0, e.peak()).toNanos() * 15 / 1e9);
    int bx = scene.boxX(n);
    assertTrue(bx != Integer.MIN_VALUE, "the box is in view at the peak frame " + n);
    int cx = Math.max(2, Math.min(317, bx + scene.boxSize() / 2));
    int cy = scene.boxY() + scene.boxSize() / 2;
    int rgb = img.getRGB(cx, cy);
    assertTrue(((rgb >> 16) & 0xff) > 140 && (rgb & 0xff) < 90, "box colour at the peak: " + Integer.toHexString(rgb));
    int bg = img.getRGB(cx, 10);
    assertTrue(((bg >> 16) & 0xff) < 170 && (bg & 0xff) > 60, "background above the box: " + Integer.toHexString(bg));
  }

  @Test
  void anIdleSceneWithSensorGrainHasNoEvent() throws Exception {
    List<MediaSegment> segments = passthrough(MotionScenes.idle(320, 180, 15, 4));
    assertEquals(List.of(), detect(segments, MotionDetector.builder().sensitivity(0.8).minDuration(Duration.ZERO)));
  }

  @Test
  void theSyntheticCamerasBouncingBoxIsMotion() throws Exception {
    List<MediaSegment> segments = TestMedia.synthetic(new VideoSettings(320, 180, 15, 300_000),
        Duration.ofSeconds(2), Duration.ofSeconds(1));
    // the frame stamp band at the top changes every frame: ignored, as a burned-in clock would be
    List<MotionDetector.Event> events = detect(segments, MotionDetector.builder().ignore(0, 0, 1, 0.25)
        .minDuration(Duration.ofMillis(500)));
    assertEquals(1, events.size());
    assertNotNull(ImageIO.read(new ByteArrayInputStream(events.get(0).thumbnail())));
  }

  @Test
  void aSegmentThatDoesNotDecodeIsSkippedAndDetectionGoesOn() throws Exception {
    List<MediaSegment> good = passthrough(MotionScenes.crossing(320, 180, 15, 4, 1, 3));
    List<MotionDetector.Event> events = new ArrayList<>();
    MotionDetector d = MotionDetector.builder().minDuration(Duration.ofMillis(300)).listener(events::add).build();
    d.accept(new MediaSegment(0, TestMedia.T0, 0, 1_000_000, 15, new byte[] {0, 0, 0, 8, 'f', 't', 'y', 'p', 1, 2}));
    for (MediaSegment s : good) {
      d.accept(s);
    }
    d.finish();
    assertEquals(1, d.segmentsFailed());
    assertEquals(1, events.size());
  }

  @Test
  void aLargeThumbnailIsShrunkToTheLimit() throws Exception {
    List<MediaSegment> segments = passthrough(MotionScenes.crossing(320, 180, 15, 3, 1, 2));
    List<MotionDetector.Event> events = detect(segments, MotionDetector.builder().minDuration(Duration.ZERO)
        .maxThumbnailBytes(2048));
    assertEquals(1, events.size());
    assertTrue(events.get(0).thumbnail().length <= 2048);
    assertNotNull(ImageIO.read(new ByteArrayInputStream(events.get(0).thumbnail())));
  }
}
