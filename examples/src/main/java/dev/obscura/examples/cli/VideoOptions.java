package dev.obscura.examples.cli;

import dev.obscura.codec.VideoSettings;
import dev.obscura.core.Outcome;
import picocli.CommandLine.Option;

/** {@code --width}, {@code --height} and {@code --fps} of {@code record} and {@code demo}. */
final class VideoOptions {
  @Option(names = "--width", defaultValue = "1280", description = "Frame width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "720", description = "Frame height (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--fps", defaultValue = "30", description = "Frames per second (default: ${DEFAULT-VALUE}).")
  int fps;

  /** The settings these options give; invalid ones are a usage error. */
  VideoSettings settings() {
    return settings(width, height, fps);
  }

  /** The settings {@code width}, {@code height} and {@code fps} give; invalid ones are a usage error. */
  static VideoSettings settings(int width, int height, int fps) {
    try {
      return VideoSettings.builder().width(width).height(height).fps(fps).build();
    } catch (IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, "invalid video settings: " + e.getMessage());
    }
  }
}
