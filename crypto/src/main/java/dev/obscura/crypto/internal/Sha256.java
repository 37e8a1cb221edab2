package dev.obscura.crypto.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 from the JCA, the one place that turns its (impossible on any Java or Android runtime)
 * absence into an {@link IllegalStateException}. Every labelled hash, key id and fingerprint of
 * the SDK goes through it. Not API.
 */
public final class Sha256 {
  private Sha256() {}

  /**
   * A fresh SHA-256 digest, for callers that feed it in pieces.
   *
   * @return a new {@link MessageDigest}, not shared
   * @throws IllegalStateException if the runtime lacks SHA-256
   */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * SHA-256 of the concatenation of {@code parts}, in order.
   *
   * @param parts the byte strings hashed one after the other (a label first, typically)
   * @return the 32-byte digest
   * @throws IllegalStateException if the runtime lacks SHA-256
   */
  public static byte[] digest(byte[]... parts) {
    MessageDigest md = newDigest();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }
}
