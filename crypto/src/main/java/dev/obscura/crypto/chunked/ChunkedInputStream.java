package dev.obscura.crypto.chunked;

import dev.obscura.core.Bytes;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.keys.SecretBytes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stream decorator that decrypts a C2SP chunked ciphertext read from an underlying stream.
 *
 * <p><b>Security guarantees:</b> the commitment is checked in {@link #open} before any chunk is
 * read. Plaintext of a chunk is released only after that chunk authenticated at its index. The end
 * of the message ({@code -1}) is reported only after the short final chunk authenticated and the
 * underlying stream ended, so a truncated or extended ciphertext never reads as a clean end. After
 * a failure every further read fails again. A message whose later chunk fails may already have
 * released the plaintext of earlier, authentic chunks: callers that need all-or-nothing use
 * {@link ChunkedEncryption#decrypt}.
 *
 * <p><b>Restrictions:</b> not thread-safe. {@link #read} throws {@link IntegrityIOException}
 * (wrapping the typed failure); {@link #readChecked} throws the typed failure directly.
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * try (ChunkedInputStream in = ChunkedInputStream.open(file, ChunkedSuite.COBBLESTONE_256, key,
 *     ctx)) {
 *   in.transferTo(player);
 * }
 * }</pre>
 */
public final class ChunkedInputStream extends IntegrityInputStream {
  private final InputStream in;
  private final ChunkDecryptor dec;
  private final byte[] commitment;
  private final byte[] ct = new byte[ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES];
  private final byte[] pt = new byte[ChunkedEncryption.CHUNK_SIZE_BYTES];
  private int ptPos;
  private int ptLen;
  private long index;
  private boolean done;
  private boolean closed;
  private IntegrityException failure;
  private boolean ioFailed;

  private ChunkedInputStream(InputStream in, ChunkDecryptor dec, byte[] commitment) {
    this.in = in;
    this.dec = dec;
    this.commitment = commitment;
  }

  /**
   * Reads the 56-byte header and checks the key commitment.
   *
   * @throws TruncatedSegmentException if the stream ends inside the header
   * @throws dev.obscura.core.KeyMismatchException wrong key or context
   */
  public static ChunkedInputStream open(InputStream in, ChunkedSuite suite, SecretBytes inputKey,
      byte[] context) throws IOException, IntegrityException {
    Objects.requireNonNull(in, "in");
    ChunkDecryptor dec = new ChunkDecryptor(suite);
    dec.checkKeySize(inputKey);
    byte[] head = Bytes.readUpTo(in, ChunkedEncryption.HEADER_SIZE_BYTES);
    if (head.length != ChunkedEncryption.HEADER_SIZE_BYTES) {
      throw new TruncatedSegmentException("ciphertext shorter than its 56-byte header");
    }
    dec.start(inputKey, context, head, 0);
    return new ChunkedInputStream(in, dec,
        Arrays.copyOfRange(head, ChunkedEncryption.SALT_SIZE_BYTES, head.length));
  }

  /** The 32-byte key commitment (public, checked), a copy. */
  public byte[] commitment() {
    return commitment.clone();
  }

  @Override
  public int readChecked(byte[] b, int off, int len) throws IOException, IntegrityException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    if (failure != null) {
      throw failure;
    }
    if (ioFailed) {
      throw new IOException("an earlier read of the underlying stream failed");
    }
    if (len == 0) {
      return 0;
    }
    while (ptPos == ptLen) {
      if (done) {
        return -1;
      }
      try {
        fill();
      } catch (IntegrityException e) {
        failure = e;
        Arrays.fill(pt, (byte) 0);
        ptPos = ptLen = 0;
        dec.destroy();
        throw e;
      } catch (IOException e) {
        // the underlying stream may have consumed part of a chunk: we cannot resynchronise
        ioFailed = true;
        dec.destroy();
        throw e;
      }
    }
    int n = Math.min(len, ptLen - ptPos);
    System.arraycopy(pt, ptPos, b, off, n);
    ptPos += n;
    return n;
  }

  private void fill() throws IOException, IntegrityException {
    int n = Bytes.readFully(in, ct, 0, ct.length);
    if (n == ct.length) {
      ptLen = dec.openChunk(index, ct, 0, n, pt, 0);
      ptPos = 0;
      index++;
      return;
    }
    // the stream ended: what we have must be the short final chunk
    if (n == 0) {
      throw new TruncatedSegmentException(index == 0
          ? "ciphertext has no chunks"
          : "ciphertext ends after full chunk " + (index - 1) + " without a final chunk");
    }
    if (n < ChunkedEncryption.TAG_SIZE_BYTES) {
      throw new TruncatedSegmentException("final chunk " + index + " is shorter than its tag");
    }
    ptLen = dec.openChunk(index, ct, 0, n, pt, 0);
    ptPos = 0;
    done = true;
    dec.destroy();
  }

  @Override
  public int available() {
    return failure == null ? ptLen - ptPos : 0;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    Arrays.fill(pt, (byte) 0);
    dec.destroy();
    in.close();
  }
}
