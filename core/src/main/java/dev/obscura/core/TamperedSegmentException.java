package dev.obscura.core;

/**
 * A chunk of a sealed segment failed authentication (modified, moved, or sealed under another
 * key or context). Nothing from that chunk was released.
 */
public class TamperedSegmentException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  public TamperedSegmentException(String message) {
    super(message);
  }

  public TamperedSegmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
