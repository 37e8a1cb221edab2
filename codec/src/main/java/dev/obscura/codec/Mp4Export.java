package dev.obscura.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import dev.obscura.codec.internal.Boxes;
import dev.obscura.codec.internal.CencFileWriter;
import dev.obscura.codec.internal.Encoders;
import dev.obscura.codec.internal.FragmentedMp4Splitter;
import dev.obscura.codec.internal.Grabbers;
import dev.obscura.codec.internal.Pipeline;
import dev.obscura.core.CencSampleEncryptor;
import dev.obscura.core.MalformedDataException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes decrypted segments, in order, as one ordinary (non-fragmented) MP4 file that any player
 * opens.
 *
 * <p>How: each segment's bytes are first checked with a bounded box parser (so malformed input
 * gives a typed error before FFmpeg sees it), then demuxed by FFmpeg, and its H.264 packets are
 * copied bit-exact into a single MP4 with a proper sample index ({@code moov} at the front, so
 * playback starts before the whole file is read). Timestamps are rewritten so that segments
 * follow each other without gaps or overlaps, even if the segments came from different
 * recording sessions whose media clocks restart at zero. If a segment's codec configuration
 * (codec, size, SPS/PPS) differs from the first one's (a camera restarted with other settings),
 * the whole export is instead decoded and re-encoded with libopenh264 at the first segment's size
 * and frame rate; {@link ExportStats#reencoded()} says so.
 *
 * <p>Memory: one segment at a time is held (plus FFmpeg's buffers); the re-encoding fallback
 * iterates the {@link Iterable} a second time rather than keeping segments, and the
 * single-pass {@link Iterator} overload reports a change with {@link CodecChangedException}.
 *
 * <p>The file is written to a temporary sibling and moved into place at the end, so a failed
 * export leaves no partial file behind.
 *
 * <p><b>Sample:</b> {@code ExportStats st = Mp4Export.write(plaintexts, Path.of("clip.mp4"));}
 */
public final class Mp4Export {
  private Mp4Export() {}

  /**
   * Writes {@code segments} (fMP4 plaintexts, in order) to {@code out}, replacing it. If the codec
   * configuration changes, the segments are iterated a second time and re-encoded.
   *
   * @throws MalformedDataException if a segment is not a self-contained fMP4 segment
   * @throws IOException if FFmpeg fails or the file cannot be written
   */
  public static ExportStats write(Iterable<byte[]> segments, Path out) throws IOException, MalformedDataException {
    Objects.requireNonNull(segments, "segments");
    return export(segments.iterator(), segments, out, null);
  }

  /**
   * Writes the segments of a single-pass iterator (fMP4 plaintexts, in order) to {@code out},
   * replacing it; holds one segment at a time.
   *
   * @throws CodecChangedException if the codec configuration changes between segments
   * @throws MalformedDataException if a segment is not a self-contained fMP4 segment
   * @throws IOException if FFmpeg fails or the file cannot be written
   */
  public static ExportStats write(Iterator<byte[]> segments, Path out) throws IOException, MalformedDataException {
    Objects.requireNonNull(segments, "segments");
    return export(segments, null, out, null);
  }

  /**
   * Writes the export to {@code out} through a temporary sibling: an ordinary MP4, or, with an
   * {@code encryptor}, a fragmented MP4 encrypted with ISO Common Encryption ({@link CencMp4Export}).
   */
  static ExportStats export(Iterator<byte[]> segments, Iterable<byte[]> again, Path out,
      CencSampleEncryptor encryptor) throws IOException, MalformedDataException {
    Objects.requireNonNull(out, "out");
    if (!segments.hasNext()) {
      throw new IllegalArgumentException("nothing to export");
    }
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".export-", ".mp4");
    try {
      ExportStats st;
      try {
        st = remux(segments, target(tmp, encryptor));
      } catch (CodecChangedException e) {
        if (again == null) {
          throw e;
        }
        st = reencode(again.iterator(), target(tmp, encryptor));
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new ExportStats(st.segments(), st.frames(), Files.size(out), st.duration(), st.reencoded());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Copies packets; throws {@link CodecChangedException} at the first segment that differs. */
  private static ExportStats remux(Iterator<byte[]> segments, Target target) throws IOException, MalformedDataException {
    FFmpegFrameGrabber g0 = Grabbers.startedOver(checked(segments.next()));
    FFmpegFrameRecorder rec = null;
    try {
      int v0 = videoStream(g0);
      AVRational tb0 = copy(g0.getFormatContext().streams(v0).time_base());
      byte[] config0 = config(g0);
      rec = target.recorder(g0.getImageWidth(), g0.getImageHeight());
      g0.getFormatContext().streams(v0).codecpar().codec_tag(0);
      rec.start(g0.getFormatContext());
      long offset = 0;
      int frames = 0;
      int count = 0;
      FFmpegFrameGrabber g = g0;
      while (g != null) {
        try {
          if (g != g0 && !Arrays.equals(config(g), config0)) {
            throw new CodecChangedException(count);
          }
          int v = videoStream(g);
          AVRational tb = copy(g.getFormatContext().streams(v).time_base());
          long d0 = Long.MIN_VALUE;
          long end = offset;
          long lastDts = Long.MIN_VALUE;
          long lastStep = 1;
          for (AVPacket p; (p = g.grabPacket()) != null; ) {
            if (p.stream_index() != v) {
              continue;
            }
            long dts = av_rescale_q(p.dts() != AV_NOPTS_VALUE ? p.dts() : p.pts(), tb, tb0);
            long pts = p.pts() != AV_NOPTS_VALUE ? av_rescale_q(p.pts(), tb, tb0) : dts;
            long dur = av_rescale_q(p.duration(), tb, tb0);
            if (d0 == Long.MIN_VALUE) {
              if ((p.flags() & AV_PKT_FLAG_KEY) == 0) {
                throw new MalformedDataException("segment " + count + " does not start with a keyframe");
              }
              d0 = dts;
            }
            if (lastDts != Long.MIN_VALUE && dts > lastDts) {
              lastStep = dts - lastDts;
            }
            lastDts = dts;
            long newDts = dts - d0 + offset;
            p.dts(newDts);
            p.pts(pts - d0 + offset);
            p.duration(dur);
            p.stream_index(v0);
            end = Math.max(end, newDts + (dur > 0 ? dur : lastStep));
            rec.recordPacket(p);
            frames++;
          }
          offset = end;
        } finally {
          if (g != g0) {
            g.release();
          }
        }
        count++;
        g = segments.hasNext() ? Grabbers.startedOver(checked(segments.next())) : null;
      }
      target.stop(rec);
      long micros = av_rescale_q(offset, tb0, new AVRational().num(1).den(1_000_000));
      return new ExportStats(count, frames, 0, Duration.ofNanos(micros * 1000), false);
    } finally {
      target.release(rec);
      g0.release();
    }
  }

  /** Decodes every segment and re-encodes at the first segment's size and frame rate. */
  private static ExportStats reencode(Iterator<byte[]> segments, Target target) throws IOException, MalformedDataException {
    FFmpegFrameRecorder rec = null;
    try {
      int fps = 0;
      int frames = 0;
      int count = 0;
      while (segments.hasNext()) {
        FFmpegFrameGrabber g = Grabbers.startedOver(checked(segments.next()));
        try {
          if (rec == null) {
            fps = (int) Math.max(1, Math.min(120, Math.round(g.getFrameRate())));
            int w = Math.max(160, g.getImageWidth() & ~1);
            int h = Math.max(120, g.getImageHeight() & ~1);
            int bitrate = (int) Math.max(100_000, Math.min(20_000_000, (long) w * h * fps / 8));
            VideoSettings s = new VideoSettings(w, h, fps, bitrate);
            rec = target.recorder(w, h);
            Encoders.configureH264(rec, s, fps * 2);
            rec.start();
          }
          for (Frame f; (f = g.grabImage()) != null; ) {
            rec.setFrameNumber(frames);
            rec.record(f, AV_PIX_FMT_BGR24);
            frames++;
          }
        } finally {
          g.release();
        }
        count++;
      }
      if (rec == null) {
        throw new IllegalArgumentException("nothing to export");
      }
      target.stop(rec);
      return new ExportStats(count, frames, 0, Duration.ofNanos(frames * 1_000_000_000L / fps), true);
    } finally {
      target.release(rec);
    }
  }

  /**
   * Where the muxer writes: the temporary file directly (an ordinary MP4, index up front), or a
   * fragmented MP4 through the {@link FragmentedMp4Splitter} into a {@link CencFileWriter}.
   */
  private interface Target {
    /** A recorder of {@code width} x {@code height}, format and options set, not started. */
    FFmpegFrameRecorder recorder(int width, int height) throws IOException;

    /** Stops the recorder (flushing the muxer) and completes the file. */
    void stop(FFmpegFrameRecorder rec) throws IOException;

    /** Releases the recorder (null if none was made) and anything else held. */
    void release(FFmpegFrameRecorder rec) throws IOException;
  }

  private static Target target(Path tmp, CencSampleEncryptor encryptor) throws IOException {
    if (encryptor == null) {
      return new Target() {
        @Override
        public FFmpegFrameRecorder recorder(int width, int height) {
          FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), width, height, 0);
          r.setFormat("mp4");
          r.setOption("movflags", "+faststart");
          return r;
        }

        @Override
        public void stop(FFmpegFrameRecorder rec) throws IOException {
          rec.stop();
        }

        @Override
        public void release(FFmpegFrameRecorder rec) throws IOException {
          if (rec != null) {
            rec.release();
          }
        }
      };
    }
    CencFileWriter file = new CencFileWriter(tmp, encryptor);
    FragmentedMp4Splitter splitter = new FragmentedMp4Splitter(file, Pipeline.MAX_BOX_BYTES);
    // the recorder may close the stream it was given on release: the splitter is closed here
    // only after a clean stop, so a failure (or the codec-change fallback) is not masked
    OutputStream muxed = new FilterOutputStream(splitter) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() {}
    };
    return new Target() {
      @Override
      public FFmpegFrameRecorder recorder(int width, int height) {
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(muxed, width, height, 0);
        r.setFormat("mp4");
        r.setOption("movflags", CencFileWriter.MOVFLAGS);
        return r;
      }

      @Override
      public void stop(FFmpegFrameRecorder rec) throws IOException {
        try {
          rec.stop();
        } catch (IOException | RuntimeException e) {
          throw splitter.failureOr(e, "muxing failed");
        }
        if (splitter.failure() != null) {
          throw splitter.failure();
        }
        splitter.close();
        file.finish();
      }

      @Override
      public void release(FFmpegFrameRecorder rec) throws IOException {
        try {
          if (rec != null) {
            rec.release();
          }
        } finally {
          file.close();
        }
      }
    };
  }

  private static byte[] checked(byte[] seg) throws MalformedDataException {
    Objects.requireNonNull(seg, "segment");
    Boxes.parseSegment(seg);
    return seg;
  }

  private static int videoStream(FFmpegFrameGrabber g) throws MalformedDataException {
    int v = g.getVideoStream();
    if (v < 0) {
      throw new MalformedDataException("segment has no video stream");
    }
    return v;
  }

  private static AVRational copy(AVRational r) {
    return new AVRational().num(r.num()).den(r.den());
  }

  /** Codec id, size and extradata (SPS/PPS) of the video stream, as bytes to compare. */
  private static byte[] config(FFmpegFrameGrabber g) throws MalformedDataException {
    AVCodecParameters par = g.getFormatContext().streams(videoStream(g)).codecpar();
    int n = Math.max(0, par.extradata_size());
    byte[] out = new byte[12 + n];
    java.nio.ByteBuffer.wrap(out).putInt(par.codec_id()).putInt(par.width()).putInt(par.height());
    if (n > 0) {
      par.extradata().get(out, 12, n);
    }
    return out;
  }
}
