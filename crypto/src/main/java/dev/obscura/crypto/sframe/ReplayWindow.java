package dev.obscura.crypto.sframe;

/**
 * A sliding-window replay filter over the (unsigned 64-bit) CTR values of one KID, after
 * RFC 4303 section 3.4.3 / RFC 3711 section 3.3.2: the highest accepted counter, and a bitmap of
 * the {@code size} counters at and below it. Not thread-safe.
 *
 * <p>{@link #check} is called before decryption and {@link #accept} only after the frame
 * authenticated, so forged frames cannot move the window.
 */
final class ReplayWindow {
  private final int size;
  private final long[] bits;
  private long highest;
  private boolean empty = true;

  ReplayWindow(int size) {
    if (size < 64 || size % 64 != 0) {
      throw new IllegalArgumentException("window size must be a positive multiple of 64");
    }
    this.size = size;
    this.bits = new long[size / 64];
  }

  /** 0 if {@code ctr} may be accepted, 1 if it is a duplicate, 2 if it is older than the window. */
  int check(long ctr) {
    if (empty || Long.compareUnsigned(ctr, highest) > 0) {
      return 0;
    }
    long age = highest - ctr; // unsigned difference, highest >= ctr
    if (Long.compareUnsigned(age, size) >= 0) {
      return 2;
    }
    return isSet(ctr) ? 1 : 0;
  }

  /** Records {@code ctr} as accepted. The caller has checked it with {@link #check} first. */
  void accept(long ctr) {
    if (empty) {
      empty = false;
      highest = ctr;
    } else if (Long.compareUnsigned(ctr, highest) > 0) {
      long advance = ctr - highest;
      if (Long.compareUnsigned(advance, size) >= 0) {
        java.util.Arrays.fill(bits, 0L);
      } else {
        for (long c = highest + 1; c != ctr; c++) {
          clear(c);
        }
      }
      highest = ctr;
    }
    set(ctr);
  }

  private int index(long ctr) {
    return (int) Long.remainderUnsigned(ctr, size);
  }

  private boolean isSet(long ctr) {
    int i = index(ctr);
    return (bits[i >>> 6] & (1L << (i & 63))) != 0;
  }

  private void set(long ctr) {
    int i = index(ctr);
    bits[i >>> 6] |= 1L << (i & 63);
  }

  private void clear(long ctr) {
    int i = index(ctr);
    bits[i >>> 6] &= ~(1L << (i & 63));
  }
}
