package dev.obscura.crypto.chunked;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-Expand (RFC 5869 section 2.3) over HMAC-SHA-512, with one reused {@link Mac}: an encryptor
 * or decryptor keeps one instance, so starting a message costs the HMACs, not a provider lookup.
 * Not thread-safe.
 */
final class Hkdf {
  private static final String HMAC = "HmacSHA512";
  private static final int HASH_LENGTH = 64;

  private final Mac mac;
  private final byte[] t = new byte[HASH_LENGTH];

  Hkdf() {
    try {
      mac = Mac.getInstance(HMAC);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(HMAC + " is not available", e);
    }
  }

  /**
   * Writes {@code length} bytes of HKDF-Expand(prk, info[0..infoLen)) to {@code out[outOff..]}.
   * The internal block is wiped before returning.
   */
  void expand(byte[] prk, byte[] info, int infoLen, byte[] out, int outOff, int length) {
    if (length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF output too long");
    }
    try {
      mac.init(new SecretKeySpec(prk, HMAC));
      int done = 0;
      for (int i = 1; done < length; i++) {
        if (i > 1) {
          mac.update(t, 0, HASH_LENGTH);
        }
        mac.update(info, 0, infoLen);
        mac.update((byte) i);
        mac.doFinal(t, 0);
        int n = Math.min(HASH_LENGTH, length - done);
        System.arraycopy(t, 0, out, outOff + done, n);
        done += n;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(HMAC + " refused a key", e);
    } finally {
      Arrays.fill(t, (byte) 0);
    }
  }

  /** One-shot HKDF-Expand-SHA-512 (a fresh {@link Mac}). */
  static byte[] expandSha512(byte[] prk, byte[] info, int length) {
    byte[] okm = new byte[length];
    new Hkdf().expand(prk, info, info.length, okm, 0, length);
    return okm;
  }
}
