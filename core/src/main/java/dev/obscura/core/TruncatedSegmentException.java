package dev.obscura.core;

/**
 * A sealed segment ended before its authenticated final chunk: cut short in storage, in
 * transit, or by a crash while it was written.
 */
public class TruncatedSegmentException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  public TruncatedSegmentException(String message) {
    super(message);
  }
}
