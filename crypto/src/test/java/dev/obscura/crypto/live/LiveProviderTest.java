package dev.obscura.crypto.live;

import static dev.obscura.crypto.live.LiveHome.PORCH;
import static dev.obscura.crypto.live.LiveHome.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.crypto.testing.CountingProvider;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live camera and viewer take a JCA provider: a camera on Bouncy Castle is watched by a
 * viewer on the platform's default and the other way round, each on the provider it was given
 * (counted: one cipher per epoch, none per frame).
 */
class LiveProviderTest {
  @TempDir Path tmp;

  private static List<EncodedFrame> watch(LiveHome home, Provider cameraProvider, Provider viewerProvider)
      throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    MemoryFanOut.Sub sub = fanOut.subscriber();
    // 30 frames at 70 ms, a keyframe every 15, epochs of 1 s: two epochs
    try (LiveCamera camera = home.camera(fanOut, Duration.ofSeconds(1)).provider(cameraProvider).build()) {
      for (int i = 0; i < 30; i++) {
        camera.send(frame(i, 15));
        home.clock.advance(Duration.ofMillis(70));
      }
      assertEquals(2, camera.stats().epochs());
    }
    fanOut.end();
    List<EncodedFrame> out = new ArrayList<>();
    try (LiveViewer v = LiveViewer.builder(PORCH, home.tablet, home.view(home.tablet)).clock(home.clock)
        .provider(viewerProvider).build()) {
      LiveViewer.Stats st = v.watch(sub, Duration.ofSeconds(10), out::add);
      assertEquals(30, st.framesOut(), st::toString);
      assertEquals(0, st.refused(), st::toString);
    }
    for (int i = 0; i < 30; i++) {
      assertEquals(frame(i, 15), out.get(i), "frame " + i);
    }
    return out;
  }

  @Test
  void aCameraOnOneProviderIsWatchedByAViewerOnAnother() throws Exception {
    LiveHome home = new LiveHome(tmp);
    CountingProvider camera = new CountingProvider();
    watch(home, camera, null);
    assertEquals(2, camera.made("Cipher", "AES"), "one cipher per epoch: " + camera.counts());
    CountingProvider viewer = new CountingProvider();
    watch(home, null, viewer);
    assertEquals(1 + 2, viewer.made("Cipher", "AES"), "checked at build, then one per epoch: " + viewer.counts());
  }

  @Test
  void aViewerOnAProviderWithoutTheSuiteIsRefusedAtBuild() throws Exception {
    LiveHome home = new LiveHome(tmp);
    LiveViewer.Builder b = LiveViewer.builder(PORCH, home.tablet, home.view(home.tablet))
        .provider(CountingProvider.refusing());
    IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
    assertTrue(e.getMessage().contains("Refusing"), e.getMessage());
  }
}
