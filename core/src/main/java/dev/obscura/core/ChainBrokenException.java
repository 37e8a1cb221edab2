package dev.obscura.core;

/**
 * Segments that are each authentic do not form one unbroken stream: a segment is missing,
 * duplicated, reordered, replayed from another position, or spliced in from another stream.
 */
public class ChainBrokenException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  public ChainBrokenException(String message) {
    super(message);
  }
}
