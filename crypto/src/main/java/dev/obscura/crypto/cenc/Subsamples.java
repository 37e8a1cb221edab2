package dev.obscura.crypto.cenc;

import dev.obscura.core.MalformedDataException;
import java.util.Arrays;

/**
 * Which bytes of one H.264 sample ISO Common Encryption leaves clear and which it encrypts: a
 * list of (clear bytes, protected bytes) pairs that covers the sample exactly, in order, as the
 * {@code senc} box stores it.
 *
 * <p><b>The rule</b> (one copy, used by the CENC MP4 writer and by the {@code cenc} scheme): in a
 * coded slice NAL unit (types 1 to 5, the VCL units) the framing (an MP4 length prefix or an
 * Annex B start code) and the one-byte NAL header stay clear and the rest of the unit is
 * protected; every other NAL unit (SPS, PPS, SEI, access unit delimiter, filler, extensions) stays
 * wholly clear. Consecutive clear bytes are merged; a clear run longer than 65,535 bytes (the
 * field is 16 bits) is split into pairs with no protected bytes. The {@code cenc} scheme needs no
 * alignment of protected ranges to the AES block (unlike {@code cbcs}).
 */
public final class Subsamples {
  /** Largest clear count of one pair ({@code senc} stores it in 16 bits). */
  public static final int MAX_CLEAR = 0xffff;

  private final int[] clear;
  private final int[] protectedBytes;

  private Subsamples(int[] clear, int[] protectedBytes) {
    this.clear = clear;
    this.protectedBytes = protectedBytes;
  }

  /**
   * A map given as pairs.
   *
   * @param clear the clear bytes of each pair (0 to {@value #MAX_CLEAR})
   * @param protectedBytes the protected bytes of each pair (at least 0)
   * @return the map
   * @throws IllegalArgumentException if the arrays differ in length or a count is out of range
   */
  public static Subsamples of(int[] clear, int[] protectedBytes) {
    if (clear.length != protectedBytes.length || clear.length > 0xffff) {
      throw new IllegalArgumentException("clear and protected counts must pair up (at most 65535 pairs)");
    }
    long total = 0;
    for (int i = 0; i < clear.length; i++) {
      if (clear[i] < 0 || clear[i] > MAX_CLEAR || protectedBytes[i] < 0) {
        throw new IllegalArgumentException("subsample " + i + " out of range");
      }
      total += clear[i] + (long) protectedBytes[i];
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("subsamples cover more than 2 GiB");
    }
    return new Subsamples(clear.clone(), protectedBytes.clone());
  }

  /**
   * The map of a sample of length-prefixed NAL units (MP4, {@code avcC} form).
   *
   * @param sample the buffer
   * @param offset where the sample starts
   * @param length its size
   * @param nalLengthSize bytes of each length prefix: 1, 2 or 4
   * @return the map, covering {@code length} bytes
   * @throws MalformedDataException if a length prefix or a NAL unit runs past the sample, or a
   *     NAL unit is empty
   */
  public static Subsamples forLengthPrefixed(byte[] sample, int offset, int length, int nalLengthSize)
      throws MalformedDataException {
    if (nalLengthSize != 1 && nalLengthSize != 2 && nalLengthSize != 4) {
      throw new IllegalArgumentException("NAL length size must be 1, 2 or 4, not " + nalLengthSize);
    }
    checkRange(sample, offset, length);
    Builder b = new Builder();
    int p = offset;
    int end = offset + length;
    while (p < end) {
      if (end - p < nalLengthSize) {
        throw new MalformedDataException("NAL length prefix cut short at sample byte " + (p - offset));
      }
      long n = 0;
      for (int i = 0; i < nalLengthSize; i++) {
        n = (n << 8) | (sample[p + i] & 0xff);
      }
      p += nalLengthSize;
      if (n == 0 || n > end - p) {
        throw new MalformedDataException("NAL unit of " + n + " bytes does not fit its sample");
      }
      b.nal(nalLengthSize, sample[p], (int) n);
      p += (int) n;
    }
    return b.build();
  }

  /**
   * The map of an Annex B access unit (NAL units after {@code 00 00 01} or {@code 00 00 00 01}
   * start codes), as {@link dev.obscura.core.EncodedFrame#data()} holds it. Bytes before the
   * first start code, if any, stay clear; the start codes stay clear.
   *
   * @param data the buffer
   * @param offset where the access unit starts
   * @param length its size
   * @return the map, covering {@code length} bytes
   */
  public static Subsamples forAnnexB(byte[] data, int offset, int length) {
    checkRange(data, offset, length);
    Builder b = new Builder();
    int end = offset + length;
    int sc = nextStartCode(data, offset, end);
    if (sc < 0) {
      b.clear(length);
      return b.build();
    }
    b.clear(sc - offset);
    while (sc >= 0) {
      int codeLen = data[sc + 2] == 1 ? 3 : 4;
      int nalStart = sc + codeLen;
      int next = nextStartCode(data, nalStart, end);
      int nalEnd = next < 0 ? end : next;
      if (nalEnd > nalStart) {
        b.nal(codeLen, data[nalStart], nalEnd - nalStart);
      } else {
        b.clear(codeLen);
      }
      sc = next;
    }
    return b.build();
  }

