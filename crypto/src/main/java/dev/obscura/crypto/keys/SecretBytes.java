package dev.obscura.crypto.keys;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Secret key material. The bytes never appear in {@code toString()}, and reading them needs an
 * {@link InsecureSecretAccess} token. Equality is constant-time. {@link #destroy()} overwrites
 * the bytes (best effort on the JVM: copies handed out earlier are the caller's to wipe).
 *
 * <p><b>Why not Tink's {@code com.google.crypto.tink.util.SecretBytes}:</b> this type mirrors
 * it (access token, constant-time equality, no bytes in {@code toString()}) and is kept only for
 * what Tink's lacks: destruction. Tink's {@code SecretBytes} holds its array for the life of the
 * object and has no way to wipe it, while an epoch key here must be overwritten the moment its
 * epoch ends (forward secrecy: a later copy of the process memory must not hold it), and a
 * destroyed secret refuses every later read with {@link IllegalStateException}. Code that hands
 * a key to Tink converts at that boundary.
 */
public final class SecretBytes {
  private final byte[] bytes;
  private volatile boolean destroyed;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes} into a new secret. The caller should wipe its own array. */
  public static SecretBytes copyFrom(byte[] bytes, InsecureSecretAccess access) {
    Objects.requireNonNull(access, "access");
    return new SecretBytes(bytes.clone());
  }

  /** Takes ownership of {@code bytes} without copying; the caller must not keep a reference. */
  static SecretBytes wrap(byte[] bytes) {
    return new SecretBytes(bytes);
  }

  /** A fresh random secret of {@code length} bytes. */
  public static SecretBytes random(int length, dev.obscura.core.EntropySource entropy) {
    byte[] b = new byte[length];
    entropy.nextBytes(b);
    return new SecretBytes(b);
  }

  /** A copy of the secret bytes. */
  public byte[] toByteArray(InsecureSecretAccess access) {
    Objects.requireNonNull(access, "access");
    checkAlive();
    return bytes.clone();
  }

  /**
   * Copies the secret bytes into {@code dst} at {@code offset}, allocating nothing: for a hot path
   * that keeps one reused key buffer (which it must wipe itself).
   *
   * @param dst where the bytes go
   * @param offset where in {@code dst}
   * @param access the access token
   * @throws IllegalStateException if the secret was destroyed
   * @throws IndexOutOfBoundsException if {@code dst} has no room
   */
  public void copyTo(byte[] dst, int offset, InsecureSecretAccess access) {
    Objects.requireNonNull(access, "access");
    checkAlive();
    System.arraycopy(bytes, 0, dst, offset, bytes.length);
  }

  public int size() {
    return bytes.length;
  }

  /** Constant-time comparison. */
  public boolean equalsSecretBytes(SecretBytes other) {
    checkAlive();
    return other != null && MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Overwrites the bytes with zeros; every later read fails. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(bytes, (byte) 0);
  }

  public boolean isDestroyed() {
    return destroyed;
  }

  private void checkAlive() {
    if (destroyed) {
      throw new IllegalStateException("secret was destroyed");
    }
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes" + (destroyed ? ", destroyed" : "") + "]";
  }
}
