package dev.obscura.codec;

import java.io.IOException;

/**
 * A single-pass export met a segment whose codec configuration (codec, picture size, SPS/PPS)
 * differs from the first segment's, so its packets cannot join the same MP4 track without
 * re-encoding. Export from a re-iterable {@link Iterable} instead (which re-encodes), or split
 * the export at {@link #segmentIndex()}.
 */
public class CodecChangedException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int segmentIndex;

  public CodecChangedException(int segmentIndex) {
    super("codec configuration changes at segment " + segmentIndex + " of the export");
    this.segmentIndex = segmentIndex;
  }

  /** Position, from 0, of the first segment that differs, in the export's input. */
  public int segmentIndex() {
    return segmentIndex;
  }
}
