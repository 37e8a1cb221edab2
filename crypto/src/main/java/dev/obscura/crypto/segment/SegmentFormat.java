package dev.obscura.crypto.segment;

import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The sealed-segment object format, version 1:
 *
 * <pre>
 * sealed segment = header || salt (24) || commitment (32) || chunk_0 || ... || chunk_n
 *   header        = {@link SegmentHeader} bytes (magic "OBSG", version 1, suite, stream id,
 *                   sequence, epoch, start time, previous digest)
 *   salt..chunks  = C2SP chunked ciphertext of the fMP4 plaintext, with
 *                   input key = {@link SegmentKeys segment key}, context = header bytes
 * digest         = SHA-256("obscura/v1 chain" || header bytes || commitment)
 * </pre>
 *
 * The digest of segment {@code n} is the previous digest in the header of segment {@code n+1};
 * sequence 0 carries 32 zero bytes. Because the header is the encryption context and the
 * commitment binds key, salt and context, the digest names exactly one sealed segment.
 */
public final class SegmentFormat {
  static final byte[] CHAIN_LABEL = "obscura/v1 chain".getBytes(StandardCharsets.US_ASCII);

  /** Bytes after the header that are public: the C2SP salt and commitment. */
  public static final int PUBLIC_TRAILER_BYTES = ChunkedEncryption.HEADER_SIZE_BYTES;

  private SegmentFormat() {}

  /** The chain digest of a segment with this header and commitment. */
  public static byte[] digest(SegmentHeader header, byte[] commitment) {
    return digest(header.toBytes(), commitment);
  }

  static byte[] digest(byte[] headerBytes, byte[] commitment) {
    if (commitment.length != ChunkedEncryption.COMMITMENT_SIZE_BYTES) {
      throw new IllegalArgumentException("commitment must be 32 bytes");
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(CHAIN_LABEL);
      sha.update(headerBytes);
      sha.update(commitment);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * {@link SegmentHeader#read}, hardened: the core parser re-encodes the start time and can throw
   * an unchecked {@link ArithmeticException} for start times near the ends of the 64-bit
   * microsecond range (found by fuzzing; core is frozen). Here every such case is a
   * {@link MalformedDataException}.
   */
  public static SegmentHeader readHeader(InputStream in) throws IOException, MalformedDataException {
    try {
      return SegmentHeader.read(in);
    } catch (ArithmeticException | java.time.DateTimeException | IllegalArgumentException e) {
      throw new MalformedDataException("segment header has an out-of-range field");
    }
  }

  /** {@link SegmentHeader#parse}, hardened like {@link #readHeader}. */
  public static SegmentHeader parseHeader(byte[] bytes) throws MalformedDataException {
    try {
      return SegmentHeader.parse(bytes);
    } catch (ArithmeticException | java.time.DateTimeException | IllegalArgumentException e) {
      throw new MalformedDataException("segment header has an out-of-range field");
    }
  }

  /**
   * Reads the public part of a sealed segment (header, salt, commitment): at most
   * {@link SegmentHeader#MAX_LENGTH} + 56 bytes, whatever the input says. Needs no key and
   * authenticates nothing.
   *
   * @throws MalformedDataException if the header does not parse
   * @throws TruncatedSegmentException if the object ends before the commitment
   */
  public static SealedSegmentHead readHead(InputStream in)
      throws IOException, MalformedDataException, TruncatedSegmentException {
    SegmentHeader header = readHeader(in);
    byte[] trailer = in.readNBytes(PUBLIC_TRAILER_BYTES);
    if (trailer.length != PUBLIC_TRAILER_BYTES) {
      throw new TruncatedSegmentException(
          "segment " + header.segmentId() + " ends before its key commitment");
    }
    return new SealedSegmentHead(header,
        Arrays.copyOfRange(trailer, ChunkedEncryption.SALT_SIZE_BYTES, trailer.length));
  }
}
