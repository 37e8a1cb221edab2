package dev.obscura.crypto.chunked;

import dev.obscura.crypto.internal.Hkdf;
import dev.obscura.core.EntropySource;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.keys.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.Arrays;
import java.util.Objects;

/**
 * C2SP chunked encryption (<a href="https://c2sp.org/chunked-encryption">
 * c2sp.org/chunked-encryption</a>, "Cobblestone"): constants, length arithmetic and one-shot
 * helpers. The incremental cores are {@link ChunkEncryptor} and {@link ChunkDecryptor}; the stream
 * decorators are {@link ChunkedOutputStream} and {@link ChunkedInputStream}.
 *
 * <pre>
 * key || base nonce || commitment = HKDF-Expand-SHA-512(prk = input key,
 *     info = "c2sp.org/chunked-encryption@v1+" || aead name || 0x00 || salt || context,
 *     L = len(key) + 12 + 32)
 * ciphertext = salt (24) || commitment (32) || chunk_0 || ... || chunk_n
 * chunk_i    = AES-GCM(key, nonce = base nonce XOR be96(i), aad = empty, plaintext_i) (+16-byte tag)
 * </pre>
 *
 * Every chunk but the last holds exactly 16384 plaintext bytes; the last holds 0..16383 bytes, so
 * a message that is a multiple of 16 KiB ends with an empty final chunk. Being short is what marks
 * the final chunk: a ciphertext that ends after a full chunk is truncated.
 *
 * <p><b>Security guarantees:</b> confidentiality and integrity of the message and its length
 * (truncation, extension, reordering, duplication of chunks are detected), key commitment (the
 * commitment binds input key, salt and context; a wrong key or context is refused before any chunk
 * is decrypted), random access by chunk index.
 *
 * <p><b>Restrictions:</b> at most 2^38 chunks (4 PiB) per message. The salt must not repeat for an
 * input key: it is drawn from the {@link EntropySource}, which must be a CSPRNG in production.
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * byte[] ct = ChunkedEncryption.encrypt(ChunkedSuite.COBBLESTONE_256, key, ctx, message,
 *     EntropySource.system());
 * byte[] pt = ChunkedEncryption.decrypt(ChunkedSuite.COBBLESTONE_256, key, ctx, ct);
 * }</pre>
 */
public final class ChunkedEncryption {
  /** Plaintext bytes in every chunk but the final one. */
  public static final int CHUNK_SIZE_BYTES = 16384;
  /** AEAD tag length. */
  public static final int TAG_SIZE_BYTES = 16;
  /** Ciphertext bytes of a full (non-final) chunk. */
  public static final int ENCRYPTED_CHUNK_SIZE_BYTES = CHUNK_SIZE_BYTES + TAG_SIZE_BYTES;
  /** Salt length. */
  public static final int SALT_SIZE_BYTES = 24;
  /** Key commitment length. */
  public static final int COMMITMENT_SIZE_BYTES = 32;
  /** Salt plus commitment, at the start of every ciphertext. */
  public static final int HEADER_SIZE_BYTES = SALT_SIZE_BYTES + COMMITMENT_SIZE_BYTES;
  /** The spec's maximum number of chunks per message (2^38). */
  public static final long MAX_CHUNKS = 1L << 38;

  static final byte[] LABEL =
      "c2sp.org/chunked-encryption@v1+".getBytes(StandardCharsets.US_ASCII);

  private ChunkedEncryption() {}

  /** The ciphertext size of a message of {@code plaintextSize} bytes. */
  public static long ciphertextSize(long plaintextSize) {
    if (plaintextSize < 0) {
      throw new IllegalArgumentException("size must be >= 0");
    }
    long chunks = plaintextSize / CHUNK_SIZE_BYTES + 1;
    return Math.addExact(HEADER_SIZE_BYTES + plaintextSize, Math.multiplyExact(chunks, TAG_SIZE_BYTES));
  }

  /**
   * The plaintext size that a ciphertext of {@code ciphertextSize} bytes (header included) must
   * decrypt to.
   *
   * @throws TruncatedSegmentException if no message has that ciphertext size (cut short inside the
   *     header, after a full chunk, or inside a final chunk's tag)
   */
  public static long plaintextSize(long ciphertextSize) throws TruncatedSegmentException {
    if (ciphertextSize < HEADER_SIZE_BYTES) {
      throw new TruncatedSegmentException("ciphertext shorter than its 56-byte header");
    }
    return rawPlaintextSize(ciphertextSize - HEADER_SIZE_BYTES);
  }

