package dev.obscura.crypto.segment;

import dev.obscura.core.IntegrityException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.crypto.chunked.ChunkedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The plaintext of one sealed segment, decrypted as it is read (see {@link
 * SegmentOpener#openStream}). Every byte returned comes from a chunk that authenticated; the end
 * of stream is returned only after the final chunk authenticated. Integrity failures surface as
 * {@link dev.obscura.crypto.chunked.IntegrityIOException} from {@link #read}, or typed from
 * {@link #readChecked}; after one, reads keep failing.
 */
public final class SegmentInputStream extends InputStream {
  private final SegmentHeader header;
  private final ChunkedInputStream chunks;

  SegmentInputStream(SegmentHeader header, ChunkedInputStream chunks) {
    this.header = header;
    this.chunks = chunks;
  }

  /** The segment's header, authenticated by the key commitment (checked when opened). */
  public SegmentHeader header() {
    return header;
  }

  /** The segment's chain digest. */
  public byte[] digest() {
    return SegmentFormat.digest(header, chunks.commitment());
  }

  public int readChecked(byte[] b, int off, int len) throws IOException, IntegrityException {
    return chunks.readChecked(b, off, len);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return chunks.read(b, off, len);
  }

  @Override
  public int read() throws IOException {
    return chunks.read();
  }

  @Override
  public void close() throws IOException {
    chunks.close();
  }
}
