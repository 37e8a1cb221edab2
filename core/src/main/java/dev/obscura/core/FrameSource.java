package dev.obscura.core;

import java.io.Closeable;
import java.io.IOException;

/** Pulls encoded frames, in decoding order, for live view. */
public interface FrameSource extends Closeable {
  /**
   * Blocks until the next frame is available.
   *
   * @return the next frame, or {@code null} when the source has ended
   */
  EncodedFrame next() throws IOException;
}
