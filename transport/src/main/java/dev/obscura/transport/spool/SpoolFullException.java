package dev.obscura.transport.spool;

import java.io.IOException;

/**
 * A commit was refused: the spool is at its cap and holds nothing it may drop (only envelopes
 * and other non-segment objects, or one object larger than the whole cap). The object was not
 * acknowledged and is not in the spool.
 */
public class SpoolFullException extends IOException {
  private static final long serialVersionUID = 1L;

  public SpoolFullException(String message) {
    super(message);
  }
}
