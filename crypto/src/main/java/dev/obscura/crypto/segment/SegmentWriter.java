package dev.obscura.crypto.segment;

import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentHeader;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import java.io.Closeable;
import java.io.IOException;
import java.util.Objects;

/**
 * One open segment of a {@link SegmentSealer}: frames are written into it as they arrive,
 * coalesced into 16 KiB chunks, and each chunk is sealed and written to the store as soon as it
 * is full; nothing is buffered beyond one chunk. {@link #finish()} seals the short final chunk
 * and commits the object; {@link #close()} without {@code finish()} aborts it.
 *
 * <p><b>Security guarantees:</b> as {@link SegmentSealer}: the header (with the duration given to
 * {@link SegmentSealer#open}) is the authenticated context; the object is visible only after
 * {@link #finish()}; an aborted or failed segment leaves nothing visible and does not use up its
 * sequence number. The chain digest is computed over every sealed byte as it is written.
 *
 * <p><b>Restrictions:</b> not thread-safe: one thread writes a segment (the sealer's other
 * methods may be called from other threads). After an {@link IOException} from {@link #write} or
 * {@link #finish()} the segment is aborted and every later call fails. The segment's plaintext is
 * at most the sealer's {@code maxSegmentBytes}. <b>Buffer ownership:</b> {@link #write} reads the
 * caller's array only during the call and never retains it; the caller may reuse it at once. The
 * 16 KiB chunk buffers belong to the sealer and are reused for every segment; the plaintext part
 * is wiped when the segment ends.
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * try (SegmentWriter segment = sealer.open(start, durationMicros)) {
 *   for (EncodedFrame f : frames) {
 *     segment.write(f.data(), 0, f.data().length);
 *   }
 *   SealedSegmentInfo info = segment.finish();
 * }
 * }</pre>
 */
public final class SegmentWriter implements Closeable {
  private final SegmentSealer sealer;
  private final SegmentHeader header;
  private final String objectName;
  private final ObjectWriter out;
  private final int headerLength;
  private final byte[] buf;
  private final long max;
  private int bufLen;
  private int plainUsed;
  private long written;
  private boolean ended;

  SegmentWriter(SegmentSealer sealer, SegmentHeader header, String objectName, ObjectWriter out,
      int headerLength) {
    this.sealer = sealer;
    this.header = header;
    this.objectName = objectName;
    this.out = out;
    this.headerLength = headerLength;
    this.buf = sealer.plainBuffer();
    this.max = sealer.maxSegmentBytes();
  }

  /** The segment's public header, fixed when it was opened. */
  public SegmentHeader header() {
    return header;
  }

  /** The store object this segment is written to. */
  public String objectName() {
    return objectName;
  }

  int headerLength() {
    return headerLength;
  }

  /** Plaintext bytes written so far. */
  public long bytesWritten() {
    return written;
  }

  /**
   * Appends {@code len} plaintext bytes. Every full 16 KiB chunk is sealed and handed to the
   * store during this call; a partial one waits in the sealer's buffer.
   *
   * @param b the caller's array, read during the call only
   * @param off where the bytes start in {@code b}
   * @param len how many bytes to append
   * @throws IllegalArgumentException if the segment would exceed the sealer's {@code
   *     maxSegmentBytes} (the segment is aborted)
   * @throws IllegalStateException if the segment was finished or aborted
   * @throws IOException if the store fails (the segment is aborted)
   */
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (ended) {
      throw new IllegalStateException("segment " + header.segmentId() + " was finished or aborted");
    }
    if (len > max - written) {
      abort();
      throw new IllegalArgumentException("segment exceeds the maximum of " + max + " bytes");
    }
    boolean ok = false;
    try {
      written += len;
      while (len > 0) {
        if (bufLen == 0 && len >= ChunkedEncryption.CHUNK_SIZE_BYTES) {
          sealer.sealFull(out, b, off); // straight from the caller's array, no copy
          off += ChunkedEncryption.CHUNK_SIZE_BYTES;
          len -= ChunkedEncryption.CHUNK_SIZE_BYTES;
          continue;
        }
        int n = Math.min(len, ChunkedEncryption.CHUNK_SIZE_BYTES - bufLen);
        System.arraycopy(b, off, buf, bufLen, n);
        bufLen += n;
        off += n;
        len -= n;
        if (bufLen == ChunkedEncryption.CHUNK_SIZE_BYTES) {
          sealer.sealFull(out, buf, 0);
          plainUsed = ChunkedEncryption.CHUNK_SIZE_BYTES;
          bufLen = 0;
        }
      }
      ok = true;
    } finally {
      if (!ok) {
        abort();
      }
    }
  }

  /**
   * Seals the final chunk, commits the object and advances the stream's chain. A segment whose
   * length is a multiple of 16 KiB ends with an empty final chunk, as C2SP requires.
   *
   * @return what was stored
   * @throws IllegalStateException if the segment was finished or aborted
   * @throws IOException if the store fails: nothing is visible, the sequence number is not used
   */
  public SealedSegmentInfo finish() throws IOException {
    if (ended) {
      throw new IllegalStateException("segment " + header.segmentId() + " was finished or aborted");
    }
    ended = true;
    try {
      return sealer.commit(this, out, bufLen, written);
    } finally {
      plainUsed = Math.max(plainUsed, bufLen);
      sealer.release(this, plainUsed);
      out.close();
    }
  }

  /** Aborts the segment unless it was finished: nothing of it becomes visible. */
  @Override
  public void close() {
    abort();
  }

  void abort() {
    if (ended) {
      return;
    }
    ended = true;
    plainUsed = Math.max(plainUsed, bufLen);
    sealer.release(this, plainUsed);
    try {
      out.close();
    } catch (IOException e) {
      // an uncommitted writer that fails to close still never becomes visible
    }
  }

  @Override
  public String toString() {
    return "SegmentWriter[" + header.segmentId() + ", " + written + " bytes"
        + (ended ? ", ended" : "") + "]";
  }
}
