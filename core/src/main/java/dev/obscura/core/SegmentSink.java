package dev.obscura.core;

import java.io.Closeable;
import java.io.IOException;

/**
 * Accepts plaintext media segments, in order. A sealer is a sink: it encrypts each segment and
 * hands the ciphertext to a {@link SegmentStore}.
 */
public interface SegmentSink extends Closeable {
  /**
   * Consumes one segment. When this returns, the segment is durable as far as the sink
   * promises (a sealing sink: committed to its store).
   */
  void accept(MediaSegment segment) throws IOException;
}
