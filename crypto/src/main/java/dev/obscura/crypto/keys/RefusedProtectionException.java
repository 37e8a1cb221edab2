package dev.obscura.crypto.keys;

import java.security.GeneralSecurityException;

/**
 * A protection refuses the parameters a key file names before trying any secret (Argon2id costs
 * below the reader's floor). The key file code reports it as a malformed file. Not API.
 */
final class RefusedProtectionException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  RefusedProtectionException(String message) {
    super(message);
  }
}
