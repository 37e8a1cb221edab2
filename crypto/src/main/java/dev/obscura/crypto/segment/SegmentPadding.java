package dev.obscura.crypto.segment;

import dev.obscura.crypto.chunked.ChunkedEncryption;
import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.padding.PaddingPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Padding of stored segments inside their sealed plaintext (docs/spec/sealed-segment-v1.md
 * section 1.1): a padded plaintext starts with an ISO BMFF {@code free} box that carries a 16-byte
 * Obscura signature and zeros, followed by the segment's fMP4 unchanged. Every reader ({@link
 * SegmentReader} and its decorators) strips the box, so callers get exactly the fMP4.
 *
 * <pre>
 * u32be size (24 .. 2^32-1, the whole box) || "free" || "obscura.padding\0" || size - 24 zero bytes
 * </pre>
 */
public final class SegmentPadding {
  /** The box's fixed part: size, type, signature. */
  public static final int BOX_HEADER_BYTES = 24;

  static final byte[] TYPE = "free".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SIGNATURE = "obscura.padding\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ZEROS = new byte[ChunkedEncryption.CHUNK_SIZE_BYTES];

  private SegmentPadding() {}

  /**
   * The plaintext length a segment of {@code plaintext} bytes is padded to under {@code policy}
   * when its header is {@code headerLength} bytes: {@code plaintext} itself (no box) when the
   * policy leaves its sealed size as it is, else a length at least {@code plaintext + 24} whose
   * sealed size ({@code headerLength + ChunkedEncryption.ciphertextSize(length)}) is exactly a
   * size the policy gives. Sealed sizes that no plaintext length has (a 16-byte tag is added at
   * every 16 KiB) are skipped to the policy's next size.
   *
   * @param policy the padding policy
   * @param headerLength the segment header's length
   * @param plaintext the unpadded plaintext length
   * @return the padded plaintext length, or {@code plaintext}
   * @throws IllegalArgumentException if the padded segment would not fit an int-sized object or a
   *     u32 box
   */
  public static long paddedPlaintextSize(PaddingPolicy policy, int headerLength, long plaintext) {
    Objects.requireNonNull(policy, "policy");
    long unpadded = headerLength + ChunkedEncryption.ciphertextSize(plaintext);
    long min = headerLength + ChunkedEncryption.ciphertextSize(plaintext + BOX_HEADER_BYTES);
    if (min > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a segment of " + plaintext + " bytes is too large to pad");
    }
    int target = PaddingPolicies.sealedSize(policy, (int) unpadded, (int) min);
    if (target == unpadded) {
      return plaintext;
    }
    for (int tries = 0; tries < 64; tries++) {
      long length = plaintextFor(target - (long) headerLength);
      if (length >= plaintext + BOX_HEADER_BYTES) {
        if (length - plaintext > 0xffff_ffffL) {
          break;
        }
        return length;
      }
      if (target == Integer.MAX_VALUE) {
        break;
      }
      target = policy.paddedSize(target + 1);
    }
    throw new IllegalArgumentException(policy.describe() + " gives no sealed size for a segment of "
        + plaintext + " bytes");
  }

  /** The plaintext length whose chunked ciphertext is exactly {@code ciphertext} bytes, or -1. */
  private static long plaintextFor(long ciphertext) {
    long x = ciphertext - ChunkedEncryption.HEADER_SIZE_BYTES - ChunkedEncryption.TAG_SIZE_BYTES;
    if (x < 0) {
      return -1;
    }
    long k = x / ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES;
    long length = x - k * ChunkedEncryption.TAG_SIZE_BYTES;
    return ChunkedEncryption.ciphertextSize(length) == ciphertext ? length : -1;
  }

  /**
   * Writes {@code data[off, off + len)} into {@code writer} padded under {@code policy}: the
   * padding box first (when the policy pads it), then the data. The writer must be fresh (nothing
   * written yet).
   *
   * @param writer the open segment
   * @param policy the padding policy
   * @param data the segment's plaintext (fMP4)
   * @param off where it starts
   * @param len its length
   * @return the padding box's size in bytes, 0 if none
   * @throws IOException if the store fails (the segment is aborted)
   * @throws IllegalArgumentException if the padded segment exceeds the writer's maximum (the
   *     segment is aborted)
   * @throws IllegalStateException if the writer already holds bytes
   */
  public static long write(SegmentWriter writer, PaddingPolicy policy, byte[] data, int off, int len)
      throws IOException {
    Objects.checkFromIndexSize(off, len, data.length);
    if (writer.bytesWritten() != 0) {
      throw new IllegalStateException("the padding box goes first: the segment already has bytes");
    }
    long box = paddedPlaintextSize(policy, writer.headerLength(), len) - len;
    if (box > 0) {
      byte[] head = new byte[BOX_HEADER_BYTES];
      head[0] = (byte) (box >>> 24);
      head[1] = (byte) (box >>> 16);
      head[2] = (byte) (box >>> 8);
      head[3] = (byte) box;
      System.arraycopy(TYPE, 0, head, 4, 4);
      System.arraycopy(SIGNATURE, 0, head, 8, SIGNATURE.length);
      writer.write(head, 0, BOX_HEADER_BYTES);
      for (long left = box - BOX_HEADER_BYTES; left > 0; ) {
        int n = (int) Math.min(left, ZEROS.length);
        writer.write(ZEROS, 0, n);
        left -= n;
      }
    }
    writer.write(data, off, len);
    return box;
  }

  /** Whether {@code pt[0, len)} starts with a padding box's type and signature. */
  static boolean startsWithBox(byte[] pt, int len) {
    if (len < BOX_HEADER_BYTES) {
      return false;
    }
    int d = 0;
    for (int i = 0; i < 4; i++) {
      d |= pt[4 + i] ^ TYPE[i];
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      d |= pt[8 + i] ^ SIGNATURE[i];
    }
    return d == 0;
  }

  /** The box size in its first four bytes. */
  static long boxSize(byte[] pt) {
    return ((pt[0] & 0xffL) << 24) | ((pt[1] & 0xff) << 16) | ((pt[2] & 0xff) << 8) | (pt[3] & 0xff);
  }

  static byte[] copyOf(byte[] out, int n) {
    if (n == out.length) {
      return out;
    }
    byte[] exact = Arrays.copyOf(out, n);
    Arrays.fill(out, (byte) 0);
    return exact;
  }
}
