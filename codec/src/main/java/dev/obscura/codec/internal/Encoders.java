package dev.obscura.codec.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import dev.obscura.codec.VideoSettings;
import java.io.OutputStream;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/** Recorder configurations shared by the segmenters and the export. Internal: not API. */
public final class Encoders {
  /** Fragmented MP4: a fragment per keyframe, init up front, CMAF brand. */
  public static final String FRAGMENTED_MOVFLAGS = "cmaf+frag_keyframe+empty_moov+default_base_moof";
  /** Fragmented MP4 with one fragment per frame, for live view. */
  public static final String PER_FRAME_MOVFLAGS = "frag_every_frame+empty_moov+default_base_moof";

  private Encoders() {}

  /** An H.264 (libopenh264) recorder writing fragmented MP4 to {@code out}; not started. */
  public static FFmpegFrameRecorder fragmentedH264(OutputStream out, VideoSettings s, int gopFrames, String movflags) {
    FFmpegFrameRecorder r = new FFmpegFrameRecorder(out, s.width(), s.height(), 0);
    configureH264(r, s, gopFrames);
    r.setFormat("mp4");
    r.setOption("movflags", movflags);
    return r;
  }

  /** Sets codec, pixel format, rate, GOP and bitrate. */
  public static void configureH264(FFmpegFrameRecorder r, VideoSettings s, int gopFrames) {
    r.setVideoCodecName("libopenh264");
    r.setPixelFormat(AV_PIX_FMT_YUV420P);
    r.setFrameRate(s.fps());
    r.setGopSize(gopFrames);
    r.setVideoBitrate(s.bitrateBitsPerSecond());
    r.setVideoOption("allow_skip_frames", "0");
  }

  /** Frames per GOP so that one GOP lasts the segment duration (at least 1). */
  public static int gopFrames(int fps, java.time.Duration segment) {
    long g = Math.round(segment.toNanos() * (double) fps / 1e9);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, g));
  }
}
