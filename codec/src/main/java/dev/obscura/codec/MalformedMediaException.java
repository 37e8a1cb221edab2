package dev.obscura.codec;

import dev.obscura.core.MalformedDataException;
import java.io.IOException;

/**
 * Media bytes (fragmented MP4 from a muxer or a decrypted segment) that do not parse: a box cut
 * short, a size field out of range, a fragment without its init. An {@link IOException} so that
 * it can cross {@link dev.obscura.core.SegmentSource#next()}; the parser's {@link
 * MalformedDataException}, if any, is the cause.
 */
public class MalformedMediaException extends IOException {
  private static final long serialVersionUID = 1L;

  public MalformedMediaException(String message, MalformedDataException cause) {
    super(message, cause);
  }
}
