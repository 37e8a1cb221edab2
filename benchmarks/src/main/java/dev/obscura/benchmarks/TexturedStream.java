package dev.obscura.benchmarks;

import dev.obscura.codec.FfmpegLogs;
import dev.obscura.codec.FrameSources;
import dev.obscura.codec.Segmenters;
import dev.obscura.codec.SyntheticScene;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.FrameSource;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.SegmentSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A realistic stream for the benchmarks: the synthetic camera's {@link SyntheticScene#TEXTURED}
 * scene encoded by openh264, which really reaches its target bitrate, a keyframe every second.
 */
final class TexturedStream {
  static final int FPS = 30;
  static final Duration KEYFRAME_INTERVAL = Duration.ofSeconds(1);

  private TexturedStream() {}

  static VideoSettings settings(int height, int bitrate) {
    FfmpegLogs.errorsOnly();
    return VideoSettings.builder().width(height * 16 / 9 & ~1).height(height).fps(FPS)
        .bitrateBitsPerSecond(bitrate).scene(SyntheticScene.TEXTURED).build();
  }

  /** {@code seconds} of live frames (one access unit each, Annex B). */
  static List<EncodedFrame> frames(VideoSettings s, int seconds) throws IOException {
    List<EncodedFrame> out = new ArrayList<>();
    try (FrameSource src = FrameSources.synthetic(s, Duration.ofSeconds(seconds), KEYFRAME_INTERVAL, false)) {
      for (EncodedFrame f; (f = src.next()) != null; ) {
        out.add(f);
      }
    }
    return out;
  }

  /** {@code seconds} of one-second fragmented MP4 segments. */
  static List<MediaSegment> segments(VideoSettings s, int seconds) throws IOException {
    List<MediaSegment> out = new ArrayList<>();
    try (SegmentSource src = Segmenters.synthetic(s, Duration.ofSeconds(seconds), KEYFRAME_INTERVAL,
        Clock.systemUTC())) {
      for (MediaSegment m; (m = src.next()) != null; ) {
        out.add(m);
      }
    }
    return out;
  }

  /** Measured bitrate of {@code frames} at {@link #FPS}. */
  static double bitrate(List<EncodedFrame> frames) {
    long bytes = 0;
    for (EncodedFrame f : frames) {
      bytes += f.data().length;
    }
    return bytes * 8.0 * FPS / frames.size();
  }
}
