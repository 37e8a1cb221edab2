package dev.obscura.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.SyntheticScene;
import dev.obscura.crypto.padding.PaddingPolicies;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The side channel is real: with no padding, sizes and times tell a still scene from a busy one;
 * constant bitrate brings the classifiers down to chance. Stand-in scenes (TEST_PATTERN as idle,
 * TEXTURED as motion); seeded, so not flaky.
 */
class LeakageSideChannelTest {
  @TempDir Path dir;

  @Test
  void noneLeaksAndCbrHides() throws Exception {
    LabReport report = Lab.builder()
        .policies(List.of(PaddingPolicies.none(), PaddingPolicies.cbr(125_000)))
        .outputDir(dir)
        .scenes(List.of(SyntheticScene.TEST_PATTERN), List.of(SyntheticScene.TEXTURED), List.of())
        .sceneSeconds(30)
        .build()
        .run();
    LeakageResult none = report.leakage().get(0);
    LeakageResult cbr = report.leakage().get(1);
    assertEquals("none", none.policy());
    assertEquals("cbr", cbr.policy());
    assertEquals(0.5, none.chance(), 1e-9);
    assertTrue(none.logisticAccuracy() >= 0.9 && none.forestAccuracy() >= 0.9, none.toString());
    assertTrue(cbr.bestAccuracy() <= cbr.chance() + 0.15, cbr.toString());
    assertTrue(cbr.bestAccuracy() <= none.bestAccuracy() - 0.2, cbr + " vs " + none);
    assertEquals(1.0, none.bandwidthCost(), 1e-12);
    assertTrue(cbr.bandwidthCost() > 1.0, cbr.toString());
  }
}
