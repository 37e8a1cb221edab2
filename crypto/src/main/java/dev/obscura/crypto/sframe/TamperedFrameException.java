package dev.obscura.crypto.sframe;

import dev.obscura.core.IntegrityException;

/**
 * An SFrame ciphertext failed authentication: its header, ciphertext, tag or metadata was
 * modified, or it was sealed under another key (another stream, epoch or sender). No plaintext
 * of it was released, and the receiver's replay window did not move.
 */
public final class TamperedFrameException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  TamperedFrameException(String message) {
    super(message);
  }
}
