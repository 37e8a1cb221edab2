package dev.obscura.core;

/**
 * No key that this identity can use: the epoch's envelope is missing, or it wraps no key for
 * this identity (not enrolled, revoked, or the wrong identity file).
 */
public class KeyUnavailableException extends ObscuraException {
  private static final long serialVersionUID = 1L;

  public KeyUnavailableException(String message) {
    super(Outcome.NO_KEY, message);
  }
}
