package dev.obscura.crypto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Reads a decrypting stream with every read into a buffer pre-filled with a sentinel, and checks
 * the property a failing streaming read must have: it leaves the caller's buffer exactly as it
 * was (no unauthenticated byte, not even zeros, reaches it), and so does every read after it. A
 * successful read may write only {@code [off, off + n)}. The crypto tests' one copy of this check.
 */
public final class SentinelReads {
  /** The byte every buffer is filled with before a read. */
  public static final byte SENTINEL = (byte) 0xA5;

  /** One read into {@code b[off .. off+len)}. */
  @FunctionalInterface
  public interface Read {
    int read(byte[] b, int off, int len) throws Exception;
  }

  /**
   * What a drain got: the bytes released before the end or the failure, the failure (null at a
   * clean end), and whether two more reads failed with the same exception type.
   */
  public record Result(byte[] released, Exception error, boolean sticky) {}

  private SentinelReads() {}

  /** A buffer of {@code size} bytes, filled with {@link #SENTINEL}. */
  public static byte[] filled(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, SENTINEL);
    return b;
  }

  /** Asserts every byte of {@code b[from .. to)} is still the sentinel. */
  public static void assertUntouched(byte[] b, int from, int to, String what) {
    for (int i = from; i < to; i++) {
      if (b[i] != SENTINEL) {
        fail(what + ": the caller's buffer was written at index " + i + " (0x"
            + Integer.toHexString(b[i] & 0xff) + ", not the sentinel)");
      }
    }
  }

  /** Asserts every byte of {@code b} is still the sentinel. */
  public static void assertUntouched(byte[] b, String what) {
    assertUntouched(b, 0, b.length, what);
  }

  /**
   * Reads to the end or the first failure, {@code len} bytes at a time into a buffer with a margin
   * of 7 sentinel bytes either side, refilled with the sentinel before each read. After a failure
   * reads twice more (the same size, then 1 byte) and asserts each fails and leaves the buffer
   * untouched.
   */
  public static Result drain(Read read, int len, String what) {
    int off = 7;
    byte[] buf = new byte[off + len + 7];
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (true) {
      Arrays.fill(buf, SENTINEL);
      int n;
      try {
        n = read.read(buf, off, len);
      } catch (Exception e) {
        assertUntouched(buf, what + ", the failing read (" + e.getClass().getSimpleName() + ")");
        boolean sticky = true;
        for (int again : new int[] {len, 1}) {
          Arrays.fill(buf, SENTINEL);
          try {
            read.read(buf, off, again);
            sticky = false;
          } catch (Exception e2) {
            sticky &= e2.getClass() == e.getClass();
          }
          assertUntouched(buf, what + ", a read after the failure");
        }
        return new Result(got.toByteArray(), e, sticky);
      }
      if (n == -1) {
        assertUntouched(buf, what + ", the read that returned the end");
        return new Result(got.toByteArray(), null, false);
      }
      if (n < 0 || n > len || (len > 0 && n == 0)) {
        fail(what + ": read returned " + n + " for " + len + " bytes asked");
      }
      assertUntouched(buf, 0, off, what + ", before off");
      assertUntouched(buf, off + n, buf.length, what + ", past the " + n + " bytes returned");
      got.write(buf, off, n);
    }
  }

  /** {@link #drain}, asserting it ended in a failure of exactly {@code type}. */
  public static <T extends Exception> Result drainToFailure(Read read, int len, Class<T> type,
      String what) {
    Result r = drain(read, len, what);
    if (r.error() == null) {
      fail(what + ": the stream read to a clean end (" + r.released().length + " bytes)");
    }
    assertEquals(type, r.error().getClass(), what + ": " + r.error());
    return r;
  }
}
