package dev.obscura.crypto.keys;

/**
 * The token that code must hold to read raw key bytes out of a secret type. Its loud name makes
 * every place that exports key material easy to find ({@code grep InsecureSecretAccess}).
 *
 * <p>Library code passes {@link #get()} only where bytes must leave the type: into a cipher, a
 * KDF, or an encrypted key file.
 */
public final class InsecureSecretAccess {
  private static final InsecureSecretAccess INSTANCE = new InsecureSecretAccess();

  private InsecureSecretAccess() {}

  public static InsecureSecretAccess get() {
    return INSTANCE;
  }
}
