package dev.obscura.codec.internal;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import dev.obscura.codec.VideoSettings;
import java.io.IOException;
import java.time.Duration;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Feeds the video of a started {@link FFmpegFrameGrabber} to the muxer: by packet passthrough
 * (no re-encode; fragments cut at the source's keyframes) or by decoding and re-encoding to H.264.
 * Internal: not API.
 */
public final class GrabberPipeline extends Pipeline {
  private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);

  private final FFmpegFrameGrabber grabber;
  private final boolean passthrough;
  private final long limitMicros;
  private final int fps;
  private final int videoStream;
  private final AVRational timeBase;
  private long firstTs = Long.MIN_VALUE;
  private long lastFrameIndex = -1;
  private long lastTs = Long.MIN_VALUE;
  private long lastStep = 1;

  private GrabberPipeline(FragmentedMp4Splitter.Listener listener, String movflags, FFmpegFrameGrabber grabber,
      boolean passthrough, Duration record, Duration keyframeInterval, VideoSettings settings) throws IOException {
    super(listener);
    this.grabber = grabber;
    this.passthrough = passthrough;
    this.limitMicros = record == null ? Long.MAX_VALUE : record.toNanos() / 1000;
    this.videoStream = grabber.getVideoStream();
    AVStream st = grabber.getFormatContext().streams(videoStream);
    this.timeBase = new AVRational().num(st.time_base().num()).den(st.time_base().den());
    if (passthrough) {
      this.fps = 0;
      st.codecpar().codec_tag(0); // e.g. MPEG-TS tags do not fit MP4
      this.recorder = new org.bytedeco.javacv.FFmpegFrameRecorder(splitter, grabber.getImageWidth(), grabber.getImageHeight(), 0);
      recorder.setFormat("mp4");
      recorder.setOption("movflags", movflags);
      recorder.start(grabber.getFormatContext());
    } else {
      this.fps = settings.fps();
      this.recorder = Encoders.fragmentedH264(splitter, settings, Encoders.gopFrames(settings.fps(), keyframeInterval), movflags);
      recorder.start();
    }
  }

  /** Passthrough of H.264 packets from {@code grabber} (started); null {@code record} = until the end. */
  public static GrabberPipeline passthrough(FragmentedMp4Splitter.Listener listener, String movflags,
      FFmpegFrameGrabber grabber, Duration record) throws IOException {
    return new GrabberPipeline(listener, movflags, grabber, true, record, null, null);
  }

  /** Decode and re-encode with {@code settings}, a keyframe every {@code keyframeInterval}. */
  public static GrabberPipeline transcode(FragmentedMp4Splitter.Listener listener, String movflags,
      FFmpegFrameGrabber grabber, Duration record, Duration keyframeInterval, VideoSettings settings) throws IOException {
    return new GrabberPipeline(listener, movflags, grabber, false, record, keyframeInterval, settings);
  }

  /** Whether packets are copied without re-encoding. */
  public boolean isPassthrough() {
    return passthrough;
  }

  @Override
  protected boolean step() throws IOException {
    return passthrough ? stepPacket() : stepFrame();
  }

  private boolean stepPacket() throws IOException {
    AVPacket pkt = grabber.grabPacket();
    if (pkt == null) {
      return false;
    }
    if (pkt.stream_index() != videoStream) {
      return true;
    }
    boolean key = (pkt.flags() & AV_PKT_FLAG_KEY) != 0;
    if (firstTs == Long.MIN_VALUE && !key) {
      return true; // wait for a keyframe: a segment must decode on its own
    }
    long ts = fixTimestamps(pkt);
    if (firstTs == Long.MIN_VALUE) {
      firstTs = ts;
    }
    if (av_rescale_q(ts - firstTs, timeBase, MICROS) >= limitMicros) {
      return false;
    }
    recorder.recordPacket(pkt);
    return true;
  }

  /**
   * Gives every packet a decode time the MP4 muxer accepts: RTSP delivers the first packet
   * before RTCP timing is known (no timestamp), and cameras glitch. A missing time continues
   * the previous step; a decode time that does not increase is nudged forward by one tick.
   */
  private long fixTimestamps(AVPacket pkt) {
    long dts = pkt.dts();
    long pts = pkt.pts();
    if (dts == AV_NOPTS_VALUE && pts == AV_NOPTS_VALUE) {
      dts = lastTs == Long.MIN_VALUE ? 0 : lastTs + lastStep;
      pts = dts;
    } else if (dts == AV_NOPTS_VALUE) {
      dts = pts;
    } else if (pts == AV_NOPTS_VALUE) {
      pts = dts;
    }
    if (lastTs != Long.MIN_VALUE && dts <= lastTs) {
      dts = lastTs + 1;
      pts = Math.max(pts, dts);
    }
    if (lastTs != Long.MIN_VALUE) {
      lastStep = Math.max(1, dts - lastTs);
    }
    lastTs = dts;
    pkt.dts(dts);
    pkt.pts(pts);
    return dts;
  }

  private boolean stepFrame() throws IOException {
    Frame f = grabber.grabImage();
    if (f == null) {
      return false;
    }
    long ts = f.timestamp;
    if (firstTs == Long.MIN_VALUE) {
      firstTs = ts;
    }
    long rel = ts - firstTs;
    if (rel >= limitMicros) {
      return false;
    }
    long idx = Math.round(rel * fps / 1e6);
    if (idx <= lastFrameIndex) {
      return true; // source faster than the target rate: drop
    }
    lastFrameIndex = idx;
    recorder.setFrameNumber((int) idx);
    recorder.record(f, AV_PIX_FMT_BGR24);
    return true;
  }

  @Override
  protected void closeInput() throws IOException {
    grabber.release();
  }
}
