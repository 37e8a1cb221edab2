package dev.obscura.codec;

/**
 * What the {@link SyntheticCamera} films. Only the synthetic sources read it; encoders and the
 * re-encoding of real input ignore it.
 *
 * <p>The {@link #TEST_PATTERN} compresses far below any usual target bitrate (about 240 kbit/s
 * when asked for 2 Mbit/s at 1080p), which makes it fast for tests but unrealistic for
 * benchmarks. The {@link #TEXTURED} scene is built to make the encoder spend its whole budget,
 * as a real camera's sensor noise and foliage do.
 */
public enum SyntheticScene {
  /** Colour bars with a vertical gradient and one bouncing box; the default. */
  TEST_PATTERN,
  /**
   * A fixed camera's view: a still fine-grained background, per-frame grain (temporal noise of ±3 to ±12
   * levels, stronger the more bits per pixel the target allows), and several moving boxes: it reaches at least about 80% of the target bitrate at
   * 720p and 1080p from 1 to 4 Mbit/s. Frame {@code n} is still always the same picture, and the
   * {@link FrameStamp} is drawn clean over the noise.
   */
  TEXTURED
}
