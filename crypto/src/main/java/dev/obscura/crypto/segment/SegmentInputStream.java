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
  private final java.security.MessageDigest chain;
  private byte[] digest;

  /** {@code chain} absorbs every sealed byte as {@code chunks} reads it. */
  SegmentInputStream(SegmentHeader header, ChunkedInputStream chunks,
      java.security.MessageDigest chain) {
    this.header = header;
    this.chunks = chunks;
    this.chain = chain;
  }

  /** The segment's header, authenticated by the key commitment (checked when opened). */
  public SegmentHeader header() {
    return header;
  }

  /**
   * The segment's chain digest, over every sealed byte: known only once the stream has been read
   * to its end (the final chunk authenticated).
   *
   * @throws IllegalStateException before the end of the stream
   */
  public byte[] digest() {
    if (digest == null) {
      throw new IllegalStateException("the chain digest is known only after the whole segment"
          + " was read");
    }
    return digest.clone();
  }

  private int seen(int n) {
    if (n == -1 && digest == null) {
      digest = chain.digest();
    }
    return n;
  }

  public int readChecked(byte[] b, int off, int len) throws IOException, IntegrityException {
    return seen(chunks.readChecked(b, off, len));
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return seen(chunks.read(b, off, len));
  }

  @Override
  public int read() throws IOException {
    return seen(chunks.read());
  }

  @Override
  public void close() throws IOException {
    chunks.close();
  }
}
