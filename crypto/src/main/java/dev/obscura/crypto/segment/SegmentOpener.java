package dev.obscura.crypto.segment;

import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import dev.obscura.crypto.chunked.ChunkedInputStream;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.keys.SecretBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.Provider;
import java.util.Arrays;
import java.util.Objects;

/**
 * Opens sealed segments ({@link SegmentFormat}): one at a time, with no view of the chain. To
 * read a stream in order with gap and splice detection, use {@link StreamReader}.
 *
 * <p><b>Security guarantees:</b> {@link #open(byte[], EpochKeyResolver)} returns plaintext only
 * after every chunk authenticated under the segment key and the segment's own header as context,
 * so a returned segment is exactly what the camera sealed for that stream, sequence, epoch, start
 * time and predecessor. A wrong key (or a header moved to another place) fails the key commitment
 * ({@link KeyMismatchException}) before any chunk is decrypted; a modified chunk fails with
 * {@link dev.obscura.core.TamperedSegmentException}; a cut-short object with {@link
 * TruncatedSegmentException}. Objects larger than the configured maximum are refused before
 * anything is allocated for them.
 *
 * <p><b>Restrictions:</b> a single segment proves nothing about its neighbours. Keys returned by
 * the resolver are destroyed after use. Instances are immutable and thread-safe.
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * OpenedSegment s = new SegmentOpener().open(store.readAll(name, max), resolver);
 * play(s.plaintext());
 * }</pre>
 */
public final class SegmentOpener {
  /** Default largest sealed object accepted: 256 MiB. */
  public static final long DEFAULT_MAX_SEGMENT_BYTES = 256L << 20;

  private final long maxSegmentBytes;
  private final Provider provider;

  /** An opener with the default bound of 256 MiB. */
  public SegmentOpener() {
    this(DEFAULT_MAX_SEGMENT_BYTES);
  }

  /** An opener that refuses sealed objects larger than {@code maxSegmentBytes}. */
  public SegmentOpener(long maxSegmentBytes) {
    this(maxSegmentBytes, null);
  }

  /**
   * An opener that refuses sealed objects larger than {@code maxSegmentBytes} and decrypts with
   * the AES-GCM cipher and HMACs of {@code provider}.
   *
   * @param maxSegmentBytes the largest sealed object accepted, 1..2^31-65
   * @param provider the JCA provider, or {@code null} for the platform's preferred one
   * @throws IllegalArgumentException if the bound is out of range
   */
  public SegmentOpener(long maxSegmentBytes, Provider provider) {
    if (maxSegmentBytes < 1 || maxSegmentBytes > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("maxSegmentBytes must be 1..2^31-65");
    }
    this.maxSegmentBytes = maxSegmentBytes;
    this.provider = provider;
  }

  public long maxSegmentBytes() {
    return maxSegmentBytes;
  }

  /**
   * Opens a whole sealed segment.
   *
   * @throws MalformedDataException bad header, unknown suite, or an object over the size bound
   * @throws KeyMismatchException wrong epoch key, or a header that is not the one sealed
   * @throws dev.obscura.core.TamperedSegmentException a chunk failed authentication
   * @throws TruncatedSegmentException the object was cut short
   * @throws dev.obscura.core.KeyUnavailableException from the resolver
   */
  public OpenedSegment open(byte[] sealed, EpochKeyResolver resolver)
      throws IOException, ObscuraException {
    Objects.requireNonNull(resolver, "resolver");
    SegmentHeader header = parseHeader(sealed);
    EpochKey key = resolver.resolve(header.stream(), header.epoch());
    try {
      return open(sealed, key);
    } finally {
      key.destroy();
    }
  }

  /**
   * Opens a whole sealed segment read from {@code in} (read up to the bound, then refused).
   * Same guarantees and errors as {@link #open(byte[], EpochKeyResolver)}.
   */
  public OpenedSegment open(InputStream in, EpochKeyResolver resolver)
      throws IOException, ObscuraException {
    return open(readBounded(in), resolver);
  }

  /**
   * Opens a whole sealed segment with a known epoch key (not destroyed here).
   *
   * @throws KeyMismatchException if the key is not the segment's stream and epoch, or is wrong
   */
  public OpenedSegment open(byte[] sealed, EpochKey epochKey)
      throws MalformedDataException, IntegrityException {
    Objects.requireNonNull(epochKey, "epochKey");
    try (SegmentReader reader = new SegmentReader(maxSegmentBytes, provider)) {
      return reader.openWhole(sealed, epochKey);
    }
  }

  /**
   * Opens a whole sealed segment with its segment key alone (as handed out by a share grant, see
   * {@link SegmentKeys}): the key opens exactly this segment and no other.
   *
   * @throws KeyMismatchException if the key is not this segment's
   * @throws IllegalArgumentException if the key has the wrong size for the segment's suite
   */
  public OpenedSegment openWithSegmentKey(byte[] sealed, SecretBytes segmentKey)
      throws MalformedDataException, IntegrityException {
    Objects.requireNonNull(segmentKey, "segmentKey");
    try (SegmentReader reader = new SegmentReader(maxSegmentBytes, provider)) {
      return reader.openWholeWithSegmentKey(sealed, segmentKey);
    }
  }

  /**
   * Opens a sealed segment for streaming: plaintext is released chunk by chunk, each only after it
   * authenticated; a truncated or modified segment fails when the reader reaches the bad chunk,
   * possibly after earlier authentic chunks were released. Use the whole-segment {@code open}
   * where all-or-nothing matters. A decorator over {@link SegmentReader}, which a viewer that
   * reads segment after segment keeps and reuses.
   */
  public SegmentInputStream openStream(InputStream in, EpochKeyResolver resolver)
      throws IOException, ObscuraException {
    Objects.requireNonNull(in, "in");
    SegmentReader reader = new SegmentReader(maxSegmentBytes, provider);
    reader.start(in, resolver);
    return new SegmentInputStream(reader, in);
  }

  /**
   * A reusable {@link SegmentReader} with this opener's size bound: one per viewer thread.
   *
   * @return a new reader
   */
  public SegmentReader newReader() {
    return new SegmentReader(maxSegmentBytes, provider);
  }

  private SegmentHeader parseHeader(byte[] sealed) throws MalformedDataException {
    Objects.requireNonNull(sealed, "sealed");
    if (sealed.length > maxSegmentBytes) {
      throw new MalformedDataException("sealed segment of " + sealed.length
          + " bytes exceeds the maximum of " + maxSegmentBytes);
    }
    return SegmentFormat.parseHeader(sealed);
  }

  byte[] readBounded(InputStream in) throws IOException, MalformedDataException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) != -1) {
      total += n;
      if (total > maxSegmentBytes) {
        throw new MalformedDataException(
            "sealed segment exceeds the maximum of " + maxSegmentBytes + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /** Fails once more than {@code limit} bytes would be read. */
  static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long limit) {
      this.in = in;
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      int n = read(b, 0, 1);
      return n == -1 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (remaining <= 0) {
        // one probe byte: the end is fine, more is over the bound
        if (in.read() == -1) {
          return -1;
        }
        throw new IOException("sealed segment exceeds the size bound");
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
