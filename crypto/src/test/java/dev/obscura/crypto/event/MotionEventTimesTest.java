package dev.obscura.crypto.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The event format's times: every 64-bit microsecond count round-trips, and nothing else fits. */
class MotionEventTimesTest {
  @Test
  void everyMicrosecondCountRoundTrips() {
    for (long us : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_001, -1, 0, 1, 999_999,
        1_700_000_000_123_456L, Long.MAX_VALUE - 1, Long.MAX_VALUE}) {
      assertEquals(us, MotionEventFormat.micros(MotionEventFormat.instant(us)), Long.toString(us));
    }
  }

  @Test
  void aDraftOutsideTheRangeIsRefusedBeforeSealing() {
    Instant now = Instant.ofEpochSecond(1_700_000_000L);
    Instant beyond = MotionEventFormat.instant(Long.MAX_VALUE).plusNanos(1000);
    Instant before = MotionEventFormat.instant(Long.MIN_VALUE).minusNanos(1000);
    assertThrows(IllegalArgumentException.class, () -> new MotionEventDraft(now, now, beyond, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new MotionEventDraft(before, now, now, new byte[0]));
    assertThrows(ArithmeticException.class, () -> MotionEventFormat.micros(Instant.MAX));
    new MotionEventDraft(now, now, MotionEventFormat.instant(Long.MIN_VALUE), new byte[0]);
  }
}
