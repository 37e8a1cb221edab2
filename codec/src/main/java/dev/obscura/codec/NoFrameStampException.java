package dev.obscura.codec;

import dev.obscura.core.MalformedDataException;

/**
 * A decoded frame carries no readable {@link FrameStamp}: it was not made by {@link
 * SyntheticCamera}, it is too small, or the stamp's checksum does not match.
 */
public class NoFrameStampException extends MalformedDataException {
  private static final long serialVersionUID = 1L;

  public NoFrameStampException(String message) {
    super(message);
  }
}
