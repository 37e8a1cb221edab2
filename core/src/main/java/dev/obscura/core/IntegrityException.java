package dev.obscura.core;

/**
 * Data failed authentication: it was modified, forged, or belongs somewhere else. No plaintext
 * of the failing part has been released.
 */
public class IntegrityException extends ObscuraException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message) {
    super(Outcome.INTEGRITY, message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(Outcome.INTEGRITY, message, cause);
  }
}
