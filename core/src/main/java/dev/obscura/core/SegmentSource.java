package dev.obscura.core;

import java.io.Closeable;
import java.io.IOException;

/**
 * Pulls plaintext media segments from a camera, a file or any other producer.
 *
 * <p>Implementations: the segmenting encoders of {@code obscura-codec}.
 */
public interface SegmentSource extends Closeable {
  /**
   * Blocks until the next complete segment is available.
   *
   * @return the next segment, or {@code null} when the source has ended
   * @throws IOException if capture or encoding fails
   */
  MediaSegment next() throws IOException;
}
