package dev.obscura.core;

/**
 * The key commitment of a sealed object does not match the key and context it is opened with:
 * the wrong key, or an object that was moved to another place (stream, sequence, epoch). Checked
 * before any chunk is decrypted.
 */
public class KeyMismatchException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  public KeyMismatchException(String message) {
    super(message);
  }
}
