package dev.obscura.core;

/**
 * Base of the checked exceptions Obscura throws when footage, keys or metadata cannot be
 * trusted or used. I/O failures are {@link java.io.IOException}s instead.
 *
 * <p>Messages name the problem and the object (stream, sequence, epoch, file) but never contain
 * key material or plaintext.
 */
public class ObscuraException extends Exception {
  private static final long serialVersionUID = 1L;

  public ObscuraException(String message) {
    super(message);
  }

  public ObscuraException(String message, Throwable cause) {
    super(message, cause);
  }
}