  static long rawPlaintextSize(long body) throws TruncatedSegmentException {
    long full = body / ENCRYPTED_CHUNK_SIZE_BYTES;
    long rem = body % ENCRYPTED_CHUNK_SIZE_BYTES;
    if (rem == 0) {
      throw new TruncatedSegmentException(full == 0
          ? "ciphertext has no chunks"
          : "ciphertext ends after full chunk " + (full - 1) + " without a final chunk");
    }
    if (rem < TAG_SIZE_BYTES) {
      throw new TruncatedSegmentException("final chunk " + full + " is shorter than its tag");
    }
    if (full + 1 > MAX_CHUNKS) {
      throw new TruncatedSegmentException("ciphertext exceeds the maximum chunk count");
    }
    return full * CHUNK_SIZE_BYTES + rem - TAG_SIZE_BYTES;
  }

  /** Number of chunks (the final one included) in a message of {@code plaintextSize} bytes. */
  public static long chunkCount(long plaintextSize) {
    return plaintextSize / CHUNK_SIZE_BYTES + 1;
  }

  /**
   * Encrypts a whole message.
   *
   * @param inputKey {@link ChunkedSuite#keySizeBytes()} uniformly random bytes
   * @param context application data bound to the ciphertext (may be empty), not encrypted
   * @throws IllegalArgumentException if the input key has the wrong size
   */
  public static byte[] encrypt(ChunkedSuite suite, SecretBytes inputKey, byte[] context,
      byte[] plaintext, EntropySource entropy) {
    return encrypt(suite, inputKey, context, plaintext, entropy, null);
  }

