package dev.obscura.crypto.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.IntegrityException;
import dev.obscura.crypto.testing.ByteSearch;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectiveSchemeTest {
  private final SealingScheme scheme = new SelectiveScheme();

  @Test
  void isLabelledWeakWithAWarning() {
    assertEquals(SealingScheme.Protection.WEAK, scheme.protection());
    assertFalse(scheme.warning().isEmpty());
    assertTrue(scheme.warning().contains("P-frames"));
    assertTrue(scheme.warning().contains("motion"));
  }

  @Test
  void roundTripsSeveralSegmentsWithEmptyAndMegabyteFrames() throws Exception {
    SchemeFixtures.assertRoundTrips(scheme);
  }

  @Test
  void leavesPFramesVisibleInItsRecordsAndHidesKeyframes() throws Exception {
    SchemeContext c = SchemeFixtures.context("garden", 9);
    List<List<EncodedFrame>> segs = SchemeFixtures.segments(3, 2, 8, 5_000);
    List<List<byte[]>> records = SchemeFixtures.sealAll(scheme, c, segs);
    for (int s = 0; s < segs.size(); s++) {
      assertEquals(1, records.get(s).size());
      byte[] record = records.get(s).get(0);
      for (EncodedFrame f : segs.get(s)) {
        if (f.sizeBytes() < 16) {
          continue; // too short to find reliably
        }
        boolean found = ByteSearch.contains(record, f.data());
        assertEquals(!f.keyframe(), found, (f.keyframe() ? "keyframe" : "P-frame")
            + " of " + f.sizeBytes() + " bytes " + (found ? "visible" : "hidden"));
      }
    }
  }

  @Test
  void keyframesAreAuthenticated() throws Exception {
    SchemeContext c = SchemeFixtures.context("garden", 9);
    List<List<EncodedFrame>> segs = SchemeFixtures.small(5);
    List<List<byte[]>> records = SchemeFixtures.sealAll(scheme, c, segs);
    byte[] r = records.get(0).get(0).clone();
    r[16 + FrameFraming.HEADER_BYTES + 3] ^= 1; // inside the keyframe's ciphertext
    try (SealingScheme.Opener o = scheme.opener(c)) {
      assertThrows(IntegrityException.class, () -> o.open(java.util.Collections.singletonList(r)));
    }
  }
}
