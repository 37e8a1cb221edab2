package dev.obscura.crypto.scheme.internal;

import dev.obscura.core.IntegrityException;
import dev.obscura.crypto.internal.Jca;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a counter nonce ({@code 0x00000000 || u64be counter}) under one key, for the
 * per-frame schemes. The caller owns the counter and must never pass one twice under a key (the
 * schemes draw a fresh random salt per sealer, so every sealer has its own key). Not
 * thread-safe.
 */
public final class CounterGcm implements AutoCloseable {
  /** Bytes of a GCM tag. */
  public static final int TAG_BYTES = 16;

  private final Cipher cipher = Jca.cipher("AES/GCM/NoPadding", null);
  private final byte[] nonce = new byte[12];
  private SecretKeySpec key;
  private byte[] raw;

  /**
   * @param key the 32-byte AES key, copied (the caller wipes its own array)
   */
  public CounterGcm(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("an AES-256 key is 32 bytes");
    }
    this.raw = key.clone();
    this.key = new SecretKeySpec(raw, "AES");
  }

  /**
   * Encrypts {@code plain} with nonce {@code counter} and associated data {@code aad}.
   *
   * @param counter the nonce counter, never used before under this key
   * @param aad the associated data
   * @param plain the plaintext
   * @param out where ciphertext || tag goes
   * @param outOffset where in {@code out}; it needs {@code plain.length + 16} bytes
   * @return bytes written
   */
  public int seal(long counter, byte[] aad, byte[] plain, byte[] out, int outOffset) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key(), spec(counter));
      cipher.updateAAD(aad);
      return cipher.doFinal(plain, 0, plain.length, out, outOffset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM refused to encrypt", e);
    }
  }

  /**
   * Decrypts {@code in[offset .. offset + length)} (ciphertext || tag).
   *
   * @param counter the nonce counter it was sealed with
   * @param aad the associated data it was sealed with
   * @param in the array holding the record
   * @param offset where the ciphertext starts
   * @param length ciphertext and tag length
   * @return the plaintext
   * @throws IntegrityException if it does not authenticate (or is shorter than a tag)
   */
  public byte[] open(long counter, byte[] aad, byte[] in, int offset, int length)
      throws IntegrityException {
    if (length < TAG_BYTES) {
      throw new IntegrityException("record of " + length + " bytes is shorter than a GCM tag");
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key(), spec(counter));
      cipher.updateAAD(aad);
      return cipher.doFinal(in, offset, length);
    } catch (AEADBadTagException e) {
      throw new IntegrityException("record failed AES-GCM authentication");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM refused to decrypt", e);
    }
  }

  private SecretKeySpec key() {
    if (key == null) {
      throw new IllegalStateException("closed");
    }
    return key;
  }

  private GCMParameterSpec spec(long counter) {
    SchemeKeys.putLong(counter, nonce, 4);
    return new GCMParameterSpec(128, nonce);
  }

  /** Wipes this object's copy of the key (the JCA keeps its own until collected). */
  @Override
  public void close() {
    if (raw != null) {
      Arrays.fill(raw, (byte) 0);
      raw = null;
      key = null;
    }
  }
}
