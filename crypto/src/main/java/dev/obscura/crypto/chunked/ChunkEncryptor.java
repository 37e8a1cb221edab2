package dev.obscura.crypto.chunked;

import dev.obscura.crypto.internal.Hkdf;
import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * The buffer-based encryption core of C2SP chunked encryption (see {@link ChunkedEncryption}):
 * one message at a time, chunk by chunk, into caller-provided arrays. One instance keeps one JCA
 * {@code Cipher} and is reused for message after message ({@link #start} rekeys it).
 *
 * <p><b>Security guarantees:</b> the caller never handles a nonce or a chunk counter: the salt is
 * drawn from the entropy source, the counter is internal, the final chunk is forced to be short,
 * and nothing can be sealed after it.
 *
 * <p><b>Restrictions:</b> not thread-safe. <b>Buffer ownership:</b> input and output arrays are
 * only read/written during the call and never retained; input and output may not overlap.
 * Derived key bytes are wiped at {@link #start} of the next message and at {@link #destroy()}
 * (the JCA {@code SecretKeySpec} copy cannot be wiped: best effort on the JVM).
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * ChunkEncryptor enc = new ChunkEncryptor(ChunkedSuite.COBBLESTONE_256);
 * byte[] head = new byte[ChunkedEncryption.HEADER_SIZE_BYTES];
 * enc.start(key, context, EntropySource.system(), head, 0);
 * out.write(head);
 * byte[] ct = new byte[ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES];
 * while (moreThanOneChunkLeft) { out.write(ct, 0, enc.sealChunk(buf, 0, 16384, ct, 0)); }
 * out.write(ct, 0, enc.sealFinalChunk(buf, 0, rest, ct, 0));
 * }</pre>
 */
public final class ChunkEncryptor {
  private final ChunkedSuite suite;
  private final AesGcm gcm;
  private final Hkdf hkdf;
  private final byte[] baseNonce = new byte[12];
  private final byte[] nonce = new byte[12];
  private final byte[] commitment = new byte[ChunkedEncryption.COMMITMENT_SIZE_BYTES];
  private final byte[] ikm;
  private final byte[] salt = new byte[ChunkedEncryption.SALT_SIZE_BYTES];
  private final byte[] okm;
  private byte[] info;
  private SecretKeySpec key;
  private long index;
  private boolean active;

  /**
   * With the platform's preferred JCA provider.
   *
   * @param suite the chunked-encryption suite
   */
  public ChunkEncryptor(ChunkedSuite suite) {
    this(suite, null);
  }

  /**
   * With the AES-GCM cipher and the HMAC (of the HKDF) of {@code provider}.
   *
   * @param suite the chunked-encryption suite
   * @param provider the JCA provider, or {@code null} for the platform's preferred one
   * @throws IllegalStateException if the provider lacks AES-GCM or HMAC-SHA-512
   */
  public ChunkEncryptor(ChunkedSuite suite, Provider provider) {
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

  /**
   * Starts a new message: draws a fresh salt, derives key, base nonce and commitment, and writes
   * the 56-byte header (salt || commitment) to {@code out} at {@code outOff}.
   *
   * @throws IllegalArgumentException if {@code inputKey} is not {@link ChunkedSuite#keySizeBytes()}
   *     long
   */
  public void start(SecretBytes inputKey, byte[] context, EntropySource entropy,
      byte[] out, int outOff) {
    Objects.requireNonNull(inputKey, "inputKey");
    if (inputKey.size() != suite.keySizeBytes()) {
      throw new IllegalArgumentException(
          "input key must be " + suite.keySizeBytes() + " bytes for " + suite);
    }
    inputKey.copyTo(ikm, 0, InsecureSecretAccess.get());
    try {
      start(ikm, context, entropy, out, outOff);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /**
   * {@link #start(SecretBytes, byte[], EntropySource, byte[], int)} with the input key as bytes
   * (not retained; the caller wipes them): the allocation-free path of a sealer that derives
   * every message's input key into one reused buffer. Allocates only the JCA key specs.
   *
   * @param inputKey the input key, {@link ChunkedSuite#keySizeBytes()} long
   * @param context the context (the whole array), or {@code null} for none
   * @param entropy where the salt comes from
   * @param out where the 56-byte header (salt || commitment) goes
   * @param outOff where in {@code out}
   * @throws IllegalArgumentException if {@code inputKey} has the wrong length
   */
  public void start(byte[] inputKey, byte[] context, EntropySource entropy, byte[] out,
      int outOff) {
    Objects.requireNonNull(inputKey, "inputKey");
    Objects.requireNonNull(entropy, "entropy");
    Objects.checkFromIndexSize(outOff, ChunkedEncryption.HEADER_SIZE_BYTES, out.length);
    if (inputKey.length != suite.keySizeBytes()) {
      throw new IllegalArgumentException(
          "input key must be " + suite.keySizeBytes() + " bytes for " + suite);
    }
    int ctxLen = context == null ? 0 : context.length;
    int need = ChunkedEncryption.infoSize(suite, ctxLen);
    if (info.length < need) {
      info = new byte[need];
    }
    entropy.nextBytes(salt);
    ChunkedEncryption.deriveMessageKeys(hkdf, suite, inputKey, salt, 0,
        context == null ? salt : context, 0, ctxLen, info, okm);
    install(okm);
    System.arraycopy(salt, 0, out, outOff, salt.length);
    System.arraycopy(commitment, 0, out, outOff + salt.length, commitment.length);
  }

  /** Raw mode (hazmat, tests only): the AEAD key and base nonce are given, no header. */
  void startRaw(byte[] aeadKey, byte[] base) {
    if (aeadKey.length != suite.keySizeBytes() || base.length != 12) {
      throw new IllegalArgumentException("raw key or nonce has the wrong size");
    }
    byte[] okm = new byte[aeadKey.length + 12 + 32];
    System.arraycopy(aeadKey, 0, okm, 0, aeadKey.length);
    System.arraycopy(base, 0, okm, aeadKey.length, 12);
    install(okm);
  }

  /** Takes key, base nonce and commitment from {@code okm} (then wiped). */
  private void install(byte[] okm) {
    int k = suite.keySizeBytes();
    System.arraycopy(okm, k, baseNonce, 0, 12);
    System.arraycopy(okm, k + 12, commitment, 0, commitment.length);
    key = new SecretKeySpec(okm, 0, k, "AES"); // a copy: the JCA's copies cannot be wiped
    Arrays.fill(okm, (byte) 0);
    index = 0;
    active = true;
  }

  /**
   * Seals one full, non-final chunk: exactly {@link ChunkedEncryption#CHUNK_SIZE_BYTES} bytes.
   *
   * @return bytes written to {@code out}: {@link ChunkedEncryption#ENCRYPTED_CHUNK_SIZE_BYTES}
   */
  public int sealChunk(byte[] in, int inOff, int len, byte[] out, int outOff) {
    if (len != ChunkedEncryption.CHUNK_SIZE_BYTES) {
      throw new IllegalArgumentException("a non-final chunk must be exactly 16384 bytes");
    }
    return seal(in, inOff, len, out, outOff, false);
  }

  /**
   * Seals the final chunk (0 to 16383 bytes) and ends the message; nothing more can be sealed
   * until the next {@link #start}.
   *
   * @return bytes written to {@code out}: {@code len + 16}
   */
  public int sealFinalChunk(byte[] in, int inOff, int len, byte[] out, int outOff) {
    if (len < 0 || len >= ChunkedEncryption.CHUNK_SIZE_BYTES) {
      throw new IllegalArgumentException("the final chunk must be 0..16383 bytes");
    }
    return seal(in, inOff, len, out, outOff, true);
  }

  /** Moves the chunk counter of the message being sealed to {@code chunk} (exhaustion tests only). */
  void skipToChunk(long chunk) {
    if (!active || chunk < index) {
      throw new IllegalStateException("only forward, within a message");
    }
    index = chunk;
  }

  private int seal(byte[] in, int inOff, int len, byte[] out, int outOff, boolean last) {
    if (!active) {
      throw new IllegalStateException("no message started, or its final chunk was sealed");
    }
    if (index >= ChunkedEncryption.MAX_CHUNKS - (last ? 0 : 1)) {
      throw new dev.obscura.core.CounterExhaustedException(dev.obscura.core.CounterExhaustedException.Counter.CHUNK,
          "message exceeds 2^38 chunks");
    }
    Objects.checkFromIndexSize(inOff, len, in.length);
    Objects.checkFromIndexSize(outOff, len + ChunkedEncryption.TAG_SIZE_BYTES, out.length);
    ChunkedEncryption.chunkNonce(baseNonce, index, nonce);
    int n;
    try {
      n = gcm.seal(key, nonce, null, in, inOff, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM refused a derived key or nonce", e);
    }
    index++;
    if (last) {
      active = false;
    }
    return n;
  }

  /** The 32-byte commitment of the current (or last) message (public, a copy). */
  public byte[] commitment() {
    return commitment.clone();
  }

  /** Chunks sealed so far in the current message. */
  public long chunksSealed() {
    return index;
  }

  /** Whether a message is started and its final chunk not yet sealed. */
  public boolean isActive() {
    return active;
  }

  /** Wipes the derived key; the encryptor can be started again. */
  public void destroy() {
    wipe();
    active = false;
  }

  private void wipe() {
    Arrays.fill(okm, (byte) 0);
    key = null;
    Arrays.fill(baseNonce, (byte) 0);
    Arrays.fill(nonce, (byte) 0);
  }

  @Override
  public String toString() {
    return "ChunkEncryptor[" + suite + (active ? ", chunk " + index : ", idle") + "]";
  }
}