  /**
   * As {@link #encrypt(ChunkedSuite, SecretBytes, byte[], byte[], EntropySource)}, with the
   * AES-GCM cipher and HMAC of a chosen JCA provider.
   *
   * @param suite the suite
   * @param inputKey {@link ChunkedSuite#keySizeBytes()} uniformly random bytes
   * @param context application data bound to the ciphertext (may be empty), not encrypted
   * @param plaintext the message
   * @param entropy where the salt comes from
   * @param provider the JCA provider, or {@code null} for the platform's preferred one
   * @return salt || commitment || chunks
   * @throws IllegalArgumentException if the input key has the wrong size
   * @throws IllegalStateException if the provider lacks AES-GCM or HMAC-SHA-512
   */
  public static byte[] encrypt(ChunkedSuite suite, SecretBytes inputKey, byte[] context,
      byte[] plaintext, EntropySource entropy, Provider provider) {
    Objects.requireNonNull(plaintext, "plaintext");
    long size = ciphertextSize(plaintext.length);
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("message too large for a one-shot array");
    }
    byte[] out = new byte[(int) size];
    ChunkEncryptor enc = new ChunkEncryptor(suite, provider);
    enc.start(inputKey, context, entropy, out, 0);
    int outPos = HEADER_SIZE_BYTES;
    int pos = 0;
    while (plaintext.length - pos >= CHUNK_SIZE_BYTES) {
      outPos += enc.sealChunk(plaintext, pos, CHUNK_SIZE_BYTES, out, outPos);
      pos += CHUNK_SIZE_BYTES;
    }
    enc.sealFinalChunk(plaintext, pos, plaintext.length - pos, out, outPos);
    enc.destroy();
    return out;
  }

  /**
   * Decrypts a whole message; returns the plaintext only after every chunk authenticated.
   *
   * @throws dev.obscura.core.KeyMismatchException wrong key or context (commitment mismatch),
   *     checked before any chunk is decrypted
   * @throws TruncatedSegmentException the ciphertext was cut short
   * @throws dev.obscura.core.TamperedSegmentException a chunk failed authentication (includes
   *     trailing data, reordered or duplicated chunks)
   * @throws IllegalArgumentException if the input key has the wrong size
   */
  public static byte[] decrypt(ChunkedSuite suite, SecretBytes inputKey, byte[] context,
      byte[] ciphertext) throws IntegrityException {
    return decrypt(suite, inputKey, context, ciphertext, 0, ciphertext.length);
  }

  /** As {@link #decrypt(ChunkedSuite, SecretBytes, byte[], byte[])}, on a slice of an array. */
  public static byte[] decrypt(ChunkedSuite suite, SecretBytes inputKey, byte[] context,
      byte[] ciphertext, int offset, int length) throws IntegrityException {
    return decrypt(suite, inputKey, context, ciphertext, offset, length, null);
  }

  /**
   * As {@link #decrypt(ChunkedSuite, SecretBytes, byte[], byte[], int, int)}, with the AES-GCM
   * cipher and HMAC of a chosen JCA provider.
   *
   * @param suite the suite
   * @param inputKey the input key
   * @param context the context the message was sealed with
   * @param ciphertext holds the message
   * @param offset where it starts
   * @param length its length
   * @param provider the JCA provider, or {@code null} for the platform's preferred one
   * @return the plaintext, after every chunk authenticated
   * @throws IntegrityException wrong key or context, truncated or tampered ciphertext
   * @throws IllegalArgumentException if the input key has the wrong size
   * @throws IllegalStateException if the provider lacks AES-GCM or HMAC-SHA-512
   */
  public static byte[] decrypt(ChunkedSuite suite, SecretBytes inputKey, byte[] context,
      byte[] ciphertext, int offset, int length, Provider provider) throws IntegrityException {
    Objects.checkFromIndexSize(offset, length, ciphertext.length);
    ChunkDecryptor dec = new ChunkDecryptor(suite, provider);
    if (length < HEADER_SIZE_BYTES) {
      dec.checkKeySize(inputKey);
      throw new TruncatedSegmentException("ciphertext shorter than its 56-byte header");
    }
    dec.start(inputKey, context, ciphertext, offset);
    try {
      return dec.openAll(ciphertext, offset + HEADER_SIZE_BYTES, length - HEADER_SIZE_BYTES);
    } finally {
      dec.destroy();
    }
  }

  /** Derives key || base nonce || commitment (one-shot, a fresh HMAC). */
  static byte[] deriveMessageKeys(ChunkedSuite suite, byte[] inputKey, byte[] salt, byte[] context) {
    return deriveMessageKeys(new Hkdf("HmacSHA512"), suite, inputKey, salt, context);
  }

  /** Derives key || base nonce || commitment with a reused HKDF. */
  static byte[] deriveMessageKeys(Hkdf hkdf, ChunkedSuite suite, byte[] inputKey, byte[] salt,
      byte[] context) {
    byte[] ctx = context == null ? new byte[0] : context;
    byte[] okm = new byte[messageKeysSize(suite)];
    byte[] info = new byte[infoSize(suite, ctx.length)];
    deriveMessageKeys(hkdf, suite, inputKey, salt, 0, ctx, 0, ctx.length, info, okm);
    return okm;
  }

  /** Bytes of key || base nonce || commitment for {@code suite}. */
  static int messageKeysSize(ChunkedSuite suite) {
    return suite.keySizeBytes() + suite.nonceSizeBytes() + COMMITMENT_SIZE_BYTES;
  }

  /** Bytes of the HKDF info for a context of {@code contextLength} bytes. */
  static int infoSize(ChunkedSuite suite, int contextLength) {
    return LABEL.length + suite.aeadNameBytes().length + 1 + SALT_SIZE_BYTES + contextLength;
  }

  /**
   * Derives key || base nonce || commitment into {@code okm} (at least {@link #messageKeysSize}),
   * composing the info in {@code info} (at least {@link #infoSize}, wiped after): allocates
   * nothing but the HMAC's key spec. The salt is {@code salt[saltOff .. saltOff+24)}, the context
   * {@code ctx[ctxOff .. ctxOff+ctxLen)}.
   */
  static void deriveMessageKeys(Hkdf hkdf, ChunkedSuite suite, byte[] inputKey, byte[] salt,
      int saltOff, byte[] ctx, int ctxOff, int ctxLen, byte[] info, byte[] okm) {
    byte[] aead = suite.aeadNameBytes();
    int p = 0;
    System.arraycopy(LABEL, 0, info, p, LABEL.length);
    p += LABEL.length;
    System.arraycopy(aead, 0, info, p, aead.length);
    p += aead.length;
    info[p++] = 0;
    System.arraycopy(salt, saltOff, info, p, SALT_SIZE_BYTES);
    p += SALT_SIZE_BYTES;
    System.arraycopy(ctx, ctxOff, info, p, ctxLen);
    p += ctxLen;
    try {
      hkdf.expand(inputKey, info, p, okm, 0, messageKeysSize(suite));
    } finally {
      Arrays.fill(info, 0, p, (byte) 0);
    }
  }

  /** nonce = base XOR be96(index). */
  static void chunkNonce(byte[] base, long index, byte[] out) {
    System.arraycopy(base, 0, out, 0, base.length);
    int n = out.length;
    for (int i = 0; i < 8; i++) {
      out[n - 1 - i] ^= (byte) (index >>> (8 * i));
    }
  }
}
