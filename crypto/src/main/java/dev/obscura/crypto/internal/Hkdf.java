package dev.obscura.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF (RFC 5869) over one JCA HMAC, the SDK's one implementation: SFrame's key schedule, C2SP
 * chunked encryption's message keys and the segment keys all derive through it. Checked against
 * the RFC 5869 and Wycheproof vectors ({@code HkdfTest}).
 *
 * <p>An instance keeps one {@link Mac} (no provider lookup per derivation) and one block buffer,
 * so the hot path allocates only the key spec the JCA needs; it is not thread-safe. The static
 * methods are one-shots for cold paths. Intermediate blocks are wiped before a call returns. The
 * HMAC comes from a given JCA provider, or the platform's preferred one ({@link Jca}).
 */
public final class Hkdf {
  private final String algorithm;
  private final Mac mac;
  private final int hashLength;
  private final byte[] block;

  /**
   * @param hmacAlgorithm the JCA name of the HMAC, e.g. {@code "HmacSHA256"}
   * @throws IllegalStateException if the platform lacks it
   */
  public Hkdf(String hmacAlgorithm) {
    this(hmacAlgorithm, null);
  }

  /**
   * @param hmacAlgorithm the JCA name of the HMAC, e.g. {@code "HmacSHA256"}
   * @param provider the JCA provider of the HMAC, or {@code null} for the platform's preferred one
   * @throws IllegalStateException if the provider lacks it
   */
  public Hkdf(String hmacAlgorithm, Provider provider) {
    this.algorithm = hmacAlgorithm;
    this.mac = Jca.mac(hmacAlgorithm, provider);
    this.hashLength = mac.getMacLength();
    this.block = new byte[hashLength];
  }

  /** @return the HMAC's output length in bytes (HashLen) */
  public int hashLength() {
    return hashLength;
  }

  /**
   * HKDF-Extract(salt, ikm). An empty salt stands for HashLen zero bytes (RFC 5869, 2.2).
   *
   * @param salt the salt, possibly empty
   * @param ikm the input keying material
   * @return the pseudorandom key, HashLen bytes (the caller wipes it)
   */
  public byte[] extract(byte[] salt, byte[] ikm) {
    try {
      mac.init(new SecretKeySpec(salt.length == 0 ? new byte[hashLength] : salt, algorithm));
      return mac.doFinal(ikm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " refused a key", e);
    }
  }

  /**
   * Writes {@code length} bytes of HKDF-Expand(prk, info[0..infoLength)) to
   * {@code out[outOffset..]}, allocating nothing but the key spec.
   *
   * @param prk the pseudorandom key (at least HashLen bytes for RFC 5869 use)
   * @param info the context, of which the first {@code infoLength} bytes are used
   * @param infoLength how much of {@code info}
   * @param out where the output keying material goes
   * @param outOffset where in {@code out}
   * @param length how many bytes, at most 255 HashLen
   * @throws IllegalArgumentException if {@code length} is negative or above 255 HashLen
   */
  public void expand(byte[] prk, byte[] info, int infoLength, byte[] out, int outOffset, int length) {
    if (length < 0 || length > 255 * hashLength) {
      throw new IllegalArgumentException("HKDF-Expand length " + length + " is out of range");
    }
    try {
      mac.init(new SecretKeySpec(prk, algorithm));
      int done = 0;
      for (int i = 1; done < length; i++) {
        if (i > 1) {
          mac.update(block, 0, hashLength);
        }
        mac.update(info, 0, infoLength);
        mac.update((byte) i);
        mac.doFinal(block, 0);
        int n = Math.min(hashLength, length - done);
        System.arraycopy(block, 0, out, outOffset + done, n);
        done += n;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " refused a key", e);
    } finally {
      Arrays.fill(block, (byte) 0);
    }
  }

  /**
   * HKDF-Expand(prk, info, length) into a new array.
   *
   * @param prk the pseudorandom key
   * @param info the context
   * @param length how many bytes, at most 255 HashLen
   * @return the output keying material (the caller wipes it)
   * @throws IllegalArgumentException if {@code length} is out of range
   */
  public byte[] expand(byte[] prk, byte[] info, int length) {
    if (length < 0 || length > 255 * hashLength) {
      throw new IllegalArgumentException("HKDF-Expand length " + length + " is out of range");
    }
    byte[] okm = new byte[length];
    expand(prk, info, info.length, okm, 0, length);
    return okm;
  }

  /**
   * One-shot HKDF-Extract with a fresh {@link Mac}.
   *
   * @param hmacAlgorithm the JCA HMAC name
   * @param salt the salt, possibly empty
   * @param ikm the input keying material
   * @return the pseudorandom key
   */
  public static byte[] extract(String hmacAlgorithm, byte[] salt, byte[] ikm) {
    return new Hkdf(hmacAlgorithm).extract(salt, ikm);
  }

  /**
   * One-shot HKDF-Extract with a fresh {@link Mac} of {@code provider}.
   *
   * @param hmacAlgorithm the JCA HMAC name
   * @param provider the JCA provider, or {@code null} for the platform's preferred one
   * @param salt the salt, possibly empty
   * @param ikm the input keying material
   * @return the pseudorandom key
   */
  public static byte[] extract(String hmacAlgorithm, Provider provider, byte[] salt, byte[] ikm) {
    return new Hkdf(hmacAlgorithm, provider).extract(salt, ikm);
  }

  /**
   * One-shot HKDF-Expand with a fresh {@link Mac}.
   *
   * @param hmacAlgorithm the JCA HMAC name
   * @param prk the pseudorandom key
   * @param info the context
   * @param length how many bytes
   * @return the output keying material
   */
  public static byte[] expand(String hmacAlgorithm, byte[] prk, byte[] info, int length) {
    return new Hkdf(hmacAlgorithm).expand(prk, info, length);
  }

  /**
   * One-shot HKDF-Expand with a fresh {@link Mac} of {@code provider}.
   *
   * @param hmacAlgorithm the JCA HMAC name
   * @param provider the JCA provider, or {@code null} for the platform's preferred one
   * @param prk the pseudorandom key
   * @param info the context
   * @param length how many bytes
   * @return the output keying material
   */
  public static byte[] expand(String hmacAlgorithm, Provider provider, byte[] prk, byte[] info,
      int length) {
    return new Hkdf(hmacAlgorithm, provider).expand(prk, info, length);
  }
}
