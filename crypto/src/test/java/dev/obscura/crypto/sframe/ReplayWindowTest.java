package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
  private static final int OK = 0;
  private static final int DUP = 1;
  private static final int OLD = 2;

  @Test
  void sizesMustBeMultiplesOf64() {
    assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(0));
    assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(100));
    new ReplayWindow(64);
  }

  @Test
  void edgesOfTheWindow() {
    ReplayWindow w = new ReplayWindow(64);
    assertEquals(OK, w.check(1000));
    w.accept(1000);
    assertEquals(DUP, w.check(1000));
    assertEquals(OK, w.check(1000 - 63));
    assertEquals(OLD, w.check(1000 - 64));
    w.accept(1000 - 63);
    assertEquals(DUP, w.check(1000 - 63));
    w.accept(1001); // slot of 1001 aliases 937 = 1001 - 64, now out of the window
    assertEquals(OLD, w.check(937));
    assertEquals(DUP, w.check(1001));
    assertEquals(OK, w.check(999));
  }

  @Test
  void largeJumpClearsEverything() {
    ReplayWindow w = new ReplayWindow(128);
    for (long c = 0; c < 128; c++) {
      w.accept(c);
    }
    w.accept(10_000);
    for (long c = 10_000 - 127; c < 10_000; c++) {
      assertEquals(OK, w.check(c), "ctr " + c);
    }
  }

  @Test
  void countersAreUnsigned() {
    ReplayWindow w = new ReplayWindow(64);
    w.accept(-2L); // 2^64 - 2
    assertEquals(OK, w.check(-1L));
    assertEquals(DUP, w.check(-2L));
    assertEquals(OLD, w.check(5));
    assertEquals(OK, w.check(-3L));
    w.accept(-1L);
    assertEquals(DUP, w.check(-1L));
  }

  @Test
  void seededAgainstAReferenceModel() {
    SplittableRandom r = new SplittableRandom(3711);
    int size = 256;
    ReplayWindow w = new ReplayWindow(size);
    Set<Long> seen = new HashSet<>();
    long highest = -1;
    for (int i = 0; i < 100_000; i++) {
      long ctr = Math.max(0, highest + r.nextInt(-300, 40));
      int expected;
      if (highest >= 0 && ctr <= highest - size) {
        expected = OLD;
      } else if (seen.contains(ctr)) {
        expected = DUP;
      } else {
        expected = OK;
      }
      assertEquals(expected, w.check(ctr), "step " + i + " ctr " + ctr);
      if (expected == OK && r.nextInt(4) != 0) { // some frames "fail authentication": not accepted
        w.accept(ctr);
        seen.add(ctr);
        highest = Math.max(highest, ctr);
      }
    }
  }
}
