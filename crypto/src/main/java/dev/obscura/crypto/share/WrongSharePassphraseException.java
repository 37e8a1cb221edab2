package dev.obscura.crypto.share;

import dev.obscura.core.KeyUnavailableException;

/**
 * The passphrase given does not open a passphrase-protected share grant (or the grant's wrapped
 * key was tampered with: the two cannot be told apart). The message never contains the
 * passphrase or any key.
 */
public class WrongSharePassphraseException extends KeyUnavailableException {
  private static final long serialVersionUID = 1L;

  public WrongSharePassphraseException(String message) {
    super(message);
  }
}
