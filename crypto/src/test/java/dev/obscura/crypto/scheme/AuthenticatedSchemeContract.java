package dev.obscura.crypto.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SealingScheme.Protection#AUTHENTICATED} scheme that binds a segment's order
 * and completeness must do: round-trip, and refuse (IntegrityException or MalformedDataException,
 * no frame returned) any change, drop, swap, replay, truncation or foreign record.
 */
abstract class AuthenticatedSchemeContract {
  abstract SealingScheme scheme();

  SchemeContext ctx;
  List<List<EncodedFrame>> segments;
  List<List<byte[]>> sealed;

  @BeforeEach
  void seal() throws Exception {
    ctx = SchemeFixtures.context("front-door", 1);
    segments = SchemeFixtures.small(42);
    sealed = SchemeFixtures.sealAll(scheme(), ctx, segments);
  }

  /**
   * Opens segments 0..target-1 of {@code records} (they must open) and asserts that segment
   * {@code target} is refused.
   */
  void assertRefused(List<List<byte[]>> records, int target, String what) throws Exception {
    try (SealingScheme.Opener opener = scheme().opener(ctx)) {
      for (int s = 0; s < target; s++) {
        assertEquals(segments.get(s), opener.open(records.get(s)), "segment " + s + " before " + what);
      }
      try {
        List<EncodedFrame> got = opener.open(records.get(target));
        fail(scheme().name() + " released " + got.size() + " frames of segment " + target
            + " after " + what);
      } catch (IntegrityException | MalformedDataException expected) {
        // refused, as it must be
      }
    }
  }

  List<List<byte[]>> withSegment(int s, List<byte[]> replacement) {
    List<List<byte[]>> out = new ArrayList<>(sealed);
    out.set(s, replacement);
    return out;
  }

  @Test
  void isAuthenticated() {
    assertEquals(SealingScheme.Protection.AUTHENTICATED, scheme().protection());
    assertTrue(scheme().warning().isEmpty());
    assertTrue(!scheme().description().isEmpty());
  }

  @Test
  void roundTripsSeveralSegmentsWithEmptyAndMegabyteFrames() throws Exception {
    SchemeFixtures.assertRoundTrips(scheme());
  }

  @Test
  void roundTripsTheSmallSegments() throws Exception {
    assertEquals(segments, SchemeFixtures.openAll(scheme(), ctx, sealed));
  }

  @Test
  void sealingDoesNotModifyTheFrames() throws Exception {
    assertEquals(SchemeFixtures.small(42), segments);
  }

  @Test
  void refusesAFlippedBitInEveryRecord() throws Exception {
    for (SchemeFixtures.Tampered t : SchemeFixtures.flips(sealed)) {
      assertRefused(withSegment(t.segment(), t.records()), t.segment(), t.what());
    }
  }

  @Test
  void refusesADroppedRecord() throws Exception {
    for (int s = 0; s < sealed.size(); s++) {
      for (int r = 0; r < sealed.get(s).size(); r++) {
        List<byte[]> copy = new ArrayList<>(sealed.get(s));
        copy.remove(r);
        assertRefused(withSegment(s, copy), s, "dropping record " + r + " of segment " + s);
      }
    }
  }

  @Test
  void refusesADroppedSegment() throws Exception {
    List<List<byte[]>> gap = new ArrayList<>(sealed);
    gap.remove(1);
    assertRefused(gap, 1, "dropping segment 1");
  }

