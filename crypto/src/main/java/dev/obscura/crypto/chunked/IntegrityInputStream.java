package dev.obscura.crypto.chunked;

import dev.obscura.core.IntegrityException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream of plaintext that is released only once authenticated, with two ways to learn of an
 * integrity failure: {@link #readChecked} throws the typed {@link IntegrityException}; the
 * {@link InputStream} methods ({@link #read()}, {@link #read(byte[], int, int)}, and those built
 * on them) throw it wrapped in an {@link IntegrityIOException}. {@link ChunkedInputStream} and
 * {@code dev.obscura.crypto.segment.SegmentInputStream} are the two.
 */
public abstract class IntegrityInputStream extends InputStream {
  /** For the decrypting streams. */
  protected IntegrityInputStream() {}

  /**
   * Like {@link #read(byte[], int, int)}, with the typed integrity failure.
   *
   * @param b where the plaintext goes
   * @param off the first index of {@code b} written
   * @param len the most bytes read
   * @return the number of bytes read, or -1 at the authenticated end of the stream
   * @throws IntegrityException if the ciphertext does not authenticate (tampered, truncated, or
   *     the wrong key); every later read fails too
   * @throws IOException if the stream is closed or the underlying stream fails
   */
  public abstract int readChecked(byte[] b, int off, int len)
      throws IOException, IntegrityException;

  /**
   * {@link #readChecked}, with an integrity failure wrapped in an {@link IntegrityIOException}.
   *
   * @throws IntegrityIOException if the ciphertext does not authenticate
   */
  @Override
  public final int read(byte[] b, int off, int len) throws IOException {
    try {
      return readChecked(b, off, len);
    } catch (IntegrityException e) {
      throw new IntegrityIOException(e);
    }
  }

  /**
   * One byte through {@link #read(byte[], int, int)}.
   *
   * @throws IntegrityIOException if the ciphertext does not authenticate
   */
  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xff;
  }
}
