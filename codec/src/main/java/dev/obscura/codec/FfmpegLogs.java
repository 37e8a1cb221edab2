package dev.obscura.codec;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's log level, which is process-wide and by default prints stream banners to stderr for
 * every file opened. Obscura never changes it on its own; applications call one of these once.
 */
public final class FfmpegLogs {
  private FfmpegLogs() {}

  /** Only errors (what a command-line tool usually wants). */
  public static void errorsOnly() {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  /** FFmpeg's default: informational messages and above. */
  public static void info() {
    avutil.av_log_set_level(avutil.AV_LOG_INFO);
  }
}
