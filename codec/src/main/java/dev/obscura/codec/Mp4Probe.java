package dev.obscura.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.obscura.codec.internal.Grabbers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Reads the basic facts of an MP4 (plain or fragmented) by demuxing it with FFmpeg: the number
 * of video frames is counted packet by packet, not taken from the header, so it is exact.
 *
 * <p><b>Sample:</b> {@code Mp4Probe.Result r = Mp4Probe.probe(Path.of("out.mp4"));}
 */
public final class Mp4Probe {
  private Mp4Probe() {}

  /**
   * What a probe found.
   *
   * @param frames video frames (packets) in the file
   * @param keyframes how many of them are keyframes
   * @param width picture width
   * @param height picture height
   * @param duration container duration (or the video stream's, if the container has none)
   * @param codec FFmpeg codec name of the video stream
   */
  public record Result(int frames, int keyframes, int width, int height, Duration duration, String codec) {}

  /** Probes a file. */
  public static Result probe(Path mp4) throws IOException {
    if (!Files.isRegularFile(mp4)) {
      throw new IOException("not a file: " + mp4);
    }
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile());
    try {
      g.start();
      return probe(g);
    } finally {
      g.release();
    }
  }

  /** Probes MP4 bytes in memory, such as one segment's plaintext. */
  public static Result probe(byte[] mp4) throws IOException {
    FFmpegFrameGrabber g = Grabbers.startedOver(mp4);
    try {
      return probe(g);
    } finally {
      g.release();
    }
  }

  private static Result probe(FFmpegFrameGrabber g) throws IOException {
    int video = g.getVideoStream();
    if (video < 0) {
      throw new IOException("no video stream");
    }
    int frames = 0;
    int keys = 0;
    long first = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    var tb = g.getFormatContext().streams(video).time_base();
    for (AVPacket p; (p = g.grabPacket()) != null; ) {
      if (p.stream_index() == video) {
        frames++;
        if ((p.flags() & org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY) != 0) {
          keys++;
        }
        if (p.pts() != AV_NOPTS_VALUE) {
          first = Math.min(first, p.pts());
          end = Math.max(end, p.pts() + Math.max(0, p.duration()));
        }
      }
    }
    long micros = g.getLengthInTime();
    if (micros <= 0 && frames > 0 && first != Long.MAX_VALUE) {
      micros = (end - first) * 1_000_000L * tb.num() / tb.den();
    }
    return new Result(frames, keys, g.getImageWidth(), g.getImageHeight(), Duration.ofNanos(Math.max(0, micros) * 1000),
        g.getVideoCodecName());
  }
}
