package dev.obscura.crypto.segment;

import dev.obscura.core.IntegrityException;

/**
 * A segment authenticated, but its padding box (docs/spec/sealed-segment-v1.md section 1.1) is
 * malformed: larger than the plaintext, smaller than its fixed part, or not zero. Only a faulty or
 * hostile camera seals one. The streaming reads of {@link SegmentReader} report it with this
 * type, after releasing nothing of the segment (the box comes first); whole-segment reads ({@link
 * SegmentReader#openWhole}, {@link SegmentOpener}, {@link StreamReader}) report it as a {@link
 * dev.obscura.core.MalformedDataException}.
 */
public final class MalformedPaddingException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message saying what is wrong.
   *
   * @param message what is wrong, with the segment's id
   */
  public MalformedPaddingException(String message) {
    super(message);
  }
}
