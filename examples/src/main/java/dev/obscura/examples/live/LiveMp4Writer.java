package dev.obscura.examples.live;

import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import dev.obscura.core.EncodedFrame;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * Writes the decrypted live frames a viewer received (H.264 access units in Annex B, SPS and PPS
 * in front of every keyframe, as {@link dev.obscura.codec.FrameSources} makes them) as one
 * ordinary MP4 file with {@code moov} at the front.
 *
 * <p>How: frames are appended to a temporary raw H.264 file beside the output while they arrive
 * (so memory stays flat whatever the length: 8 bytes per frame for its time), and {@link
 * #finish()} remuxes that file with FFmpeg, packet for packet, bit-exact (no re-encode), giving
 * each packet the presentation time the camera sealed into the frame, relative to the first
 * frame and forced strictly increasing. The file appears under its final name only when complete.
 *
 * <p><b>Restrictions:</b> the first frame must be a keyframe. One codec configuration per file
 * (a camera that restarts with another resolution mid-watch is not handled). Not thread-safe.
 */
public final class LiveMp4Writer implements Closeable {
  private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);

  private final Path out;
  private final Path elementary;
  private final OutputStream es;
  private long[] times = new long[256];
  private int frames;
  private long firstMicros;
  private long lastMicros;
  private boolean closed;

  /** Prepares to write {@code out}; nothing appears there before {@link #finish()}. */
  public LiveMp4Writer(Path out) throws IOException {
    this.out = Objects.requireNonNull(out, "out").toAbsolutePath();
    Path dir = this.out.getParent();
    this.elementary = Files.createTempFile(dir, ".watch-", ".h264");
    this.es = new BufferedOutputStream(Files.newOutputStream(elementary), 1 << 16);
  }

  /** Appends one frame; the first must be a keyframe. */
  public void write(EncodedFrame frame) throws IOException {
    if (closed) {
      throw new IOException("writer is closed");
    }
    if (frames == 0 && !frame.keyframe()) {
      throw new IllegalArgumentException("the first frame must be a keyframe");
    }
    long t;
    if (frames == 0) {
      firstMicros = frame.presentationMicros();
      t = 0;
    } else {
      t = frame.presentationMicros() - firstMicros;
      if (t <= lastMicros) { // a restarted camera's clock: keep time moving forward
        long step = frames > 1 ? Math.max(1, times[frames - 1] - times[frames - 2]) : 33_333;
        firstMicros -= lastMicros + step - t;
        t = lastMicros + step;
      }
    }
    if (frames == times.length) {
      times = Arrays.copyOf(times, frames * 2);
    }
    times[frames++] = t;
    lastMicros = t;
    es.write(frame.data());
  }

  /** Frames written so far. */
  public int frames() {
    return frames;
  }

  /** Media time from the first frame to the end of the last one (estimated from the step before it). */
  public Duration duration() {
    if (frames == 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((times[frames - 1] + step(frames - 1)) * 1000);
  }

  private long step(int i) {
    if (i + 1 < frames) {
      return Math.max(1, times[i + 1] - times[i]);
    }
    return i > 0 ? Math.max(1, times[i] - times[i - 1]) : 66_667;
  }

  /**
   * Remuxes what was written into the MP4 and moves it into place.
   *
   * @return the number of frames in the file
   * @throws IllegalStateException if no frame was written
   * @throws IOException if FFmpeg fails or the file cannot be written (nothing is left behind)
   */
  public int finish() throws IOException {
    if (frames == 0) {
      throw new IllegalStateException("no frame to write");
    }
    es.close();
    Path tmp = Files.createTempFile(out.getParent(), ".watch-", ".mp4");
    try {
      int n = remux(tmp);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return n;
    } finally {
      Files.deleteIfExists(tmp);
      close();
    }
  }

  private int remux(Path tmp) throws IOException {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(elementary.toFile());
    FFmpegFrameRecorder rec = null;
    try {
      g.setFormat("h264");
      g.start();
      int v = g.getVideoStream();
      if (v < 0) {
        throw new IOException("the received frames hold no H.264 video");
      }
      AVFormatContext ic = g.getFormatContext();
      AVRational tb = ic.streams(v).time_base();
      ic.streams(v).codecpar().codec_tag(0);
      rec = new FFmpegFrameRecorder(tmp.toFile(), g.getImageWidth(), g.getImageHeight(), 0);
      rec.setFormat("mp4");
      rec.setOption("movflags", "+faststart");
      rec.start(ic);
      int i = 0;
      for (AVPacket p; (p = g.grabPacket()) != null; ) {
        if (p.stream_index() != v) {
          continue;
        }
        // the raw H.264 demuxer splits access units as the camera did; should it split
        // differently, the times of the frames beyond ours continue at the last step
        long us = i < frames ? times[i] : times[frames - 1] + (long) (i - frames + 1) * step(frames - 1);
        long dur = i < frames ? step(i) : step(frames - 1);
        long t = av_rescale_q(us, MICROS, tb);
        p.pts(t);
        p.dts(t);
        p.duration(Math.max(1, av_rescale_q(dur, MICROS, tb)));
        rec.recordPacket(p);
        i++;
      }
      rec.stop();
      return i;
    } catch (FFmpegFrameGrabber.Exception | FFmpegFrameRecorder.Exception e) {
      throw new IOException("FFmpeg could not write the MP4: " + e.getMessage(), e);
    } finally {
      if (rec != null) {
        rec.release();
      }
      g.release();
    }
  }

  /** Deletes the temporary file; the output is left alone if {@link #finish()} completed. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      es.close();
    } finally {
      Files.deleteIfExists(elementary);
    }
  }
}
