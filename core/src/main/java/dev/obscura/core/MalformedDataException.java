package dev.obscura.core;

/**
 * Bytes that do not parse: a bad magic or version, a length field out of range, a header cut
 * short. Thrown before any allocation that the bad field would have sized.
 */
public class MalformedDataException extends ObscuraException {
  private static final long serialVersionUID = 1L;

  public MalformedDataException(String message) {
    super(Outcome.MALFORMED, message);
  }
}
