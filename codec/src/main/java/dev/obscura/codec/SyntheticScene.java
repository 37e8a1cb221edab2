package dev.obscura.codec;

/**
 * What the {@link SyntheticCamera} films. Only the synthetic sources read it; encoders and the
 * re-encoding of real input ignore it.
 *
 * <p>The {@link #TEST_PATTERN} compresses far below any usual target bitrate (about 240 kbit/s
 * when asked for 2 Mbit/s at 1080p), which makes it fast for tests but unrealistic for
 * benchmarks. The {@link #TEXTURED} scene is built to make the encoder spend its whole budget,
 * as a real camera's sensor noise and foliage do.
 *
 * <p>The scripted scenes ({@link #IDLE}, {@link #SLOW_MOTION}, {@link #PERSON_CROSSING}, {@link
 * #BUSY_STREET}) film TEXTURED's still background with a fixed, mild sensor grain (±3 levels,
 * whatever the bitrate) and differ only in what moves, so the bitrate differences between them
 * come from motion: what a provider watching sizes and timing would see (docs/padding.md). Every
 * scene is deterministic: frame {@code n} is always the same picture.
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
  TEXTURED,
  /** The background and grain alone: nothing moves. */
  IDLE,
  /** One small object drifting slowly (about a pixel a frame) across the background. */
  SLOW_MOTION,
  /**
   * A person-sized shape (a body about half the picture's height, and a head) walking across the
   * frame in 3 seconds, once every 8 seconds (frames 0 to 3 s of each 8 s cycle), the rest idle.
   */
  PERSON_CROSSING,
  /** Many shapes (cars and pedestrians) moving at different speeds, all the time. */
  BUSY_STREET;

  /** Whether this is one of the scripted scenes over the textured background. */
  boolean scripted() {
    return this == IDLE || this == SLOW_MOTION || this == PERSON_CROSSING || this == BUSY_STREET;
  }
}
