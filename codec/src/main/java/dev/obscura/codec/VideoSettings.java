package dev.obscura.codec;

/**
 * Immutable encoder settings: picture size, frame rate and target bitrate, and the scene a
 * {@link SyntheticCamera} films with them.
 *
 * <p><b>Restrictions:</b> width and height are even (H.264 4:2:0), width from 160 to 7680,
 * height from 120 to 4320 (the stamp of {@link SyntheticCamera} needs 160 pixels across), frame
 * rate from 1 to 120, bitrate from 50 kbit/s to 100 Mbit/s.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * VideoSettings s = VideoSettings.builder().width(640).height(360).fps(15).build();
 * }</pre>
 *
 * @param width picture width in pixels
 * @param height picture height in pixels
 * @param fps frames per second (constant frame rate)
 * @param bitrateBitsPerSecond target bitrate of the encoder
 * @param scene what a {@link SyntheticCamera} films; ignored by everything else
 */
public record VideoSettings(int width, int height, int fps, int bitrateBitsPerSecond, SyntheticScene scene) {
  /** 1280x720 at 30 fps, 2 Mbit/s. */
  public static final VideoSettings HD_720P30 = new VideoSettings(1280, 720, 30, 2_000_000);
  /** 640x360 at 15 fps, 600 kbit/s. */
  public static final VideoSettings SD_360P15 = new VideoSettings(640, 360, 15, 600_000);
  /** 320x240 at 15 fps, 300 kbit/s: for tests. */
  public static final VideoSettings QVGA_240P15 = new VideoSettings(320, 240, 15, 300_000);

  /**
   * Settings with the {@link SyntheticScene#TEST_PATTERN} scene; validates as the canonical
   * constructor does.
   *
   * @param width picture width in pixels
   * @param height picture height in pixels
   * @param fps frames per second
   * @param bitrateBitsPerSecond target bitrate of the encoder
   * @throws IllegalArgumentException if a value is out of range
   */
  public VideoSettings(int width, int height, int fps, int bitrateBitsPerSecond) {
    this(width, height, fps, bitrateBitsPerSecond, SyntheticScene.TEST_PATTERN);
  }

  /**
   * Validates; prefer {@link #builder()}.
   *
   * @throws IllegalArgumentException if a value is out of range
   * @throws NullPointerException if {@code scene} is null
   */
  public VideoSettings {
    java.util.Objects.requireNonNull(scene, "scene");
    if (width < 160 || width > 7680 || (width & 1) != 0) {
      throw new IllegalArgumentException("width must be even, 160..7680: " + width);
    }
    if (height < 120 || height > 4320 || (height & 1) != 0) {
      throw new IllegalArgumentException("height must be even, 120..4320: " + height);
    }
    if (fps < 1 || fps > 120) {
      throw new IllegalArgumentException("fps must be 1..120: " + fps);
    }
    if (bitrateBitsPerSecond < 50_000 || bitrateBitsPerSecond > 100_000_000) {
      throw new IllegalArgumentException("bitrate must be 50 kbit/s..100 Mbit/s: " + bitrateBitsPerSecond);
    }
  }

  /** Starts from {@link #HD_720P30}. */
  public static Builder builder() {
    return new Builder(HD_720P30);
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds {@link VideoSettings}; everything is validated in {@link #build()}. */
  public static final class Builder {
    private int width;
    private int height;
    private int fps;
    private int bitrate;
    private SyntheticScene scene;

    private Builder(VideoSettings s) {
      width = s.width;
      height = s.height;
      fps = s.fps;
      bitrate = s.bitrateBitsPerSecond;
      scene = s.scene;
    }

    public Builder width(int w) {
      width = w;
      return this;
    }

    public Builder height(int h) {
      height = h;
      return this;
    }

    public Builder fps(int f) {
      fps = f;
      return this;
    }

    public Builder bitrateBitsPerSecond(int b) {
      bitrate = b;
      return this;
    }

    /**
     * Sets the scene a {@link SyntheticCamera} films (default {@link SyntheticScene#TEST_PATTERN}).
     *
     * @param s the scene
     * @return this builder
     */
    public Builder scene(SyntheticScene s) {
      scene = s;
      return this;
    }

    public VideoSettings build() {
      return new VideoSettings(width, height, fps, bitrate, scene);
    }
  }
}
