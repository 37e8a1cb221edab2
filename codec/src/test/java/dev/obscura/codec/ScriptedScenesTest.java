package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.MediaSegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scripted scenes: deterministic per frame, and their bitrates differ by motion, as a
 * provider would see it (real openh264 through JavaCV, 10 s at 320x240, 15 fps).
 */
class ScriptedScenesTest {
  static {
    TestMedia.quiet();
  }

  static final SyntheticScene[] SCRIPTED = {
    SyntheticScene.IDLE, SyntheticScene.SLOW_MOTION, SyntheticScene.PERSON_CROSSING, SyntheticScene.BUSY_STREET
  };

  static VideoSettings settings(SyntheticScene scene) {
    return VideoSettings.QVGA_240P15.toBuilder().bitrateBitsPerSecond(1_000_000).scene(scene).build();
  }

  @Test
  void everyFrameIsTheSamePictureEveryTime() {
    for (SyntheticScene scene : SCRIPTED) {
      SyntheticCamera a = new SyntheticCamera(settings(scene));
      SyntheticCamera b = new SyntheticCamera(settings(scene));
      byte[] f37 = a.render(37).clone();
      byte[] f38 = a.render(38).clone();
      b.render(5);
      assertArrayEquals(f37, b.render(37), scene + " frame 37");
      assertFalse(Arrays.equals(f37, f38), scene + ": grain changes every frame");
    }
  }

  @Test
  void idleDiffersFromTheOthersOnlyWhereThingsMove() {
    byte[] idle = new SyntheticCamera(settings(SyntheticScene.IDLE)).render(20).clone();
    for (SyntheticScene scene : new SyntheticScene[] {SyntheticScene.SLOW_MOTION, SyntheticScene.PERSON_CROSSING, SyntheticScene.BUSY_STREET}) {
      byte[] other = new SyntheticCamera(settings(scene)).render(20);
      int differ = 0;
      for (int i = 0; i < idle.length; i++) {
        if (idle[i] != other[i]) {
          differ++;
        }
      }
      double share = differ / (double) idle.length;
      assertTrue(share > 0.002 && share < 0.6, scene + " differs from idle in " + share + " of bytes");
    }
    // the person is gone between crossings: frame 5 s into the cycle is the idle picture
    byte[] later = new SyntheticCamera(settings(SyntheticScene.PERSON_CROSSING)).render(5 * 15);
    assertArrayEquals(new SyntheticCamera(settings(SyntheticScene.IDLE)).render(5 * 15), later);
  }

  @Test
  void motionCostsBitsAndIdleStillCostsSome() throws Exception {
    int seconds = 10;
    Map<SyntheticScene, Double> perSecond = new EnumMap<>(SyntheticScene.class);
    for (SyntheticScene scene : SCRIPTED) {
      List<MediaSegment> segs = TestMedia.synthetic(settings(scene), Duration.ofSeconds(seconds), Duration.ofSeconds(1));
      assertEquals(seconds * 15, segs.stream().mapToInt(MediaSegment::frameCount).sum());
      long bytes = segs.stream().mapToLong(MediaSegment::sizeBytes).sum();
      perSecond.put(scene, bytes / (double) seconds);
    }
    System.out.println("scripted scenes, mean bytes per second at 320x240 15 fps: " + perSecond);
    double idle = perSecond.get(SyntheticScene.IDLE);
    double busy = perSecond.get(SyntheticScene.BUSY_STREET);
    assertTrue(busy > 1.5 * idle, "busy street " + busy + " B/s against idle " + idle);
    assertTrue(idle > 2_000, "idle is not trivially tiny (the grain costs bits): " + idle + " B/s");
    assertTrue(perSecond.get(SyntheticScene.PERSON_CROSSING) > idle, perSecond.toString());
  }
}
