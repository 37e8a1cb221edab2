package dev.obscura.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Bytes} behaves as the JDK 11+ methods it stands in for, checked against them here. */
class BytesTest {
  /** A stream that returns at most 3 bytes per read, as sockets and ciphers do. */
  private static InputStream trickle(byte[] data) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 3));
      }
    };
  }

  @Test
  void isZeroLooksAtExactlyItsRange() {
    byte[] b = new byte[64];
    assertTrue(Bytes.isZero(b, 0, 64));
    assertTrue(Bytes.isZero(b, 64, 0));
    for (int i = 0; i < 64; i++) {
      byte[] c = b.clone();
      c[i] = (byte) 0x80; // a negative byte too
      assertFalse(Bytes.isZero(c, 0, 64), "byte " + i);
      assertTrue(Bytes.isZero(c, 0, i), "the range before byte " + i);
      assertTrue(Bytes.isZero(c, i + 1, 63 - i), "the range after byte " + i);
    }
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.isZero(b, 60, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.isZero(b, -1, 1));
  }

  @Test
  void readUpToMatchesReadNBytes() throws IOException {
    SplittableRandom r = new SplittableRandom(1);
    for (int size : new int[] {0, 1, 8191, 8192, 8193, 40000}) {
      byte[] data = new byte[size];
      r.nextBytes(data);
      for (int max : new int[] {0, 1, size / 2, size, size + 1, 1 << 20}) {
        assertArrayEquals(new ByteArrayInputStream(data).readNBytes(max), Bytes.readUpTo(trickle(data), max));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Bytes.readUpTo(new ByteArrayInputStream(new byte[0]), -1));
  }

  @Test
  void readFullyMatchesReadNBytesIntoAnArray() throws IOException {
    byte[] data = new byte[100];
    new SplittableRandom(2).nextBytes(data);
    byte[] a = new byte[120];
    byte[] b = new byte[120];
    assertEquals(new ByteArrayInputStream(data).readNBytes(a, 5, 110), Bytes.readFully(trickle(data), b, 5, 110));
    assertArrayEquals(a, b);
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.readFully(trickle(data), b, 100, 21));
  }

  @Test
  void compareUnsignedAndRegionsMatchArrays() {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 2000; i++) {
      byte[] x = new byte[r.nextInt(4)];
      byte[] y = new byte[r.nextInt(4)];
      for (int j = 0; j < x.length; j++) {
        x[j] = (byte) (r.nextInt(3) * 127);
      }
      for (int j = 0; j < y.length; j++) {
        y[j] = (byte) (r.nextInt(3) * 127);
      }
      assertEquals(Integer.signum(Arrays.compareUnsigned(x, y)), Integer.signum(Bytes.compareUnsigned(x, y)));
      int n = Math.min(x.length, y.length);
      assertEquals(Arrays.equals(x, 0, n, y, 0, n), Bytes.regionEquals(x, 0, y, 0, n));
    }
    assertTrue(Bytes.startsWith(new byte[] {1, 2, 3}, new byte[] {1, 2}));
    assertFalse(Bytes.startsWith(new byte[] {1}, new byte[] {1, 2}));
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.regionEquals(new byte[2], 1, new byte[2], 0, 2));
  }

  @Test
  void theDeterministicTestSourceKeepsItsBytes() {
    // EntropySource.insecureDeterministicForTests spells out SplittableRandom.nextBytes
    for (int len : new int[] {0, 1, 7, 8, 9, 33}) {
      byte[] want = new byte[len];
      SplittableRandom r = new SplittableRandom(42);
      r.nextBytes(want);
      byte[] got = new byte[len];
      EntropySource.insecureDeterministicForTests(42).nextBytes(got);
      assertArrayEquals(want, got, "length " + len);
    }
  }
}
