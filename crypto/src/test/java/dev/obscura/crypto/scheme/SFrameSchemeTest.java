package dev.obscura.crypto.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code sframe} claims exactly per-frame authentication and the replay window; these tests
 * check that, and pin down what it does not claim (a dropped or reordered frame is not detected).
 */
class SFrameSchemeTest {
  private final SealingScheme scheme = new SFrameScheme();
  private SchemeContext ctx;
  private List<List<EncodedFrame>> segments;
  private List<List<byte[]>> sealed;

  @BeforeEach
  void seal() throws Exception {
    ctx = SchemeFixtures.context("front-door", 1);
    segments = SchemeFixtures.small(42);
    sealed = SchemeFixtures.sealAll(scheme, ctx, segments);
  }

  private void assertRefused(int target, List<byte[]> replacement, String what) throws Exception {
    try (SealingScheme.Opener opener = scheme.opener(ctx)) {
      for (int s = 0; s < target; s++) {
        assertEquals(segments.get(s), opener.open(sealed.get(s)));
      }
      Exception e = assertThrows(Exception.class, () -> opener.open(replacement), what);
      assertTrue(e instanceof IntegrityException || e instanceof MalformedDataException,
          what + ": " + e);
    }
  }

  @Test
  void isAuthenticatedAndSaysWhatItDoesNotBind() {
    assertEquals(SealingScheme.Protection.AUTHENTICATED, scheme.protection());
    assertTrue(scheme.description().contains("replay window"));
    assertTrue(scheme.description().contains("does not detect dropped or reordered frames"));
  }

  @Test
  void roundTripsSeveralSegmentsWithEmptyAndMegabyteFrames() throws Exception {
    SchemeFixtures.assertRoundTrips(scheme);
  }

  @Test
  void oneRecordPerFrame() {
    for (int s = 0; s < segments.size(); s++) {
      assertEquals(segments.get(s).size(), sealed.get(s).size());
    }
  }

  @Test
  void refusesAFlippedBitInEveryRecord() throws Exception {
    for (SchemeFixtures.Tampered t : SchemeFixtures.flips(sealed)) {
      assertRefused(t.segment(), t.records(), t.what());
    }
  }

  @Test
  void refusesATruncatedRecord() throws Exception {
    for (SchemeFixtures.Tampered t : SchemeFixtures.truncations(sealed)) {
      assertRefused(t.segment(), t.records(), t.what());
    }
  }

  @Test
  void refusesARecordReplayedFromThisOrAnotherSegment() throws Exception {
    assertRefused(1, sealed.get(0), "segment 0 replayed as segment 1");
    List<byte[]> spliced = new ArrayList<>(sealed.get(2));
    spliced.set(2, sealed.get(1).get(2));
    assertRefused(2, spliced, "a P-frame of segment 1 in segment 2");
    List<byte[]> twice = new ArrayList<>(sealed.get(1));
    twice.add(sealed.get(1).get(3));
    assertRefused(1, twice, "a record repeated");
  }

  @Test
  void refusesRecordsOfAnotherStreamKeyOrSealer() throws Exception {
    SchemeContext otherStream = new SchemeContext(StreamId.of("back-door"), ctx.key(), ctx.entropy());
    SchemeContext otherKey = SchemeFixtures.context("front-door", 2);
    for (SchemeContext other : new SchemeContext[] {otherStream, otherKey}) {
      List<List<byte[]>> foreign = SchemeFixtures.sealAll(scheme, other, segments);
      assertRefused(0, foreign.get(0), "segment 0 of " + other);
      assertRefused(1, foreign.get(1), "segment 1 of " + other);
    }
    List<List<byte[]>> second = SchemeFixtures.sealAll(scheme, SchemeFixtures.sameKey(ctx, 99),
        segments);
    assertRefused(1, second.get(1), "segment 1 of a second sealer");
  }

  @Test
  void doesNotDetectADroppedOrReorderedFrame() throws Exception {
    // documented: SFrame binds no segment completeness or order (a lossy live link)
    try (SealingScheme.Opener opener = scheme.opener(ctx)) {
      assertEquals(segments.get(0), opener.open(sealed.get(0)));
      List<byte[]> dropped = new ArrayList<>(sealed.get(1));
      dropped.remove(2);
      List<EncodedFrame> expected = new ArrayList<>(segments.get(1));
      expected.remove(2);
      assertEquals(expected, opener.open(dropped));
      List<byte[]> swapped = new ArrayList<>(sealed.get(2));
      Collections.swap(swapped, 1, 3);
      List<EncodedFrame> reordered = new ArrayList<>(segments.get(2));
      Collections.swap(reordered, 1, 3);
      assertEquals(reordered, opener.open(swapped));
    }
  }
}
