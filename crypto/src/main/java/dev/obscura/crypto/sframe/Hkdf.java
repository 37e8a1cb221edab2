package dev.obscura.crypto.sframe;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF (RFC 5869) over a JCA HMAC. Used once per key, never per frame. */
final class Hkdf {
  private Hkdf() {}

  /** HKDF-Extract(salt, ikm). An empty salt means HashLen zero bytes (RFC 5869 section 2.2). */
  static byte[] extract(String hmac, byte[] salt, byte[] ikm) {
    try {
      Mac mac = Mac.getInstance(hmac);
      byte[] s = salt.length == 0 ? new byte[mac.getMacLength()] : salt;
      mac.init(new SecretKeySpec(s, hmac));
      return mac.doFinal(ikm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCA lacks " + hmac, e);
    }
  }

  /** HKDF-Expand(prk, info, length). */
  static byte[] expand(String hmac, byte[] prk, byte[] info, int length) {
    try {
      Mac mac = Mac.getInstance(hmac);
      int hashLen = mac.getMacLength();
      if (length < 0 || length > 255 * hashLen) {
        throw new IllegalArgumentException("HKDF-Expand length out of range");
      }
      mac.init(new SecretKeySpec(prk, hmac));
      byte[] out = new byte[length];
      byte[] t = new byte[0];
      int pos = 0;
      for (int i = 1; pos < length; i++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) i);
        byte[] next = mac.doFinal();
        Arrays.fill(t, (byte) 0);
        t = next;
        int n = Math.min(hashLen, length - pos);
        System.arraycopy(t, 0, out, pos, n);
        pos += n;
      }
      Arrays.fill(t, (byte) 0);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCA lacks " + hmac, e);
    }
  }
}
