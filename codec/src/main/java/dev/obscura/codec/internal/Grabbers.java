package dev.obscura.codec.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** Opens {@link FFmpegFrameGrabber}s for the kinds of input Obscura reads. Internal: not API. */
public final class Grabbers {
  private Grabbers() {}

  /** A grabber for a file path, a URL (rtsp, http, ...) or a V4L2 device ({@code /dev/video*}); not started. */
  public static FFmpegFrameGrabber forInput(String urlOrPath) {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(urlOrPath);
    if (urlOrPath.startsWith("/dev/video")) {
      g.setFormat("v4l2");
    } else if (urlOrPath.startsWith("rtsp://") || urlOrPath.startsWith("rtsps://")) {
      g.setOption("rtsp_transport", "tcp");
      g.setOption("timeout", "10000000"); // socket I/O timeout, microseconds
    }
    return g;
  }

  /**
   * Opens and starts a grabber for {@code urlOrPath} with {@code options}, checks that it has
   * video, and builds a pipeline: passthrough for H.264, re-encoding otherwise.
   */
  public static Pipeline pipeline(FragmentedMp4Splitter.Listener listener, String movflags, String urlOrPath,
      java.util.Map<String, String> options, java.time.Duration record, java.time.Duration keyframeInterval,
      dev.obscura.codec.VideoSettings reencode) throws IOException {
    FFmpegFrameGrabber g = forInput(urlOrPath);
    options.forEach(g::setOption);
    try {
      g.start();
      if (g.getVideoStream() < 0 || g.getImageWidth() <= 0) {
        throw new IOException("input has no video stream");
      }
      if (g.getVideoCodec() == org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264) {
        return GrabberPipeline.passthrough(listener, movflags, g, record);
      }
      dev.obscura.codec.VideoSettings s = reencode;
      if (s == null) {
        int fps = (int) Math.max(1, Math.min(120, Math.round(g.getFrameRate())));
        s = dev.obscura.codec.VideoSettings.builder().width(Math.max(160, g.getImageWidth() & ~1))
            .height(Math.max(120, g.getImageHeight() & ~1)).fps(fps).build();
      }
      return GrabberPipeline.transcode(listener, movflags, g, record, keyframeInterval, s);
    } catch (IOException | RuntimeException e) {
      try {
        g.release();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** A started grabber over fMP4 bytes in memory, with the video decoder not needed for packets. */
  public static FFmpegFrameGrabber startedOver(byte[] mp4) throws IOException {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(mp4), 0);
    g.setFormat("mp4");
    g.start();
    return g;
  }
}
