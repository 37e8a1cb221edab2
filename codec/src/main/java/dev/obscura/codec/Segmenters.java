package dev.obscura.codec;

import dev.obscura.codec.internal.AssembledSegmentSource;
import dev.obscura.codec.internal.Encoders;
import dev.obscura.codec.internal.Grabbers;
import dev.obscura.codec.internal.Pipeline;
import dev.obscura.codec.internal.SegmentAssembler;
import dev.obscura.codec.internal.SyntheticPipeline;
import dev.obscura.core.SegmentSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Factories for {@link SegmentSource}s that turn video into keyframe-aligned, self-contained
 * fragmented MP4 (CMAF) segments.
 *
 * <p><b>Guarantees:</b> every {@link dev.obscura.core.MediaSegment} holds the init segment
 * ({@code ftyp}+{@code moov}) followed by one or more {@code moof}+{@code mdat} fragments; its
 * first frame is a keyframe, so it decodes on its own. Indices count from 0 without gaps.
 * {@code mediaStartMicros} is the decode time of the first frame from the start of the
 * recording (equal to its presentation time for streams without B-frames, such as ours);
 * {@code startTime} is the {@link Clock}'s instant when the source was opened plus that media
 * time. Segments last about the target duration: a segment can only end at a keyframe, so with
 * passthrough the length follows the source's GOP.
 *
 * <p><b>Restrictions:</b> video only (audio is dropped). Sources are single-threaded and pull
 * driven: work happens inside {@code next()}.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (SegmentSource src = Segmenters.synthetic(VideoSettings.HD_720P30,
 *     Duration.ofSeconds(10), Duration.ofSeconds(2), Clock.systemUTC())) {
 *   for (MediaSegment s; (s = src.next()) != null; ) { sealer.seal(s); }
 * }
 * }</pre>
 */
public final class Segmenters {
  private Segmenters() {}

  /**
   * Encodes {@code recordDuration} of {@link SyntheticCamera} video with libopenh264, as fast as
   * the CPU allows (not in real time), with one GOP per segment.
   */
  public static StoppableSegmentSource synthetic(VideoSettings settings, Duration recordDuration, Duration segmentDuration,
      Clock clock) throws IOException {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(recordDuration, "recordDuration");
    checkDurations(recordDuration, segmentDuration);
    SegmentAssembler a = new SegmentAssembler(segmentDuration, clock.instant());
    Pipeline p = new SyntheticPipeline(a, Encoders.FRAGMENTED_MOVFLAGS, settings, recordDuration,
        Encoders.gopFrames(settings.fps(), segmentDuration), false);
    return new AssembledSegmentSource(p, a);
  }

  /**
   * Segments a file, URL ({@code rtsp://...}) or V4L2 device ({@code /dev/video0}). H.264 input is
   * copied packet for packet (no re-encode) and cut at its own keyframes nearest the target
   * duration; anything else is decoded and re-encoded to H.264 with one GOP per segment.
   *
   * @param recordDuration how much to record, or null for everything until the input ends
   * @param reencodeSettings settings for re-encoding input that is not H.264, or null to keep the
   *     input's size and rate; not used for H.264 input
   * @throws IOException if the input cannot be opened or has no video
   */
  public static StoppableSegmentSource open(String urlOrPath, Duration recordDuration, Duration segmentDuration,
      VideoSettings reencodeSettings, Clock clock) throws IOException {
    return open(urlOrPath, Map.of(), recordDuration, segmentDuration, reencodeSettings, clock);
  }

  /**
   * Like {@link #open(String, Duration, Duration, VideoSettings, Clock)}, with FFmpeg input
   * options passed to the demuxer or device, for example {@code input_format=h264} and {@code
   * video_size=1280x720} for a V4L2 camera that encodes H.264 itself, or {@code
   * rtsp_flags=listen} and {@code listen_timeout=10} to receive an RTSP push instead of pulling.
   * RTSP URLs default to {@code rtsp_transport=tcp} and a 10 s socket timeout; options given here
   * win. The wall-clock start is read from {@code clock} once the input is open.
   */
  public static StoppableSegmentSource open(String urlOrPath, Map<String, String> inputOptions, Duration recordDuration,
      Duration segmentDuration, VideoSettings reencodeSettings, Clock clock) throws IOException {
    Objects.requireNonNull(urlOrPath, "urlOrPath");
    Objects.requireNonNull(inputOptions, "inputOptions");
    Objects.requireNonNull(clock, "clock");
    checkDurations(recordDuration, segmentDuration);
    SegmentAssembler a = new SegmentAssembler(segmentDuration);
    Pipeline p = Grabbers.pipeline(a, Encoders.FRAGMENTED_MOVFLAGS, urlOrPath, inputOptions, recordDuration,
        segmentDuration, reencodeSettings);
    a.wallClockStart(clock.instant());
    return new AssembledSegmentSource(p, a);
  }

  private static void checkDurations(Duration record, Duration segment) {
    Objects.requireNonNull(segment, "segmentDuration");
    if (segment.isNegative() || segment.toMillis() < 100) {
      throw new IllegalArgumentException("segment duration must be at least 100 ms");
    }
    if (record != null && (record.isNegative() || record.isZero())) {
      throw new IllegalArgumentException("record duration must be positive");
    }
  }
}
