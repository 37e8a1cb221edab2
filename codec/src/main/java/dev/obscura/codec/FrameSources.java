package dev.obscura.codec;

import dev.obscura.codec.internal.Encoders;
import dev.obscura.codec.internal.Grabbers;
import dev.obscura.codec.internal.LiveFrameExtractor;
import dev.obscura.codec.internal.LiveFrameSource;
import dev.obscura.codec.internal.SyntheticPipeline;
import dev.obscura.core.FrameSource;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Factories for live-view {@link FrameSource}s: one {@link dev.obscura.core.EncodedFrame} per
 * H.264 access unit, in decoding order, for per-frame sealing (SFrame).
 *
 * <p><b>Guarantees:</b> frame data is Annex B (00 00 00 01 start codes); every keyframe carries
 * the SPS and PPS in front, so a viewer can join at any keyframe with no other configuration. The
 * first frame is a keyframe. {@code presentationMicros} counts from the first frame. Frames leave
 * one frame after they are encoded (the muxer closes a fragment when the next frame arrives).
 *
 * <p><b>Restrictions:</b> video only; single-threaded and pull driven.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (FrameSource live = FrameSources.synthetic(VideoSettings.SD_360P15, null, Duration.ofSeconds(2), true)) {
 *   for (EncodedFrame f; (f = live.next()) != null; ) { sender.send(sframe.seal(f)); }
 * }
 * }</pre>
 */
public final class FrameSources {
  private FrameSources() {}

  /**
   * Encodes the {@link SyntheticCamera}.
   *
   * @param recordDuration how long, or null for ever
   * @param keyframeInterval time between keyframes
   * @param realTime whether to pace frames at the frame rate (as a camera would) rather than
   *     encode as fast as possible
   */
  public static FrameSource synthetic(VideoSettings settings, Duration recordDuration, Duration keyframeInterval,
      boolean realTime) throws IOException {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(keyframeInterval, "keyframeInterval");
    LiveFrameExtractor x = new LiveFrameExtractor();
    return new LiveFrameSource(new SyntheticPipeline(x, Encoders.PER_FRAME_MOVFLAGS, settings, recordDuration,
        Encoders.gopFrames(settings.fps(), keyframeInterval), realTime), x);
  }

  /**
   * Frames from a file, URL or V4L2 device: H.264 input passes through unchanged (apart from
   * the Annex B framing); anything else is re-encoded with a keyframe every {@code
   * keyframeInterval}. {@code inputOptions} are as for {@link Segmenters#open(String, Map,
   * Duration, Duration, VideoSettings, java.time.Clock)}. A file is read as fast as possible,
   * not at its frame rate.
   */
  public static FrameSource open(String urlOrPath, Map<String, String> inputOptions, Duration recordDuration,
      Duration keyframeInterval, VideoSettings reencodeSettings) throws IOException {
    Objects.requireNonNull(urlOrPath, "urlOrPath");
    Objects.requireNonNull(keyframeInterval, "keyframeInterval");
    LiveFrameExtractor x = new LiveFrameExtractor();
    return new LiveFrameSource(Grabbers.pipeline(x, Encoders.PER_FRAME_MOVFLAGS, urlOrPath, inputOptions,
        recordDuration, keyframeInterval, reencodeSettings), x);
  }
}
