package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.MediaSegment;
import dev.obscura.core.SegmentSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyntheticMarkerTest {
  @Test
  void everySyntheticSegmentCarriesTheMarkerInItsPlaintext() throws Exception {
    byte[] marker = SyntheticCamera.MARKER.getBytes(StandardCharsets.US_ASCII);
    int segments = 0;
    try (SegmentSource src = Segmenters.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(2),
        Duration.ofSeconds(1), Clock.systemUTC())) {
      for (MediaSegment s; (s = src.next()) != null; ) {
        assertTrue(indexOf(s.data(), marker) >= 0, "segment " + s.index() + " lacks the marker");
        segments++;
      }
    }
    assertTrue(segments >= 2);
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
