package dev.obscura.core;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * The public header in front of every key envelope: which stream and epoch the wrapped key
 * belongs to. It is authenticated as associated data of every wrapped key in the envelope.
 *
 * <pre>
 * offset size field
 *  0      4   magic "OBSE"
 *  4      1   format version (1)
 *  5      1   stream id length n (1..64)
 *  6      n   stream id (ASCII)
 *  6+n    8   epoch number (unsigned 63-bit, big-endian)
 *  14+n   8   creation time, microseconds since 1970-01-01T00:00:00Z (signed, big-endian)
 * </pre>
 */
public final class EnvelopeHeader {
  public static final byte[] MAGIC = {'O', 'B', 'S', 'E'};
  public static final int VERSION = 1;
  public static final int MAX_LENGTH = 6 + StreamId.MAX_LENGTH + 16;

  private final StreamId stream;
  private final EpochId epoch;
  private final Instant created;
  private final byte[] encoded;

  public EnvelopeHeader(StreamId stream, EpochId epoch, Instant created) {
    this.stream = Objects.requireNonNull(stream, "stream");
    this.epoch = Objects.requireNonNull(epoch, "epoch");
    this.created = Objects.requireNonNull(created, "created").truncatedTo(ChronoUnit.MICROS);
    byte[] sid = stream.toBytes();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(MAX_LENGTH);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeByte(VERSION);
      out.writeByte(sid.length);
      out.write(sid);
      out.writeLong(epoch.value());
      out.writeLong(SegmentHeader.toMicros(this.created));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.encoded = bytes.toByteArray();
  }

  /** Reads a header, consuming exactly its bytes and never more than {@link #MAX_LENGTH}. */
  public static EnvelopeHeader read(InputStream in) throws IOException, MalformedDataException {
    byte[] fixed = SegmentHeader.readExactly(in, 6, "envelope header");
    if (!Arrays.equals(Arrays.copyOf(fixed, 4), MAGIC)) {
      throw new MalformedDataException("not a key envelope (bad magic)");
    }
    if (fixed[4] != VERSION) {
      throw new MalformedDataException("unsupported envelope format version " + (fixed[4] & 0xff));
    }
    int n = fixed[5] & 0xff;
    if (n < 1 || n > StreamId.MAX_LENGTH) {
      throw new MalformedDataException("envelope header has a stream id length of " + n);
    }
    ByteBuffer rest = ByteBuffer.wrap(SegmentHeader.readExactly(in, n + 16, "envelope header"));
    byte[] sid = new byte[n];
    rest.get(sid);
    long epoch = rest.getLong();
    long micros = rest.getLong();
    if (epoch < 0) {
      throw new MalformedDataException("envelope header has a negative epoch");
    }
    try {
      return new EnvelopeHeader(
          new StreamId(new String(sid, StandardCharsets.US_ASCII)),
          EpochId.of(epoch),
          SegmentHeader.fromMicros(micros));
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      throw new MalformedDataException("envelope header has an invalid stream id or time");
    }
  }

  public StreamId stream() {
    return stream;
  }

  public EpochId epoch() {
    return epoch;
  }

  public Instant created() {
    return created;
  }

  public byte[] toBytes() {
    return encoded.clone();
  }

  public int length() {
    return encoded.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvelopeHeader h && Arrays.equals(h.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "EnvelopeHeader[" + stream + ", " + epoch + ", created " + created + "]";
  }
}
