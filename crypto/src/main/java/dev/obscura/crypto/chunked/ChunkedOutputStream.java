package dev.obscura.crypto.chunked;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.SecretBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stream decorator that encrypts everything written to it with C2SP chunked encryption and
 * writes the ciphertext to an underlying stream, a chunk as soon as 16 KiB are buffered.
 *
 * <p><b>Security guarantees:</b> as {@link ChunkedEncryption}. The message ends only at
 * {@link #finish()} or {@link #close()}, which write the short final chunk; a writer that dies
 * before that leaves a ciphertext that every reader reports as truncated.
 *
 * <p><b>Restrictions:</b> not thread-safe. Buffers one chunk (16 KiB) of plaintext, wiped when
 * finished. {@link #flush()} flushes the underlying stream but cannot emit a partial chunk.
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * try (OutputStream out = ChunkedOutputStream.open(file, ChunkedSuite.COBBLESTONE_256, key, ctx,
 *     EntropySource.system())) {
 *   out.write(data);
 * }
 * }</pre>
 */
public final class ChunkedOutputStream extends OutputStream {
  private final OutputStream out;
  private final ChunkEncryptor enc;
  private final byte[] buf = new byte[ChunkedEncryption.CHUNK_SIZE_BYTES];
  private final byte[] ct = new byte[ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES];
  private int bufLen;
  private boolean finished;
  private boolean closed;

  private ChunkedOutputStream(OutputStream out, ChunkEncryptor enc) {
    this.out = out;
    this.enc = enc;
  }

  /** Starts a message and writes its 56-byte header to {@code out} at once. */
  public static ChunkedOutputStream open(OutputStream out, ChunkedSuite suite, SecretBytes inputKey,
      byte[] context, EntropySource entropy) throws IOException {
    Objects.requireNonNull(out, "out");
    ChunkEncryptor enc = new ChunkEncryptor(suite);
    byte[] head = new byte[ChunkedEncryption.HEADER_SIZE_BYTES];
    enc.start(inputKey, context, entropy, head, 0);
    out.write(head);
    return new ChunkedOutputStream(out, enc);
  }

  /** The key commitment of this message (public). */
  public byte[] commitment() {
    return enc.commitment();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (finished) {
      throw new IOException("stream is finished");
    }
    while (len > 0) {
      if (bufLen == 0 && len >= ChunkedEncryption.CHUNK_SIZE_BYTES) {
        // a full chunk straight from the caller's array, no copy
        out.write(ct, 0, enc.sealChunk(b, off, ChunkedEncryption.CHUNK_SIZE_BYTES, ct, 0));
        off += ChunkedEncryption.CHUNK_SIZE_BYTES;
        len -= ChunkedEncryption.CHUNK_SIZE_BYTES;
        continue;
      }
      int n = Math.min(len, buf.length - bufLen);
      System.arraycopy(b, off, buf, bufLen, n);
      bufLen += n;
      off += n;
      len -= n;
      if (bufLen == buf.length) {
        out.write(ct, 0, enc.sealChunk(buf, 0, bufLen, ct, 0));
        bufLen = 0;
      }
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Writes the final chunk and flushes, without closing the underlying stream. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      out.write(ct, 0, enc.sealFinalChunk(buf, 0, bufLen, ct, 0));
      out.flush();
    } finally {
      Arrays.fill(buf, (byte) 0);
      enc.destroy();
    }
  }

  /** {@link #finish()}, then closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      finish();
    } finally {
      out.close();
    }
  }
}
