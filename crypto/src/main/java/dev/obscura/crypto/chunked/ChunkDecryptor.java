package dev.obscura.crypto.chunked;

import dev.obscura.crypto.internal.Hkdf;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.TamperedSegmentException;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The buffer-based decryption core of C2SP chunked encryption (see {@link ChunkedEncryption}),
 * with random access: any chunk can be opened by its index. One instance keeps one JCA
 * {@code Cipher} and is reused across messages.
 *
 * <p><b>Security guarantees:</b> {@link #start} checks the key commitment (constant time) before
 * any chunk can be decrypted. {@link #openChunk} writes plaintext only for a chunk that
 * authenticated at that index with that finality (a full chunk is never final, a short one always
 * is); on failure the output region is zeroed.
 *
 * <p><b>Restrictions:</b> not thread-safe. Opening chunk {@code i} proves nothing about other
 * chunks: to know the message is whole, open its final chunk (at the index implied by the total
 * ciphertext length, see {@link ChunkedEncryption#plaintextSize}). <b>Buffer ownership:</b>
 * arrays are used only during the call and not retained; input and output may not overlap.
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * ChunkDecryptor dec = new ChunkDecryptor(ChunkedSuite.COBBLESTONE_256);
 * dec.start(key, context, ct, 0);                // KeyMismatchException if wrong key/context
 * int off = 56 + k * 16400;                       // chunk k
 * int n = dec.openChunk(k, ct, off, 16400, plain, 0);
 * }</pre>
 */
public final class ChunkDecryptor {
  private final ChunkedSuite suite;
  private final AesGcm gcm;
  private final Hkdf hkdf;
  private final byte[] baseNonce = new byte[12];
  private final byte[] nonce = new byte[12];
  private final byte[] ikm;
  private final byte[] okm;
  private byte[] info;
  private SecretKeySpec key;

  /**
   * With the platform's preferred JCA provider.
   *
   * @param suite the chunked-encryption suite
   */
  public ChunkDecryptor(ChunkedSuite suite) {
    this(suite, null);
  }

  /**
   * With the AES-GCM cipher and the HMAC (of the HKDF) of {@code provider}.
   *
   * @param suite the chunked-encryption suite
   * @param provider the JCA provider, or {@code null} for the platform's preferred one
   * @throws IllegalStateException if the provider lacks AES-GCM or HMAC-SHA-512
   */
  public ChunkDecryptor(ChunkedSuite suite, Provider provider) {
    this.suite = Objects.requireNonNull(suite, "suite");
    this.gcm = new AesGcm(provider);
    this.hkdf = new Hkdf("HmacSHA512", provider);
    this.ikm = new byte[suite.keySizeBytes()];
    this.okm = new byte[ChunkedEncryption.messageKeysSize(suite)];
    this.info = new byte[ChunkedEncryption.infoSize(suite, 0)];
  }

  public ChunkedSuite suite() {
    return suite;
  }

  void checkKeySize(SecretBytes inputKey) {
    Objects.requireNonNull(inputKey, "inputKey");
    if (inputKey.size() != suite.keySizeBytes()) {
      throw new IllegalArgumentException(
          "input key must be " + suite.keySizeBytes() + " bytes for " + suite);
    }
  }

  /**
   * Starts opening a message whose 56-byte header (salt || commitment) is at {@code in[off..]}.
   *
   * @throws KeyMismatchException if the commitment does not match the key and context
   * @throws IllegalArgumentException if the input key has the wrong size
   */
  public void start(SecretBytes inputKey, byte[] context, byte[] in, int off)
      throws KeyMismatchException {
    checkKeySize(inputKey);
    inputKey.copyTo(ikm, 0, InsecureSecretAccess.get());
    try {
      start(ikm, context, in, off);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /**
   * {@link #start(SecretBytes, byte[], byte[], int)} with the input key as bytes (not retained;
   * the caller wipes them): the allocation-free path of a reader that derives every message's
   * input key into one reused buffer. Allocates only the JCA key specs.
   *
   * @param inputKey the input key, {@link ChunkedSuite#keySizeBytes()} long
   * @param context the context (the whole array), or {@code null} for none
   * @param in the array holding the 56-byte header (salt || commitment)
   * @param off where the header starts in {@code in}
   * @throws KeyMismatchException if the commitment does not match the key and context
   * @throws IllegalArgumentException if the input key has the wrong size
   */
  public void start(byte[] inputKey, byte[] context, byte[] in, int off)
      throws KeyMismatchException {
    Objects.requireNonNull(inputKey, "inputKey");
    if (inputKey.length != suite.keySizeBytes()) {
      throw new IllegalArgumentException(
          "input key must be " + suite.keySizeBytes() + " bytes for " + suite);
    }
    Objects.checkFromIndexSize(off, ChunkedEncryption.HEADER_SIZE_BYTES, in.length);
    destroy();
    int ctxLen = context == null ? 0 : context.length;
    int need = ChunkedEncryption.infoSize(suite, ctxLen);
    if (info.length < need) {
      info = new byte[need];
    }
    ChunkedEncryption.deriveMessageKeys(hkdf, suite, inputKey, in, off,
        context == null ? in : context, 0, ctxLen, info, okm);
    int k = suite.keySizeBytes();
    // constant time, in place: expected = okm[k+12 ..], actual = in[off+24 ..]
    int diff = 0;
    for (int i = 0; i < ChunkedEncryption.COMMITMENT_SIZE_BYTES; i++) {
      diff |= okm[k + 12 + i] ^ in[off + ChunkedEncryption.SALT_SIZE_BYTES + i];
    }
    if (diff != 0) {
      Arrays.fill(okm, (byte) 0);
      throw new KeyMismatchException(
          "key commitment does not match: wrong key, or the ciphertext belongs to another context");
    }
    install(okm);
  }

  /** Raw mode (hazmat, tests only): the AEAD key and base nonce are given, no header. */
  void startRaw(byte[] aeadKey, byte[] base) {
    if (aeadKey.length != suite.keySizeBytes() || base.length != 12) {
      throw new IllegalArgumentException("raw key or nonce has the wrong size");
    }
    destroy();
    byte[] okm = new byte[aeadKey.length + 12];
    System.arraycopy(aeadKey, 0, okm, 0, aeadKey.length);
    System.arraycopy(base, 0, okm, aeadKey.length, 12);
    install(okm);
  }

  /** Takes key and base nonce from {@code okm} (then wiped). */
  private void install(byte[] okm) {
    int k = suite.keySizeBytes();
    System.arraycopy(okm, k, baseNonce, 0, 12);
    key = new SecretKeySpec(okm, 0, k, "AES"); // a copy: the JCA's copies cannot be wiped
    Arrays.fill(okm, (byte) 0);
  }

  /**
   * Opens chunk {@code index}, whose ciphertext is {@code in[inOff .. inOff+len)}. A chunk of
   * {@link ChunkedEncryption#ENCRYPTED_CHUNK_SIZE_BYTES} bytes is a full, non-final chunk; a
   * shorter one (16..16399 bytes) is the final chunk.
   *
   * @return plaintext bytes written to {@code out}: {@code len - 16}
   * @throws TruncatedSegmentException if {@code len} is shorter than a tag
   * @throws TamperedSegmentException if the chunk does not authenticate at this index
   */
  public int openChunk(long index, byte[] in, int inOff, int len, byte[] out, int outOff)
      throws TamperedSegmentException, TruncatedSegmentException {
    if (key == null) {
      throw new IllegalStateException("no message started");
    }
    if (index < 0 || index >= ChunkedEncryption.MAX_CHUNKS) {
      throw new IllegalArgumentException("chunk index out of range");
    }
    if (len < ChunkedEncryption.TAG_SIZE_BYTES) {
      throw new TruncatedSegmentException("chunk " + index + " is shorter than its tag");
    }
    if (len > ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES) {
      throw new IllegalArgumentException("a chunk is at most 16400 bytes");
    }
    Objects.checkFromIndexSize(inOff, len, in.length);
    Objects.checkFromIndexSize(outOff, len - ChunkedEncryption.TAG_SIZE_BYTES, out.length);
    ChunkedEncryption.chunkNonce(baseNonce, index, nonce);
    try {
      return gcm.open(key, nonce, null, in, inOff, len, out, outOff);
    } catch (AEADBadTagException e) {
      throw new TamperedSegmentException("chunk " + index + " failed authentication");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM refused a derived key or nonce", e);
    }
  }

  /** Opens a whole message body (the chunks after the header); all-or-nothing. */
  byte[] openAll(byte[] in, int off, int len)
      throws TamperedSegmentException, TruncatedSegmentException {
    long size = ChunkedEncryption.rawPlaintextSize(len);
    byte[] out = new byte[(int) size];
    int pos = 0;
    int outPos = 0;
    long index = 0;
    try {
      // rawPlaintextSize guarantees the last chunk is short (16..16399 bytes)
      while (len - pos >= ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES) {
        outPos += openChunk(index++, in, off + pos, ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES,
            out, outPos);
        pos += ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES;
      }
      openChunk(index, in, off + pos, len - pos, out, outPos);
      return out;
    } catch (TamperedSegmentException | TruncatedSegmentException | RuntimeException e) {
      Arrays.fill(out, (byte) 0);
      throw e;
    }
  }

  /** Wipes the derived key. */
  public void destroy() {
    Arrays.fill(okm, (byte) 0);
    key = null;
    Arrays.fill(baseNonce, (byte) 0);
    Arrays.fill(nonce, (byte) 0);
  }

  @Override
  public String toString() {
    return "ChunkDecryptor[" + suite + (key == null ? ", idle" : ", started") + "]";
  }
}
