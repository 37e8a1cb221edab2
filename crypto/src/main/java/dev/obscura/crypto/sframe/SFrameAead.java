package dev.obscura.crypto.sframe;

import dev.obscura.crypto.internal.Jca;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AEAD of one SFrame cipher suite under one {@code sframe_key}: AES-GCM, or the AES-CTR plus
 * HMAC compound of RFC 9605 section 4.5.1. Holds one reused JCA {@code Cipher} (and {@code Mac});
 * not thread-safe. The associated data is one contiguous range (header, or header || metadata),
 * fed with one {@code updateAAD}; the plaintext comes in two parts: an optional head that goes
 * through {@code Cipher.update} (callers keep it a whole number of 16-byte blocks, so the cipher
 * never buffers a partial block) and the body, fed to {@code doFinal} straight from the caller's
 * array, so that callers never concatenate a frame into a new array.
 */
abstract class SFrameAead {
  private static final String GCM = "AES/GCM/NoPadding";
  private static final String CTR = "AES/CTR/NoPadding";

  final int tagBytes;

  private SFrameAead(int tagBytes) {
    this.tagBytes = tagBytes;
  }

  /**
   * An AEAD for {@code suite} keyed with {@code sframeKey} (copied; the caller wipes its array),
   * on the cipher and HMAC of {@code provider} ({@code null}: the platform's preferred one).
   */
  static SFrameAead create(SFrameCipherSuite suite, byte[] sframeKey, Provider provider) {
    if (sframeKey.length != suite.keyBytes()) {
      throw new IllegalArgumentException("sframe_key must be " + suite.keyBytes() + " bytes");
    }
    try {
      return suite.isCtrHmac() ? new CtrHmac(suite, sframeKey, provider) : new Gcm(suite, sframeKey, provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(Jca.describe(provider) + " refused a key of " + suite, e);
    }
  }

  /**
   * Looks up the suite's cipher and HMAC once, so that a provider that lacks one fails when a
   * receiver is built rather than at its first key.
   *
   * @throws IllegalStateException if {@code provider} (or the platform) lacks one
   */
  static void checkAvailable(SFrameCipherSuite suite, Provider provider) {
    Jca.cipher(suite.isCtrHmac() ? CTR : GCM, provider);
    Jca.mac(suite.hmacAlgorithm(), provider);
  }

  /**
   * Encrypts {@code p1 || p2} with associated data {@code aad[aadOff, aadOff + aadLen)} and
   * writes ciphertext || tag to {@code out}. Returns the bytes written ({@code p1Len + p2Len +
   * tagBytes}). The output must not overlap the inputs, except that {@code aad} may lie in
   * {@code out} before the ciphertext (the header the caller just wrote).
   */
  abstract int encrypt(
      byte[] nonce,
      byte[] aad, int aadOff, int aadLen,
      byte[] p1, int p1Off, int p1Len,
      byte[] p2, int p2Off, int p2Len,
      byte[] out, int outOff);

  /**
   * Verifies and decrypts {@code ct[ctOff, ctOff + ctLen)} (ciphertext || tag) into {@code out}.
   * Returns the plaintext length. On a bad tag it throws and leaves nothing of the plaintext in
   * {@code out} (the region is zeroed).
   */
  abstract int decrypt(
      byte[] nonce,
      byte[] aad, int aadOff, int aadLen,
      byte[] ct, int ctOff, int ctLen,
      byte[] out, int outOff)
      throws AEADBadTagException;

  private static final class Gcm extends SFrameAead {
    private final Cipher cipher;
    private final SecretKeySpec key;

    Gcm(SFrameCipherSuite suite, byte[] sframeKey, Provider provider) {
      super(suite.tagBytes());
      this.cipher = Jca.cipher(GCM, provider);
      this.key = new SecretKeySpec(sframeKey, "AES");
    }

    @Override
    int encrypt(byte[] nonce, byte[] aad, int aadOff, int aadLen,
        byte[] p1, int p1Off, int p1Len, byte[] p2, int p2Off, int p2Len, byte[] out, int outOff) {
      try {
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(tagBytes * 8, nonce));
        cipher.updateAAD(aad, aadOff, aadLen);
        int n = 0;
        if (p1Len > 0) {
          n = cipher.update(p1, p1Off, p1Len, out, outOff);
        }
        return n + cipher.doFinal(p2, p2Off, p2Len, out, outOff + n);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM encryption failed", e);
      }
    }

    @Override
    int decrypt(byte[] nonce, byte[] aad, int aadOff, int aadLen,
        byte[] ct, int ctOff, int ctLen, byte[] out, int outOff) throws AEADBadTagException {
      try {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(tagBytes * 8, nonce));
        cipher.updateAAD(aad, aadOff, aadLen);
        return cipher.doFinal(ct, ctOff, ctLen, out, outOff);
      } catch (AEADBadTagException e) {
        Arrays.fill(out, outOff, outOff + ctLen - tagBytes, (byte) 0);
        throw e;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM decryption failed", e);
      }
    }
  }

  private static final class CtrHmac extends SFrameAead {
    private final Cipher cipher;
    private final SecretKeySpec encKey;
    private final Mac mac;
    private final byte[] counterBlock = new byte[16];
    private final byte[] lengths = new byte[24];
    private final byte[] macOut;

    CtrHmac(SFrameCipherSuite suite, byte[] sframeKey, Provider provider) throws GeneralSecurityException {
      super(suite.tagBytes());
      int nka = suite.aesKeyBytes();
      this.cipher = Jca.cipher(CTR, provider);
      this.encKey = new SecretKeySpec(sframeKey, 0, nka, "AES");
      this.mac = Jca.mac(suite.hmacAlgorithm(), provider);
      mac.init(new SecretKeySpec(sframeKey, nka, sframeKey.length - nka, suite.hmacAlgorithm()));
      this.macOut = new byte[mac.getMacLength()];
    }

    @Override
    int encrypt(byte[] nonce, byte[] aad, int aadOff, int aadLen,
        byte[] p1, int p1Off, int p1Len, byte[] p2, int p2Off, int p2Len, byte[] out, int outOff) {
      try {
        cipher.init(Cipher.ENCRYPT_MODE, encKey, counter(nonce));
        int n = 0;
        if (p1Len > 0) {
          n = cipher.update(p1, p1Off, p1Len, out, outOff);
        }
        n += cipher.doFinal(p2, p2Off, p2Len, out, outOff + n);
        tag(nonce, aad, aadOff, aadLen, out, outOff, n);
        System.arraycopy(macOut, 0, out, outOff + n, tagBytes);
        return n + tagBytes;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-CTR encryption failed", e);
      }
    }

    @Override
    int decrypt(byte[] nonce, byte[] aad, int aadOff, int aadLen,
        byte[] ct, int ctOff, int ctLen, byte[] out, int outOff) throws AEADBadTagException {
      int inner = ctLen - tagBytes;
      tag(nonce, aad, aadOff, aadLen, ct, ctOff, inner);
      int diff = 0;
      for (int i = 0; i < tagBytes; i++) {
        diff |= macOut[i] ^ ct[ctOff + inner + i];
      }
      if (diff != 0) {
        throw new AEADBadTagException("SFrame tag mismatch");
      }
      try {
        cipher.init(Cipher.DECRYPT_MODE, encKey, counter(nonce));
        return cipher.doFinal(ct, ctOff, inner, out, outOff);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-CTR decryption failed", e);
      }
    }

    /** initial_counter = nonce || 0x00000000. */
    private IvParameterSpec counter(byte[] nonce) {
      System.arraycopy(nonce, 0, counterBlock, 0, 12);
      return new IvParameterSpec(counterBlock);
    }

    /**
     * Leaves HMAC(auth_key, u64(len aad) || u64(len ct) || u64(Nt) || nonce || aad || ct) in
     * {@code macOut}; the tag is its first Nt bytes.
     */
    private void tag(byte[] nonce, byte[] aad, int aadOff, int aadLen, byte[] ct, int ctOff,
        int ctLen) {
      putLong(lengths, 0, aadLen);
      putLong(lengths, 8, ctLen);
      putLong(lengths, 16, tagBytes);
      mac.update(lengths);
      mac.update(nonce, 0, 12);
      mac.update(aad, aadOff, aadLen);
      mac.update(ct, ctOff, ctLen);
      try {
        mac.doFinal(macOut, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HMAC failed", e);
      }
    }

    private static void putLong(byte[] b, int off, long v) {
      for (int i = 7; i >= 0; i--) {
        b[off + i] = (byte) v;
        v >>>= 8;
      }
    }
  }
}
