package dev.obscura.crypto.segment;

import dev.obscura.core.IntegrityException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.crypto.chunked.IntegrityIOException;
import dev.obscura.crypto.chunked.IntegrityInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The plaintext of one sealed segment, decrypted as it is read (see {@link
 * SegmentOpener#openStream}): an {@link InputStream} decorator over a {@link SegmentReader}. Every
 * byte returned comes from a chunk that authenticated; the end of stream is returned only after
 * the final chunk authenticated. Integrity failures surface as {@link IntegrityIOException} from
 * {@link #read}, or typed from {@link #readChecked}; after one, reads keep failing.
 */
public final class SegmentInputStream extends IntegrityInputStream {
  private final SegmentReader reader;
  private final InputStream source;
  private boolean closed;

  /** {@code reader} was started on {@code source}, which {@link #close()} closes. */
  SegmentInputStream(SegmentReader reader, InputStream source) {
    this.reader = reader;
    this.source = source;
  }

  /** The segment's header, authenticated by the key commitment (checked when opened). */
  public SegmentHeader header() {
    return reader.header();
  }

  /**
   * The segment's chain digest, over every sealed byte: known only once the stream has been read
   * to its end (the final chunk authenticated).
   *
   * @throws IllegalStateException before the end of the stream
   */
  public byte[] digest() {
    return reader.digest();
  }

  @Override
  public int readChecked(byte[] b, int off, int len) throws IOException, IntegrityException {
    if (closed) {
      throw new IOException("stream closed");
    }
    return reader.read(b, off, len);
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      reader.close();
      source.close();
    }
  }
}
