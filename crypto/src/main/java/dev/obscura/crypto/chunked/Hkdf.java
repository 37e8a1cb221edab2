package dev.obscura.crypto.chunked;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-Expand (RFC 5869 section 2.3) over HMAC-SHA-512. */
final class Hkdf {
  private Hkdf() {}

  static byte[] expandSha512(byte[] prk, byte[] info, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      mac.init(new SecretKeySpec(prk, "HmacSHA512"));
      int hashLen = mac.getMacLength();
      if (length > 255 * hashLen) {
        throw new IllegalArgumentException("HKDF output too long");
      }
      byte[] okm = new byte[length];
      byte[] t = new byte[0];
      int done = 0;
      for (int i = 1; done < length; i++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) i);
        Arrays.fill(t, (byte) 0);
        t = mac.doFinal();
        int n = Math.min(hashLen, length - done);
        System.arraycopy(t, 0, okm, done, n);
        done += n;
      }
      Arrays.fill(t, (byte) 0);
      return okm;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA512 is not available", e);
    }
  }
}