  /** The first start code ({@code 00 00 01}, or {@code 00 00 00 01}) at or after {@code from}, or -1. */
  private static int nextStartCode(byte[] d, int from, int end) {
    for (int i = from; i + 2 < end; i++) {
      if (d[i] == 0 && d[i + 1] == 0) {
        if (d[i + 2] == 1) {
          return i;
        }
        if (d[i + 2] == 0 && i + 3 < end && d[i + 3] == 1) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Whether a NAL unit header byte names a coded slice (types 1 to 5), whose payload is protected. */
  public static boolean isVcl(byte nalHeader) {
    int type = nalHeader & 0x1f;
    return type >= 1 && type <= 5;
  }

  /** @return the number of pairs */
  public int count() {
    return clear.length;
  }

  /**
   * @param i a pair index
   * @return the clear bytes of pair {@code i}
   */
  public int clearBytes(int i) {
    return clear[i];
  }

  /**
   * @param i a pair index
   * @return the protected bytes of pair {@code i}
   */
  public int protectedBytes(int i) {
    return protectedBytes[i];
  }

  /** @return the bytes the map covers */
  public int totalBytes() {
    long t = 0;
    for (int i = 0; i < clear.length; i++) {
      t += clear[i] + (long) protectedBytes[i];
    }
    return (int) t;
  }

  /** @return the bytes the map protects */
  public long totalProtectedBytes() {
    long t = 0;
    for (int p : protectedBytes) {
      t += p;
    }
    return t;
  }

  /** @return the encoded size of the pairs: 2 bytes of count and 6 per pair */
  public int encodedSize() {
    return 2 + 6 * clear.length;
  }

  /**
   * Writes the pairs as {@code senc} does: a 16-bit count, then per pair a 16-bit clear and a
   * 32-bit protected count, big-endian.
   *
   * @param dst where to write
   * @param offset where in {@code dst}; {@link #encodedSize()} bytes must fit
   */
  public void encodeTo(byte[] dst, int offset) {
    int p = offset;
    dst[p++] = (byte) (clear.length >>> 8);
    dst[p++] = (byte) clear.length;
    for (int i = 0; i < clear.length; i++) {
      dst[p++] = (byte) (clear[i] >>> 8);
      dst[p++] = (byte) clear[i];
      int v = protectedBytes[i];
      dst[p++] = (byte) (v >>> 24);
      dst[p++] = (byte) (v >>> 16);
      dst[p++] = (byte) (v >>> 8);
      dst[p++] = (byte) v;
    }
  }

  /**
   * Reads pairs that {@link #encodeTo} wrote.
   *
   * @param src the buffer
   * @param offset where the 16-bit count starts
   * @param limit the end of the readable bytes
   * @return the map
   * @throws MalformedDataException if the pairs run past {@code limit}
   */
  public static Subsamples decode(byte[] src, int offset, int limit) throws MalformedDataException {
    if (limit - offset < 2) {
      throw new MalformedDataException("subsample count cut short");
    }
    int n = ((src[offset] & 0xff) << 8) | (src[offset + 1] & 0xff);
    if ((limit - offset - 2) / 6 < n) {
      throw new MalformedDataException("subsample map of " + n + " pairs cut short");
    }
    int[] c = new int[n];
    int[] q = new int[n];
    int p = offset + 2;
    for (int i = 0; i < n; i++) {
      c[i] = ((src[p] & 0xff) << 8) | (src[p + 1] & 0xff);
      long v = ((src[p + 2] & 0xffL) << 24) | ((src[p + 3] & 0xff) << 16) | ((src[p + 4] & 0xff) << 8)
          | (src[p + 5] & 0xff);
      if (v > Integer.MAX_VALUE) {
        throw new MalformedDataException("subsample of " + v + " protected bytes");
      }
      q[i] = (int) v;
      p += 6;
    }
    try {
      return of(c, q);
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("subsample map out of range");
    }
  }

  private static void checkRange(byte[] b, int offset, int length) {
    if (offset < 0 || length < 0 || offset > b.length - length) {
      throw new IndexOutOfBoundsException("range " + offset + "+" + length + " of " + b.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subsamples s && Arrays.equals(s.clear, clear)
        && Arrays.equals(s.protectedBytes, protectedBytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(clear) * 31 + Arrays.hashCode(protectedBytes);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Subsamples[");
    for (int i = 0; i < clear.length; i++) {
      s.append(i == 0 ? "" : ", ").append(clear[i]).append('/').append(protectedBytes[i]);
    }
    return s.append(']').toString();
  }

  /** Accumulates NAL units into merged pairs. */
  private static final class Builder {
    private int[] c = new int[8];
    private int[] q = new int[8];
    private int n;
    private long pendingClear;

    void clear(long bytes) {
      pendingClear += bytes;
    }

    void nal(int framing, byte header, int nalBytes) {
      if (isVcl(header)) {
        clear(framing + 1L);
        emit(nalBytes - 1);
      } else {
        clear(framing + (long) nalBytes);
      }
    }

    private void emit(int protectedCount) {
      while (pendingClear > MAX_CLEAR) {
        add(MAX_CLEAR, 0);
        pendingClear -= MAX_CLEAR;
      }
      add((int) pendingClear, protectedCount);
      pendingClear = 0;
    }

    private void add(int clearCount, int protectedCount) {
      if (n == c.length) {
        c = Arrays.copyOf(c, n * 2);
        q = Arrays.copyOf(q, n * 2);
      }
      c[n] = clearCount;
      q[n] = protectedCount;
      n++;
    }

    Subsamples build() {
      if (pendingClear > 0 || n == 0) {
        emit(0);
      }
      if (n > 0xffff) {
        throw new IllegalArgumentException("more than 65535 subsamples in one sample");
      }
      return new Subsamples(Arrays.copyOf(c, n), Arrays.copyOf(q, n));
    }
  }
}
