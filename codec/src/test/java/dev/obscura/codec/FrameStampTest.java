package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameStampTest {
  @Test
  void roundTripsInRawPixels() throws Exception {
    VideoSettings s = VideoSettings.QVGA_240P15;
    SyntheticCamera cam = new SyntheticCamera(s);
    for (long n : new long[] {0, 1, 14, 15, 12345, 0xffffffffL}) {
      byte[] px = cam.render(n);
      FrameStamp st = FrameStamp.read(px, s.width(), s.height(), cam.stride());
      assertEquals(n, st.frameNumber());
      assertEquals((n * 1000 / 15) & 0xffffffffL, st.timestampMillis());
    }
    FrameStamp f = FrameStamp.read(cam.frame(77));
    assertEquals(77, f.frameNumber());
    assertEquals(5133, f.timestampMillis());
  }

  @Test
  void framesDiffer() {
    SyntheticCamera cam = new SyntheticCamera(VideoSettings.QVGA_240P15);
    byte[] a = cam.render(5).clone();
    byte[] b = cam.render(6).clone();
    // something moves outside the stamp band too
    int band = 3 * FrameStamp.cell(320) * cam.stride() * 2;
    assertEquals(false, java.util.Arrays.equals(a, band, a.length, b, band, b.length));
  }

  @Test
  void noStampIsATypedError() {
    byte[] noise = new byte[320 * 240 * 3];
    new Random(1).nextBytes(noise);
    assertThrows(NoFrameStampException.class, () -> FrameStamp.read(noise, 320, 240, 960));
    assertThrows(NoFrameStampException.class, () -> FrameStamp.read(new byte[320 * 240 * 3], 320, 240, 960));
    assertThrows(NoFrameStampException.class, () -> FrameStamp.read(new byte[100 * 100 * 3], 100, 100, 300));
    assertThrows(NoFrameStampException.class, () -> FrameStamp.read(new byte[10], 320, 240, 960));
  }
}
