package dev.obscura.crypto.segment;

import dev.obscura.crypto.internal.Sha256;
import dev.obscura.core.Bytes;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The sealed-segment object format, version 2:
 *
 * <pre>
 * sealed segment = header || salt (24) || commitment (32) || chunk_0 || ... || chunk_n
 *   header        = {@link SegmentHeader} bytes (magic "OBSG", version 2, suite, stream id,
 *                   sequence, epoch, start time, duration, previous digest)
 *   salt..chunks  = C2SP chunked ciphertext of the fMP4 plaintext, with
 *                   input key = {@link SegmentKeys segment key}, context = header bytes
 * digest         = SHA-256("obscura/v2 chain" || every byte of the sealed segment)
 * </pre>
 *
 * The digest of segment {@code n} is the previous digest in the header of segment {@code n+1};
 * sequence 0 carries 32 zero bytes. The digest covers the ciphertext, not only the header and
 * commitment: C2SP's commitment binds the key, salt and context but not the message, so anyone
 * holding a segment key could otherwise seal other content under the same header and salt and
 * keep the digest. The digest is computed while sealing and while reading, in one pass.
 */
public final class SegmentFormat {
  static final byte[] CHAIN_LABEL = "obscura/v2 chain".getBytes(StandardCharsets.US_ASCII);

  /** Bytes after the header that are public: the C2SP salt and commitment. */
  public static final int PUBLIC_TRAILER_BYTES = ChunkedEncryption.HEADER_SIZE_BYTES;

  private SegmentFormat() {}

  /**
   * {@link dev.obscura.core.ObjectNames#segment} of ({@code stream}, {@code sequence}), the same
   * string, without a {@code Formatter}: "stream/segments/" || the sequence as 19 decimal digits
   * || ".seg", composed in {@code scratch} (at least {@link #OBJECT_NAME_MAX} bytes). The sequence
   * is 0..2^62. Allocates only the string.
   */
  static String objectName(dev.obscura.core.StreamId stream, long sequence, byte[] scratch) {
    String s = stream.value(); // ASCII, checked by StreamId
    int n = s.length();
    for (int i = 0; i < n; i++) {
      scratch[i] = (byte) s.charAt(i);
    }
    System.arraycopy(SEGMENTS_DIR, 0, scratch, n, SEGMENTS_DIR.length);
    int end = n + SEGMENTS_DIR.length + 19;
    long v = sequence;
    for (int i = end - 1; i >= end - 19; i--) {
      scratch[i] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    }
    System.arraycopy(SEG, 0, scratch, end, SEG.length);
    return new String(scratch, 0, end + SEG.length, StandardCharsets.ISO_8859_1);
  }

  private static final byte[] SEGMENTS_DIR = "/segments/".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEG = ".seg".getBytes(StandardCharsets.US_ASCII);
  /** The longest object name {@link #objectName} composes. */
  static final int OBJECT_NAME_MAX = dev.obscura.core.StreamId.MAX_LENGTH + 10 + 19 + 4;

  /** A SHA-256 that has absorbed the chain label: feed it the sealed bytes, in order. */
  public static MessageDigest newChainDigest() {
    MessageDigest sha = Sha256.newDigest();
    sha.update(CHAIN_LABEL);
    return sha;
  }

  /** The chain digest of a whole sealed segment: SHA-256("obscura/v2 chain" || sealed). */
  public static byte[] digest(byte[] sealed) {
    return digest(sealed, 0, sealed.length);
  }

  /** The chain digest of the sealed segment in {@code sealed[off .. off+len)}. */
  public static byte[] digest(byte[] sealed, int off, int len) {
    MessageDigest sha = newChainDigest();
    sha.update(sealed, off, len);
    return sha.digest();
  }

  /**
   * Reads a whole sealed segment from {@code in}, without keeping it, and returns its public head
   * with its chain digest. Reads at most {@code maxSealedBytes} (then refuses). Needs no key and
   * authenticates nothing: the digest is of the bytes as stored.
   *
   * @throws MalformedDataException if the header does not parse or the object is over the bound
   * @throws TruncatedSegmentException if the object ends before the commitment
   */
  public static SealedSegmentHead readWhole(InputStream in, long maxSealedBytes)
      throws IOException, MalformedDataException, TruncatedSegmentException {
    SegmentHeader header = readHeader(in);
    byte[] trailer = Bytes.readUpTo(in, PUBLIC_TRAILER_BYTES);
    if (trailer.length != PUBLIC_TRAILER_BYTES) {
      throw new TruncatedSegmentException(
          "segment " + header.segmentId() + " ends before its key commitment");
    }
    return new SealedSegmentHead(header,
        Arrays.copyOfRange(trailer, ChunkedEncryption.SALT_SIZE_BYTES, trailer.length),
        digestRest(header, trailer, in, maxSealedBytes));
  }

  /**
   * The chain digest of a sealed object whose header and salt || commitment were already read
   * from {@code in}: hashes them and the rest of {@code in}, bounded by {@code maxSealedBytes}.
   */
  static byte[] digestRest(SegmentHeader header, byte[] trailer, InputStream in,
      long maxSealedBytes) throws IOException, MalformedDataException {
    MessageDigest sha = newChainDigest();
    byte[] headerBytes = header.toBytes(); // re-encoding is exact: every field is fixed-size
    sha.update(headerBytes);
    sha.update(trailer);
    long total = (long) headerBytes.length + trailer.length;
    byte[] buf = new byte[64 * 1024];
    for (int n; (n = in.read(buf)) != -1; ) {
      total += n;
      if (total > maxSealedBytes) {
        throw new MalformedDataException("sealed segment " + header.segmentId()
            + " exceeds the maximum of " + maxSealedBytes + " bytes");
      }
      sha.update(buf, 0, n);
    }
    return sha.digest();
  }

  /**
   * The public head of a whole sealed segment held in memory, with its chain digest.
   *
   * @throws MalformedDataException if the header does not parse
   * @throws TruncatedSegmentException if the object ends before the commitment
   */
  public static SealedSegmentHead headOfWhole(byte[] sealed)
      throws MalformedDataException, TruncatedSegmentException {
    SealedSegmentHead head;
    try {
      head = readHead(new java.io.ByteArrayInputStream(sealed));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new SealedSegmentHead(head.header(), head.commitment(), digest(sealed));
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
   * authenticates nothing. The head it returns has no chain digest ({@link
   * SealedSegmentHead#hasDigest()} is false): that needs every byte, see {@link #readWhole}.
   *
   * @throws MalformedDataException if the header does not parse
   * @throws TruncatedSegmentException if the object ends before the commitment
   */
  public static SealedSegmentHead readHead(InputStream in)
      throws IOException, MalformedDataException, TruncatedSegmentException {
    SegmentHeader header = readHeader(in);
    byte[] trailer = Bytes.readUpTo(in, PUBLIC_TRAILER_BYTES);
    if (trailer.length != PUBLIC_TRAILER_BYTES) {
      throw new TruncatedSegmentException(
          "segment " + header.segmentId() + " ends before its key commitment");
    }
    return new SealedSegmentHead(header,
        Arrays.copyOfRange(trailer, ChunkedEncryption.SALT_SIZE_BYTES, trailer.length));
  }
}
