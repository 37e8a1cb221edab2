package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.MediaSegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The textured scene makes openh264 spend its budget: 5 s at 720p30 asked for 2 Mbit/s measure at
 * least 80% of that (the test pattern reaches about an eighth of it), and every frame's stamp
 * still reads through the grain.
 */
class TexturedSceneTest {
  static {
    TestMedia.quiet();
  }

  @TempDir Path dir;

  @Test
  void defaultSceneIsTheTestPattern() {
    assertEquals(SyntheticScene.TEST_PATTERN, VideoSettings.HD_720P30.scene());
    assertEquals(SyntheticScene.TEST_PATTERN, VideoSettings.builder().build().scene());
    assertEquals(SyntheticScene.TEST_PATTERN, new VideoSettings(640, 360, 15, 600_000).scene());
    assertEquals(SyntheticScene.TEXTURED,
        VideoSettings.SD_360P15.toBuilder().scene(SyntheticScene.TEXTURED).build().scene());
  }

  @Test
  void framesAreDeterministic() {
    VideoSettings s = VideoSettings.QVGA_240P15.toBuilder().scene(SyntheticScene.TEXTURED).build();
    byte[] a = new SyntheticCamera(s).render(7).clone();
    SyntheticCamera c = new SyntheticCamera(s);
    byte[] other = c.render(8).clone();
    assertTrue(java.util.Arrays.equals(a, c.render(7)));
    assertTrue(!java.util.Arrays.equals(a, other));
  }

  @Test
  void texturedSceneReachesTheTargetBitrate() throws Exception {
    int target = Integer.getInteger("obscura.textured.bitrate", 2_000_000);
    int height = Integer.getInteger("obscura.textured.height", 720);
    int seconds = 5;
    VideoSettings s = VideoSettings.builder().width(height * 16 / 9).height(height).fps(30)
        .bitrateBitsPerSecond(target).scene(SyntheticScene.TEXTURED).build();
    long t0 = System.nanoTime();
    List<MediaSegment> segs = TestMedia.synthetic(s, Duration.ofSeconds(seconds), Duration.ofSeconds(1));
    double secs = (System.nanoTime() - t0) / 1e9;
    long bytes = segs.stream().mapToLong(MediaSegment::sizeBytes).sum();
    double bitrate = bytes * 8.0 / seconds;
    System.out.printf("textured %dp30 @ %d bit/s: %d segments, %.0f bit/s measured (%.0f%%), %.1f fps encoded%n",
        height, target, segs.size(), bitrate, 100 * bitrate / target, seconds * 30 / secs);
    assertEquals(seconds * 30, segs.stream().mapToInt(MediaSegment::frameCount).sum());
    assertTrue(bitrate >= 0.8 * target, "measured " + bitrate + " bit/s of " + target);
    assertTrue(bitrate <= 1.5 * target, "measured " + bitrate + " bit/s of " + target);
    Path out = dir.resolve("textured.mp4");
    Mp4Export.write(segs.stream().map(MediaSegment::data).toList(), out);
    assertEquals(LongStream.range(0, seconds * 30).boxed().toList(), TestMedia.stamps(out));
  }
}
