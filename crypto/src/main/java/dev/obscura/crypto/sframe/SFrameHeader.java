package dev.obscura.crypto.sframe;

import dev.obscura.core.MalformedDataException;
import java.util.Objects;

/**
 * The SFrame header (RFC 9605 section 4.3): a key id (KID) and a counter (CTR), both unsigned
 * 64-bit integers, in the compact form the RFC defines.
 *
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+------------+------------+
 * |X|  K  |Y|  C  |   KID...   |   CTR...   |
 * +-+-+-+-+-+-+-+-+------------+------------+
 * </pre>
 *
 * A value below 8 sits in the three bits of the config byte with its flag clear; any other value
 * follows the config byte big-endian in the fewest bytes (1 to 8), its flag set and the length
 * minus one in the three bits. KID comes before CTR. A header is 1 to 17 bytes long.
 *
 * <p><b>Security guarantees:</b> none by itself: the header is public and authenticated only as
 * part of the AEAD's associated data. In Obscura the KID is the epoch number.
 *
 * <p><b>Restrictions:</b> {@code kid} and {@code counter} are <em>unsigned</em>: a negative
 * {@code long} stands for a value of 2<sup>63</sup> or more (use {@link Long#toUnsignedString}).
 * {@link #decode} reads at most 17 bytes of what it is given, never allocates on failure, and
 * refuses encodings that are not the shortest (the RFC requires the minimum number of bytes), so
 * every (KID, CTR) pair has exactly one encoding.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * SFrameHeader h = SFrameHeader.decode(sframe, 0, sframe.length);   // who sealed it, which epoch
 * long epoch = h.kid();
 * }</pre>
 *
 * @param kid the key id (unsigned)
 * @param counter the frame counter CTR (unsigned)
 */
public record SFrameHeader(long kid, long counter) {
  /** The longest encoded header: config byte, 8-byte KID, 8-byte CTR. */
  public static final int MAX_LENGTH = 17;

  /** Length of this header once encoded, 1 to 17 bytes. */
  public int encodedLength() {
    return encodedLength(kid, counter);
  }

  /** Length of the header for {@code kid} and {@code counter}, 1 to 17 bytes. */
  public static int encodedLength(long kid, long counter) {
    return 1 + extraBytes(kid) + extraBytes(counter);
  }

  /** The encoded header, as a new array. */
  public byte[] encode() {
    byte[] out = new byte[encodedLength()];
    encodeInto(kid, counter, out, 0);
    return out;
  }

  /**
   * Writes the header for {@code kid} and {@code counter} into {@code out} at {@code offset}.
   *
   * @return the number of bytes written
   * @throws IndexOutOfBoundsException if it does not fit
   */
  public static int encodeInto(long kid, long counter, byte[] out, int offset) {
    int kLen = extraBytes(kid);
    int cLen = extraBytes(counter);
    int total = 1 + kLen + cLen;
    Objects.checkFromIndexSize(offset, total, out.length);
    int config;
    if (kLen == 0) {
      config = (int) kid << 4;
    } else {
      config = 0x80 | (kLen - 1) << 4;
    }
    if (cLen == 0) {
      config |= (int) counter;
    } else {
      config |= 0x08 | (cLen - 1);
    }
    out[offset] = (byte) config;
    writeBigEndian(kid, kLen, out, offset + 1);
    writeBigEndian(counter, cLen, out, offset + 1 + kLen);
    return total;
  }

  /**
   * Parses the header at the start of {@code in[offset, offset + length)}. The bytes after the
   * header (ciphertext and tag) are not looked at.
   *
   * @throws MalformedDataException if the header is cut short or not minimally encoded
   * @throws IndexOutOfBoundsException if the range lies outside {@code in}
   */
  public static SFrameHeader decode(byte[] in, int offset, int length) throws MalformedDataException {
    long[] kidCtr = new long[2];
    parse(in, offset, length, kidCtr);
    return new SFrameHeader(kidCtr[0], kidCtr[1]);
  }

  /**
   * {@link #decode} without allocating: leaves KID in {@code kidCtr[0]} and CTR in {@code
   * kidCtr[1]} and returns the header's length.
   */
  static int parse(byte[] in, int offset, int length, long[] kidCtr) throws MalformedDataException {
    Objects.checkFromIndexSize(offset, length, in.length);
    if (length < 1) {
      throw new MalformedDataException("SFrame header: empty input");
    }
    int config = in[offset] & 0xff;
    int pos = offset + 1;
    int end = offset + length;
    long kid;
    int kLen = 0;
    if ((config & 0x80) == 0) {
      kid = (config >>> 4) & 0x07;
    } else {
      kLen = ((config >>> 4) & 0x07) + 1;
      if (end - pos < kLen) {
        throw new MalformedDataException("SFrame header: KID cut short");
      }
      kid = readBigEndian(in, pos, kLen);
      pos += kLen;
    }
    long ctr;
    int cLen = 0;
    if ((config & 0x08) == 0) {
      ctr = config & 0x07;
    } else {
      cLen = (config & 0x07) + 1;
      if (end - pos < cLen) {
        throw new MalformedDataException("SFrame header: CTR cut short");
      }
      ctr = readBigEndian(in, pos, cLen);
    }
    if (kLen != extraBytes(kid)) {
      throw new MalformedDataException("SFrame header: KID not minimally encoded");
    }
    if (cLen != extraBytes(ctr)) {
      throw new MalformedDataException("SFrame header: CTR not minimally encoded");
    }
    kidCtr[0] = kid;
    kidCtr[1] = ctr;
    return 1 + kLen + cLen;
  }

  /** Bytes after the config byte for {@code v}: 0 if it fits in three bits, else 1 to 8. */
  static int extraBytes(long v) {
    if (v >= 0 && v < 8) {
      return 0;
    }
    return (64 - Long.numberOfLeadingZeros(v) + 7) / 8;
  }

  private static void writeBigEndian(long v, int len, byte[] out, int offset) {
    for (int i = len - 1; i >= 0; i--) {
      out[offset + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long readBigEndian(byte[] in, int offset, int len) {
    long v = 0;
    for (int i = 0; i < len; i++) {
      v = (v << 8) | (in[offset + i] & 0xff);
    }
    return v;
  }

  @Override
  public String toString() {
    return "SFrameHeader[kid=" + Long.toUnsignedString(kid) + ", ctr="
        + Long.toUnsignedString(counter) + "]";
  }
}
