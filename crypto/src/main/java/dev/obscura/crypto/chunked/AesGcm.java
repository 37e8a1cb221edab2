package dev.obscura.crypto.chunked;

import dev.obscura.crypto.internal.Jca;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Provider;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one JCA AES-GCM path of this package: a reused {@link Cipher}, heap arrays only, 16-byte
 * tags. Uses the provider it is given, or the platform's preferred one and names none ({@link
 * Jca}): on a stock JDK that is SunJCE (fast, intrinsics), on Android the platform's
 * (Conscrypt). Not thread-safe.
 */
final class AesGcm {
  static final int TAG_LENGTH = 16;

  private final Cipher cipher;

  /** With the cipher of {@code provider}, or of the platform's preferred one if null. */
  AesGcm(Provider provider) {
    this.cipher = Jca.cipher("AES/GCM/NoPadding", provider);
  }

  /** Seals {@code len} bytes; writes {@code len + 16} bytes to {@code out}. */
  int seal(SecretKeySpec key, byte[] nonce, byte[] aad,
      byte[] in, int inOff, int len, byte[] out, int outOff)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    if (aad != null && aad.length > 0) {
      cipher.updateAAD(aad);
    }
    try {
      return cipher.doFinal(in, inOff, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("AES-GCM seal failed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Opens {@code len} bytes (ciphertext and tag); writes {@code len - 16} bytes to {@code out}.
   * On a failed tag the output region is zeroed before the exception propagates, so no
   * unauthenticated plaintext is ever left in the caller's buffer.
   */
  int open(SecretKeySpec key, byte[] nonce, byte[] aad,
      byte[] in, int inOff, int len, byte[] out, int outOff)
      throws AEADBadTagException, InvalidKeyException, InvalidAlgorithmParameterException {
    if (len < TAG_LENGTH) {
      throw new AEADBadTagException("input shorter than a tag");
    }
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    if (aad != null && aad.length > 0) {
      cipher.updateAAD(aad);
    }
    try {
      return cipher.doFinal(in, inOff, len, out, outOff);
    } catch (AEADBadTagException e) {
      java.util.Arrays.fill(out, outOff, outOff + len - TAG_LENGTH, (byte) 0);
      throw e;
    } catch (GeneralSecurityException e) {
      java.util.Arrays.fill(out, outOff, Math.min(out.length, outOff + len - TAG_LENGTH), (byte) 0);
      throw new AEADBadTagException("AES-GCM open failed: " + e.getClass().getSimpleName());
    }
  }
}