  @Test
  void refusesSwappedRecords() throws Exception {
    // within a segment, where it has several records
    for (int s = 0; s < sealed.size(); s++) {
      List<byte[]> recs = sealed.get(s);
      if (recs.size() >= 2) {
        List<byte[]> copy = new ArrayList<>(recs);
        Collections.swap(copy, 0, copy.size() - 1);
        assertRefused(withSegment(s, copy), s, "swapping records of segment " + s);
        List<byte[]> mid = new ArrayList<>(recs);
        Collections.swap(mid, 1, 2);
        assertRefused(withSegment(s, mid), s, "swapping P-frame records of segment " + s);
      }
    }
    // whole segments swapped
    List<List<byte[]>> swapped = new ArrayList<>(sealed);
    Collections.swap(swapped, 0, 1);
    assertRefused(swapped, 0, "swapping segments 0 and 1");
    List<List<byte[]>> later = new ArrayList<>(sealed);
    Collections.swap(later, 1, 2);
    assertRefused(later, 1, "swapping segments 1 and 2");
  }

  @Test
  void refusesARecordReplayedFromAnotherSegment() throws Exception {
    // segment 0 again in place of segment 1
    assertRefused(withSegment(1, sealed.get(0)), 1, "replaying segment 0 as segment 1");
    // one record of segment 0 spliced into segment 2 at the same index
    for (int r = 0; r < Math.min(sealed.get(0).size(), sealed.get(2).size()); r++) {
      List<byte[]> copy = new ArrayList<>(sealed.get(2));
      copy.set(r, sealed.get(0).get(r));
      assertRefused(withSegment(2, copy), 2, "record " + r + " of segment 0 in segment 2");
    }
    // a record added twice
    List<byte[]> twice = new ArrayList<>(sealed.get(1));
    twice.add(sealed.get(1).get(sealed.get(1).size() - 1));
    assertRefused(withSegment(1, twice), 1, "a record repeated in segment 1");
  }

  @Test
  void refusesATruncatedRecord() throws Exception {
    for (SchemeFixtures.Tampered t : SchemeFixtures.truncations(sealed)) {
      assertRefused(withSegment(t.segment(), t.records()), t.segment(), t.what());
    }
  }

  @Test
  void refusesRecordsOfAnotherStreamOrKey() throws Exception {
    SchemeContext otherStream = new SchemeContext(dev.obscura.core.StreamId.of("back-door"),
        ctx.key(), ctx.entropy());
    SchemeContext otherKey = SchemeFixtures.context("front-door", 2);
    for (SchemeContext other : new SchemeContext[] {otherStream, otherKey}) {
      List<List<byte[]>> foreign = SchemeFixtures.sealAll(scheme(), other, segments);
      assertRefused(foreign, 0, "segment 0 of " + other);
      assertRefused(withSegment(1, foreign.get(1)), 1, "segment 1 of " + other);
    }
  }

  @Test
  void refusesASegmentOfAnotherSealerOfTheSameContext() throws Exception {
    List<List<byte[]>> again = SchemeFixtures.sealAll(scheme(), SchemeFixtures.sameKey(ctx, 99),
        segments);
    assertRefused(withSegment(1, again.get(1)), 1, "segment 1 of a second sealer");
  }

  @Test
  void refusesAStreamThatSwitchesFromAnotherSealerOfTheSameContext() throws Exception {
    // a second session's segment 0 first (the opener takes it), then this sealer's segment 1
    List<List<byte[]>> again = SchemeFixtures.sealAll(scheme(), SchemeFixtures.sameKey(ctx, 98),
        segments);
    assertRefused(withSegment(0, again.get(0)), 1, "segment 1 after segment 0 of a second sealer");
  }

  @Test
  void aRefusedSegmentDoesNotMoveTheOpener() throws Exception {
    try (SealingScheme.Opener opener = scheme().opener(ctx)) {
      assertEquals(segments.get(0), opener.open(sealed.get(0)));
      List<byte[]> bad = SchemeFixtures.copy(sealed.get(1));
      bad.get(0)[bad.get(0).length - 1] ^= 1;
      assertThrows(Exception.class, () -> opener.open(bad));
      assertEquals(segments.get(1), opener.open(sealed.get(1)));
      assertEquals(segments.get(2), opener.open(sealed.get(2)));
    }
  }
}
