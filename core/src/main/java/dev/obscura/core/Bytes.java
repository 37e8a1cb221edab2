package dev.obscura.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Bounded stream reads and byte-array comparisons, for code that runs on Android API 26.
 *
 * <p>The SDK's one copy of these mechanisms: {@code InputStream.readNBytes}, {@code
 * Arrays.compareUnsigned} and the range form of {@code Arrays.equals} would do on the JDK, but
 * Android has them only from API 33 (or not at all), and {@code core} and {@code crypto} run on
 * API 26 (checked by animal-sniffer in the build; see {@code docs/android.md}).
 *
 * <p>None of these methods is constant-time: compare secrets with {@link
 * java.security.MessageDigest#isEqual}.
 */
public final class Bytes {
  /** Bytes read per step by {@link #readUpTo}, so a short stream costs a small buffer. */
  private static final int STEP_BYTES = 8192;

  private Bytes() {}

  /**
   * Reads until {@code maxBytes} bytes have been read or the stream ends, as {@code
   * InputStream.readNBytes(int)} does. It allocates as the bytes arrive, never {@code maxBytes}
   * up front, so a large bound costs nothing for a short stream.
   *
   * @param in the stream (not closed)
   * @param maxBytes the most bytes to read, at least 0
   * @return the bytes read: fewer than {@code maxBytes} only if the stream ended
   * @throws IOException if the stream fails
   * @throws IllegalArgumentException if {@code maxBytes} is negative
   */
  public static byte[] readUpTo(InputStream in, int maxBytes) throws IOException {
    Objects.requireNonNull(in, "in");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes is negative: " + maxBytes);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, STEP_BYTES));
    byte[] step = new byte[Math.min(maxBytes, STEP_BYTES)];
    int left = maxBytes;
    while (left > 0) {
      int n = in.read(step, 0, Math.min(left, step.length));
      if (n < 0) {
        break;
      }
      out.write(step, 0, n);
      left -= n;
    }
    return out.toByteArray();
  }

  /**
   * Reads into {@code b[off, off + len)} until it is full or the stream ends, as {@code
   * InputStream.readNBytes(byte[], int, int)} does.
   *
   * @param in the stream (not closed)
   * @param b the buffer to fill
   * @param off where in {@code b} to start
   * @param len how many bytes to read at most
   * @return the number of bytes read: less than {@code len} only if the stream ended
   * @throws IOException if the stream fails
   * @throws IndexOutOfBoundsException if the range is not inside {@code b}
   */
  public static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    Objects.requireNonNull(in, "in");
    checkRange(b.length, off, len);
    int done = 0;
    while (done < len) {
      int n = in.read(b, off + done, len - done);
      if (n < 0) {
        break;
      }
      done += n;
    }
    return done;
  }

  /**
   * Compares two arrays lexicographically, bytes as unsigned values, a proper prefix first; the
   * order of {@code Arrays.compareUnsigned(byte[], byte[])}.
   *
   * @param a the first array
   * @param b the second array
   * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
   */
  public static int compareUnsigned(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  /**
   * Whether {@code a[aFrom, aFrom + len)} and {@code b[bFrom, bFrom + len)} hold the same bytes.
   *
   * @param a the first array
   * @param aFrom where the range in {@code a} starts
   * @param b the second array
   * @param bFrom where the range in {@code b} starts
   * @param len the length of both ranges
   * @return whether the ranges are equal
   * @throws IndexOutOfBoundsException if a range is not inside its array
   */
  public static boolean regionEquals(byte[] a, int aFrom, byte[] b, int bFrom, int len) {
    checkRange(a.length, aFrom, len);
    checkRange(b.length, bFrom, len);
    for (int i = 0; i < len; i++) {
      if (a[aFrom + i] != b[bFrom + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code data} starts with {@code prefix} (false if it is shorter).
   *
   * @param data the array to look at
   * @param prefix the bytes it should start with
   * @return whether it does
   */
  public static boolean startsWith(byte[] data, byte[] prefix) {
    return data.length >= prefix.length && regionEquals(data, 0, prefix, 0, prefix.length);
  }

  /**
   * Whether every byte of {@code b[from, from + len)} is zero (padding checks), looking at every
   * byte whatever it finds.
   *
   * @param b the array
   * @param from where the range starts
   * @param len its length
   * @return whether the range is all zero
   * @throws IndexOutOfBoundsException if the range is not inside the array
   */
  public static boolean isZero(byte[] b, int from, int len) {
    checkRange(b.length, from, len);
    int d = 0;
    for (int i = from; i < from + len; i++) {
      d |= b[i];
    }
    return d == 0;
  }

  private static void checkRange(int length, int from, int len) {
    if (from < 0 || len < 0 || from > length - len) {
      throw new IndexOutOfBoundsException("range " + from + "+" + len + " of " + length);
    }
  }
}
