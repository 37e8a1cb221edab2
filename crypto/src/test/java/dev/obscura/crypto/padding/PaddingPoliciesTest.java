package dev.obscura.crypto.padding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.crypto.padding.PaddingPolicy.Send;
import dev.obscura.crypto.padding.PaddingPolicy.Shaper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PaddingPoliciesTest {

  /** A bursty stream: 15 fps for 20 s, a keyframe a second, motion in the middle. */
  private static List<Send> run(PaddingPolicy policy, long[] offered, long drainUntil) {
    Shaper shaper = policy.newShaper();
    Random random = new Random(42);
    List<Send> sends = new ArrayList<>();
    long total = 0;
    long start = 3_333L;
    for (int n = 0; n < 300; n++) {
      long t = start + n * 66_667L;
      boolean key = n % 15 == 0;
      int bytes = key ? 20_000 + random.nextInt(5000) : (n > 100 && n < 200 ? 6000 : 300) + random.nextInt(200);
      total += bytes;
      sends.addAll(shaper.offer(t, bytes, key));
      if (n % 7 == 0) {
        sends.addAll(shaper.advance(t + 10_000));
      }
    }
    sends.addAll(shaper.advance(drainUntil));
    offered[0] = total;
    return sends;
  }

  private static void assertConserved(PaddingPolicy policy) {
    long[] offered = new long[1];
    List<Send> sends = run(policy, offered, 200_000_000L);
    long video = 0;
    long last = Long.MIN_VALUE;
    for (Send s : sends) {
      assertTrue(s.paddingBytes() >= 0 && s.paddingBytes() <= s.bytes(), s.toString());
      assertTrue(s.micros() >= last, "times go forward: " + s);
      last = s.micros();
      video += s.bytes() - s.paddingBytes();
    }
    assertEquals(offered[0], video, policy.describe() + ": nothing lost, nothing duplicated");
  }

  @Test
  void everyPolicySendsExactlyTheVideoOfferedAndTimesGoForward() {
    assertConserved(PaddingPolicies.none());
    assertConserved(PaddingPolicies.buckets(1.25));
    assertConserved(PaddingPolicies.buckets(2.0, 4096));
    assertConserved(PaddingPolicies.cbr(150_000));
    assertConserved(PaddingPolicies.cbr(55_000));
    assertConserved(PaddingPolicies.interval(Duration.ofSeconds(2), 300_000));
    assertConserved(PaddingPolicies.interval(Duration.ofMillis(250), 20_000));
  }

  @Test
  void noneSendsEachUnitAsItIsWhenReady() {
    Shaper shaper = PaddingPolicies.none().newShaper();
    assertEquals(List.of(new Send(5, 1234, 0)), shaper.offer(5, 1234, true));
    assertEquals(List.of(), shaper.advance(99));
    assertEquals(0, PaddingPolicies.none().paddedSize(0));
  }

  @Test
  void bucketSizesArePowersOfTheBase() {
    double base = 1.25;
    PaddingPolicy policy = PaddingPolicies.buckets(base, 256);
    Shaper shaper = policy.newShaper();
    Random random = new Random(7);
    for (int i = 0; i < 5000; i++) {
      int bytes = i < 100 ? i : random.nextInt(3_000_000);
      Send s = shaper.offer(i, bytes, false).get(0);
      assertEquals(i, s.micros());
      assertEquals(bytes, s.bytes() - s.paddingBytes());
      assertTrue(s.bytes() >= 256 && s.bytes() >= bytes);
      assertTrue(isPower(base, s.bytes()), s.bytes() + " is ceil(1.25^k)");
      // the smallest bucket that holds it
      int smaller = 0;
      for (int k = 0; Math.ceil(StrictMath.pow(base, k)) < s.bytes(); k++) {
        smaller = (int) Math.ceil(StrictMath.pow(base, k));
      }
      assertTrue(smaller < Math.max(256, bytes), s + " for " + bytes);
    }
    assertEquals(265, policy.paddedSize(256), "1.25^25 rounds up to 265, the first bucket from 256");
    assertEquals(Integer.MAX_VALUE, policy.paddedSize(Integer.MAX_VALUE));
    assertEquals(Integer.MAX_VALUE, policy.paddedSize(Integer.MAX_VALUE - 1));
  }

  private static boolean isPower(double base, int size) {
    for (int k = 0; k < 200; k++) {
      double v = Math.ceil(StrictMath.pow(base, k));
      if (v == size) {
        return true;
      }
      if (v > size) {
        return false;
      }
    }
    return false;
  }

  @Test
  void cbrCarriesTheSameBytesEverySecond() {
    for (long rate : new long[] {150_000L, 123_457L, 7L}) {
      long[] offered = new long[1];
      List<Send> sends = run(PaddingPolicies.cbr(rate), offered, 100_000_000L);
      Map<Long, Long> perSecond = new HashMap<>();
      for (Send s : sends) {
        assertEquals(0, s.micros() % 100_000L, "slices at tenths of a second: " + s);
        perSecond.merge(Math.floorDiv(s.micros(), 1_000_000L), (long) s.bytes(), Long::sum);
      }
      // the first second is partial (the stream starts at 3.3 ms); the last ends at the drain time
      for (long sec = 1; sec < 100; sec++) {
        assertEquals(rate, perSecond.getOrDefault(sec, 0L), "second " + sec + " at " + rate);
      }
    }
  }

  @Test
  void cbrDefersWhatDoesNotFitAndSaysWhen() {
    Shaper shaper = PaddingPolicies.cbr(10_000).newShaper();
    assertEquals(List.of(), shaper.offer(1, 5000, true));
    List<Send> sends = shaper.advance(1_000_000);
    // slices at 0.1 .. 1.0 s of 1000 bytes each: the unit fills the first five
    assertEquals(10, sends.size());
    for (int i = 0; i < 10; i++) {
      assertEquals(new Send((i + 1) * 100_000L, 1000, i < 5 ? 0 : 1000), sends.get(i));
    }
  }

  @Test
  void intervalSendsFixedSizesAtPeriodMultiples() {
    long period = 2_000_000L;
    long[] offered = new long[1];
    List<Send> sends = run(PaddingPolicies.interval(Duration.ofSeconds(2), 300_000), offered, 60_000_000L);
    long expected = period; // the first multiple at or after the start (3.3 ms)
    for (Send s : sends) {
      assertEquals(expected, s.micros(), "one upload at every multiple of the period");
      assertEquals(300_000, s.bytes());
      expected += period;
    }
    assertEquals(60_000_000L + period, expected);
    PaddingPolicy policy = PaddingPolicies.interval(Duration.ofSeconds(10), 65536);
    assertEquals(65536, policy.paddedSize(0));
    assertEquals(65536, policy.paddedSize(65536));
    assertEquals(131072, policy.paddedSize(65537));
    assertEquals(Integer.MAX_VALUE, policy.paddedSize(Integer.MAX_VALUE));
  }

  @Test
  void hugeInputsDoNotOverflow() {
    for (PaddingPolicy policy :
        new PaddingPolicy[] {
          PaddingPolicies.none(),
          PaddingPolicies.buckets(1.001, 1),
          PaddingPolicies.buckets(1024, 1),
          PaddingPolicies.cbr(10L * Integer.MAX_VALUE),
          PaddingPolicies.interval(Duration.ofMillis(1), Integer.MAX_VALUE)
        }) {
      Shaper shaper = policy.newShaper();
      long t = Long.MAX_VALUE - 10_000L;
      List<Send> sends = new ArrayList<>();
      sends.addAll(shaper.offer(t, Integer.MAX_VALUE, true));
      sends.addAll(shaper.offer(t, Integer.MAX_VALUE, false));
      sends.addAll(shaper.advance(Long.MAX_VALUE));
      sends.addAll(shaper.advance(Long.MAX_VALUE));
      for (Send s : sends) {
        assertTrue(s.bytes() >= 0 && s.paddingBytes() >= 0 && s.paddingBytes() <= s.bytes(), s.toString());
        assertTrue(s.micros() >= t, s.toString());
      }
      assertThrows(IllegalArgumentException.class, () -> shaper.offer(0, 1, false), "backwards");
      assertThrows(IllegalArgumentException.class, () -> shaper.offer(Long.MAX_VALUE, -1, false));
    }
    // a jump of a million years at cbr is refused, not a list that fills the memory
    Shaper cbr = PaddingPolicies.cbr(1000).newShaper();
    cbr.advance(Long.MIN_VALUE);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> cbr.advance(Long.MAX_VALUE));
    assertTrue(e.getMessage().contains("advance more often"), e.getMessage());
    assertEquals(10, cbr.advance(Long.MIN_VALUE + 1_000_000L).size(), "the refused call changed nothing");
  }

  @Test
  void timesNeverGoBackwards() {
    for (PaddingPolicy policy :
        new PaddingPolicy[] {
          PaddingPolicies.none(), PaddingPolicies.buckets(1.5), PaddingPolicies.cbr(100),
          PaddingPolicies.interval(Duration.ofSeconds(1), 10)
        }) {
      Shaper shaper = policy.newShaper();
      shaper.offer(1000, 10, true);
      shaper.advance(2000);
      assertThrows(IllegalArgumentException.class, () -> shaper.advance(1999), policy.name());
      assertThrows(IllegalArgumentException.class, () -> shaper.offer(1999, 1, false), policy.name());
      shaper.offer(2000, 1, false);
    }
  }

  @Test
  void parseReadsEveryFormWithDefaults() {
    assertEquals("none", PaddingPolicies.parse("none").describe());
    assertEquals(PaddingPolicies.buckets(1.25, 256), PaddingPolicies.parse("buckets"));
    assertEquals(PaddingPolicies.buckets(1.5, 256), PaddingPolicies.parse("buckets:1.5"));
    assertEquals(PaddingPolicies.buckets(2, 1024), PaddingPolicies.parse("BUCKETS:2:1024"));
    assertEquals(PaddingPolicies.cbr(125_000), PaddingPolicies.parse("cbr"));
    assertEquals(PaddingPolicies.cbr(40_000), PaddingPolicies.parse("cbr:40000"));
    assertEquals("cbr(40000 B/s)", PaddingPolicies.parse("cbr:40000").describe());
    assertEquals(
        PaddingPolicies.interval(Duration.ofSeconds(2), 262_144), PaddingPolicies.parse("interval"));
    PaddingPolicy interval = PaddingPolicies.parse("interval:10s:65536");
    assertEquals(PaddingPolicies.interval(Duration.ofSeconds(10), 65536), interval);
    assertEquals("interval(10s, 65536 B)", interval.describe());
    assertEquals("interval", interval.name());
    assertEquals(
        PaddingPolicies.interval(Duration.ofMillis(500), 10), PaddingPolicies.parse("interval:500ms:10"));
    assertEquals("interval(1500us, 10 B)", PaddingPolicies.parse("interval:1500us:10").describe());
    assertEquals("buckets(1.25, min 256)", PaddingPolicies.parse("buckets").describe());
  }

  @Test
  void parseRefusesWithMessagesThatSayWhy() {
    String[][] bad = {
      {"", "unknown padding policy"},
      {"pad", "unknown padding policy"},
      {"none:1", "at most 0"},
      {"buckets:1", "1.001"},
      {"buckets:abc", "not a number"},
      {"buckets:NaN", "1.001"},
      {"buckets:1.25:0", "between 1 and"},
      {"cbr:0", "between 1 and"},
      {"cbr:-5", "between 1 and"},
      {"cbr:99999999999999", "bytes per second"},
      {"cbr:1:2", "at most 1"},
      {"interval:10s", "a period and a size"},
      {"interval:10:65536", "needs a unit"},
      {"interval:10s:0", "between 1 and"},
      {"interval:10s:3000000000", "between 1 and"},
      {"interval:0s:5", "between 1 and"},
      {"interval:999us:5", "at least 1 ms"},
      {"interval:9999999999999999h:5", "too long"},
    };
    for (String[] c : bad) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PaddingPolicies.parse(c[0]), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
      assertTrue(e.getMessage().contains("'" + c[0] + "'"), e.getMessage());
    }
    assertThrows(NullPointerException.class, () -> PaddingPolicies.parse(null));
  }
}
