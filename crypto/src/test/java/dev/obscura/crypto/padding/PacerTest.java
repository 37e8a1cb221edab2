package dev.obscura.crypto.padding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole-unit pacer over the cbr and interval schedules. */
class PacerTest {

  @Test
  void aUnitLargerThanASliceWaitsWithTheBudgetAndTheSecondStaysExact() {
    Pacer p = Pacer.of(PaddingPolicies.cbr(10_000), 0, 64);
    assertTrue(p.offer(3_500, true)); // > a slice of 1000: needs four slices
    List<Pacer.Batch> b = p.advance(0);
    assertTrue(b.isEmpty(), "nothing fits yet, and the slice's budget waits: " + b);
    b = p.advance(200_000);
    assertTrue(b.isEmpty(), b::toString);
    b = p.advance(300_000);
    assertEquals(List.of(new Pacer.Batch(300_000, 4_000, 1)), b, "the four slices' bytes at once");
    long total = 4_000;
    for (Pacer.Batch x : p.advance(999_999)) {
      assertEquals(0, x.units());
      total += x.bytes();
    }
    assertEquals(10_000, total, "the second carries exactly B");
  }

  @Test
  void theWindowsLastSendCarriesTheRestAsCoverAndTheUnitWaitsForTheNextWindow() {
    Pacer p = Pacer.of(PaddingPolicies.cbr(10_000), 0, 64);
    p.advance(0);
    p.advance(800_000); // slices 0..8 sent as cover
    assertTrue(p.offer(2_000, false));
    assertEquals(List.of(new Pacer.Batch(900_000, 1_000, 0)), p.advance(900_000),
        "the last slice of the second goes out whole, as cover");
    assertEquals(1, p.queuedUnits());
    assertEquals(List.of(new Pacer.Batch(1_100_000, 2_000, 1)), p.advance(1_100_000));
  }

  @Test
  void overTheBoundUnitsAreDroppedToTheNextKeyframe() {
    Pacer p = Pacer.of(PaddingPolicies.cbr(10_000), 10_000, 64);
    assertTrue(p.offer(6_000, true));
    assertFalse(p.fits(5_000));
    assertFalse(p.offer(5_000, false), "over the bound");
    assertFalse(p.offer(10, false), "after a drop, until a keyframe");
    assertFalse(p.offer(20_000, true), "larger than a second: can never go");
    assertTrue(p.offer(100, true), "a keyframe that fits ends the drop");
    assertEquals(3, p.dropped());
    assertEquals(6_100, p.queuedBytes());
  }

  @Test
  void intervalSendsTheFixedSizeEveryPeriod() {
    Pacer p = Pacer.of(PaddingPolicies.interval(Duration.ofSeconds(1), 4_096), 0, 64);
    p.offer(5_000, true); // never fits: dropped
    p.offer(1_000, true);
    List<Pacer.Batch> b = p.advance(0); // the schedule starts at the first call
    b.addAll(p.advance(2_500_000));
    assertEquals(List.of(new Pacer.Batch(0, 4_096, 1), new Pacer.Batch(1_000_000, 4_096, 0),
        new Pacer.Batch(2_000_000, 4_096, 0)), b);
    assertEquals(3_000_000, p.nextSendMicros());
    assertEquals(1, p.dropped());
  }

  @Test
  void onlyScheduledPoliciesPaceAndSendsMustHoldACover() {
    assertFalse(Pacer.paces(PaddingPolicies.none()));
    assertFalse(Pacer.paces(PaddingPolicies.buckets(1.25)));
    assertThrows(IllegalArgumentException.class, () -> Pacer.of(PaddingPolicies.buckets(1.25), 0, 64));
    assertThrows(IllegalArgumentException.class, () -> Pacer.of(PaddingPolicies.cbr(600), 0, 64));
    assertThrows(IllegalArgumentException.class, () -> Pacer.of(PaddingPolicies.cbr(10_000), 9_999, 64));
  }

  @Test
  void aClockSteppedBackDoesNotGoBack() {
    Pacer p = Pacer.of(PaddingPolicies.cbr(10_000), 0, 64);
    assertEquals(1, p.advance(0).size());
    assertEquals(5, p.advance(500_000).size());
    assertTrue(p.advance(100_000).isEmpty());
    assertEquals(1, p.advance(600_000).size());
  }
}
