package dev.obscura.core;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * The public header in front of every sealed segment: what a store needs to route the object,
 * and nothing else. It is not secret, but it is authenticated: the whole encoded header is the
 * context of the segment's encryption, so changing any field makes the segment fail to open.
 *
 * <pre>
 * offset size field
 *  0      4   magic "OBSG"
 *  4      1   format version (2)
 *  5      1   suite: 1 = C2SP chunked AES-256-GCM (Cobblestone-256), 2 = AES-128-GCM (Cobblestone-128)
 *  6      1   stream id length n (1..64)
 *  7      n   stream id (ASCII)
 *  7+n    8   sequence number, 0..2^62 ({@link SegmentId#MAX_SEQUENCE}), big-endian
 *  15+n   8   epoch number, 0..2^62 ({@link EpochId#MAX_VALUE}), big-endian
 *  23+n   8   start time, microseconds since 1970-01-01T00:00:00Z (signed, big-endian)
 *  31+n   8   duration, microseconds, 0..2^40 ({@link #MAX_DURATION_MICROS}), big-endian
 *  39+n   32  chain digest of the previous segment of the stream (zeros for sequence 0)
 * </pre>
 *
 * <p>A segment covers {@code [start, start + duration)}: its own time span, not the gap after
 * it. Version 1 (no duration, a chain digest that did not cover the ciphertext) is refused.
 *
 * The full format is in {@code docs/spec/sealed-segment-v1.md}.
 */
public final class SegmentHeader {
  /** The four magic bytes, "OBSG". */
  public static final byte[] MAGIC = {'O', 'B', 'S', 'G'};
  /**
   * The only format version this code writes and reads. Version 1 is refused: its chain digest
   * did not cover the ciphertext, and it carried no duration.
   */
  public static final int VERSION = 2;
  /**
   * The longest duration a header may carry, 2^40 microseconds (about 12.7 days; a segment is a
   * few seconds). Bounding it keeps {@code start + duration} far from overflow.
   */
  public static final long MAX_DURATION_MICROS = 1L << 40;
  /** Length of the previous-segment digest. */
  public static final int DIGEST_LENGTH = 32;
  /** The longest header, with a 64-byte stream id. */
  public static final int MAX_LENGTH = 7 + StreamId.MAX_LENGTH + 32 + DIGEST_LENGTH;

  private final int suite;
  private final StreamId stream;
  private final long sequence;
  private final EpochId epoch;
  private final Instant startTime;
  private final long durationMicros;
  private final byte[] previousDigest;
  private final byte[] encoded;

  /**
   * @param suite the sealing suite id (1..255)
   * @param durationMicros the segment's media duration, 0..{@link #MAX_DURATION_MICROS}
   * @param previousDigest 32 bytes; all zeros for sequence 0
   * @throws IllegalArgumentException for a field out of its range
   */
  public SegmentHeader(int suite, SegmentId id, EpochId epoch, Instant startTime,
      long durationMicros, byte[] previousDigest) {
    if (suite < 1 || suite > 255) {
      throw new IllegalArgumentException("suite must be 1..255");
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(previousDigest, "previousDigest");
    if (previousDigest.length != DIGEST_LENGTH) {
      throw new IllegalArgumentException("previous digest must be 32 bytes");
    }
    if (durationMicros < 0 || durationMicros > MAX_DURATION_MICROS) {
      throw new IllegalArgumentException("duration must be 0..2^40 microseconds");
    }
    // the end time must be representable (throws ArithmeticException otherwise)
    Math.addExact(toMicros(startTime.truncatedTo(ChronoUnit.MICROS)), durationMicros);
    this.suite = suite;
    this.stream = id.stream();
    this.sequence = id.sequence();
    this.epoch = epoch;
    this.startTime = startTime.truncatedTo(ChronoUnit.MICROS);
    this.durationMicros = durationMicros;
    this.previousDigest = previousDigest.clone();
    this.encoded = encode();
  }

  private byte[] encode() {
    byte[] sid = stream.toBytes();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(MAX_LENGTH);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeByte(VERSION);
      out.writeByte(suite);
      out.writeByte(sid.length);
      out.write(sid);
      out.writeLong(sequence);
      out.writeLong(epoch.value());
      out.writeLong(toMicros(startTime));
      out.writeLong(durationMicros);
      out.write(previousDigest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static long toMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  static Instant fromMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /**
   * Reads a header from the start of a sealed segment, consuming exactly its bytes. Reads at
   * most {@link #MAX_LENGTH} bytes whatever the input says.
   *
   * @throws MalformedDataException if the bytes are not a version-2 segment header (including a
   *     version-1 one), or a sequence, epoch or duration is above its ceiling
   */
  public static SegmentHeader read(InputStream in) throws IOException, MalformedDataException {
    byte[] fixed = readExactly(in, 7, "segment header");
    if (!Arrays.equals(Arrays.copyOf(fixed, 4), MAGIC)) {
      throw new MalformedDataException("not a sealed segment (bad magic)");
    }
    if (fixed[4] == 1) {
      throw new MalformedDataException("segment format version 1 is no longer read (its chain"
          + " digest does not cover the ciphertext); this reader needs version " + VERSION);
    }
    if (fixed[4] != VERSION) {
      throw new MalformedDataException("unsupported segment format version " + (fixed[4] & 0xff));
    }
    int suite = fixed[5] & 0xff;
    if (suite == 0) {
      throw new MalformedDataException("segment header names suite 0");
    }
    int n = fixed[6] & 0xff;
    if (n < 1 || n > StreamId.MAX_LENGTH) {
      throw new MalformedDataException("segment header has a stream id length of " + n);
    }
    ByteBuffer rest = ByteBuffer.wrap(readExactly(in, n + 32 + DIGEST_LENGTH, "segment header"));
    byte[] sid = new byte[n];
    rest.get(sid);
    StreamId stream;
    try {
      stream = new StreamId(new String(sid, java.nio.charset.StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("segment header has an invalid stream id");
    }
    long seq = rest.getLong();
    long epoch = rest.getLong();
    long micros = rest.getLong();
    long duration = rest.getLong();
    if (!SegmentId.isValidSequence(seq)) {
      throw new MalformedDataException("segment header has a sequence number outside 0..2^62");
    }
    if (!EpochId.isValid(epoch)) {
      throw new MalformedDataException("segment header has an epoch number outside 0..2^62");
    }
    if (duration < 0 || duration > MAX_DURATION_MICROS) {
      throw new MalformedDataException("segment header has a duration outside 0..2^40 us");
    }
    byte[] prev = new byte[DIGEST_LENGTH];
    rest.get(prev);
    Instant start;
    try {
      start = fromMicros(micros);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new MalformedDataException("segment header has an out-of-range start time");
    }
    try {
      return new SegmentHeader(suite, new SegmentId(stream, seq), EpochId.of(epoch), start,
          duration, prev);
    } catch (ArithmeticException | IllegalArgumentException e) {
      // start times near the ends of the 64-bit microsecond range do not re-encode
      throw new MalformedDataException("segment header has an out-of-range start time");
    }
  }

  /** Parses a header from the start of {@code bytes}. */
  public static SegmentHeader parse(byte[] bytes) throws MalformedDataException {
    try {
      return read(new java.io.ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new MalformedDataException("segment header cut short");
    }
  }

  static byte[] readExactly(InputStream in, int n, String what)
      throws IOException, MalformedDataException {
    byte[] b = Bytes.readUpTo(in, n);
    if (b.length != n) {
      throw new MalformedDataException(what + " cut short");
    }
    return b;
  }

  public int suite() {
    return suite;
  }

  public StreamId stream() {
    return stream;
  }

  public long sequence() {
    return sequence;
  }

  public SegmentId segmentId() {
    return new SegmentId(stream, sequence);
  }

  public EpochId epoch() {
    return epoch;
  }

  public Instant startTime() {
    return startTime;
  }

  /** The segment's media duration in microseconds (0..{@link #MAX_DURATION_MICROS}). */
  public long durationMicros() {
    return durationMicros;
  }

  /** The end of the segment's own time span, {@code startTime + duration} (exclusive). */
  public Instant endTime() {
    return startTime.plus(durationMicros, ChronoUnit.MICROS);
  }

  /** The digest of the previous segment (a copy). */
  public byte[] previousDigest() {
    return previousDigest.clone();
  }

  /** The encoded header (a copy): the exact bytes at the start of the sealed object. */
  public byte[] toBytes() {
    return encoded.clone();
  }

  /** Length of the encoded header in bytes. */
  public int length() {
    return encoded.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmentHeader h && Arrays.equals(h.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "SegmentHeader[" + stream + "#" + sequence + ", " + epoch + ", suite " + suite
        + ", start " + startTime + ", " + durationMicros + "us]";
  }
}
