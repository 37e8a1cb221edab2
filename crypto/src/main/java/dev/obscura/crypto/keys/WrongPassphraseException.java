package dev.obscura.crypto.keys;

import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;

/**
 * A secret does not unlock what it should: a key file does not decrypt under the passphrase or
 * platform key given, or a recovery passphrase or code does not derive the recovery key
 * published in the roster. The message never contains the passphrase, the code or any key.
 */
public class WrongPassphraseException extends ObscuraException {
  private static final long serialVersionUID = 1L;

  public WrongPassphraseException(String message) {
    super(Outcome.NO_KEY, message);
  }
}
