package dev.obscura.codec;

import dev.obscura.core.MediaSegment;
import dev.obscura.core.SegmentSource;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Shared helpers for the codec tests. */
final class TestMedia {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  static {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  private TestMedia() {}

  static void quiet() {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  static List<MediaSegment> drain(SegmentSource src) throws Exception {
    List<MediaSegment> out = new ArrayList<>();
    try (src) {
      for (MediaSegment m; (m = src.next()) != null; ) {
        out.add(m);
      }
    }
    return out;
  }

  static List<MediaSegment> synthetic(VideoSettings s, Duration total, Duration seg) throws Exception {
    return drain(Segmenters.synthetic(s, total, seg, CLOCK));
  }

  /** One encoded packet as the demuxer gives it. */
  record Packet(long dts, boolean key, byte[] data) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Packet p && p.key == key && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Packet[dts=" + dts + ", key=" + key + ", " + data.length + " bytes]";
    }
  }

  static List<Packet> packets(FFmpegFrameGrabber g) throws Exception {
    List<Packet> out = new ArrayList<>();
    int v = g.getVideoStream();
    for (AVPacket p; (p = g.grabPacket()) != null; ) {
      if (p.stream_index() != v) {
        continue;
      }
      byte[] d = new byte[p.size()];
      p.data().get(d);
      out.add(new Packet(p.dts(), (p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0, d));
    }
    return out;
  }

  static List<Packet> packets(byte[] mp4) throws Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(mp4), 0)) {
      g.setFormat("mp4");
      g.start();
      return packets(g);
    }
  }

  static List<Packet> packets(Path file) throws Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.start();
      return packets(g);
    }
  }

  /**
   * The NAL units of an access unit, as hex strings, without parameter sets and access unit
   * delimiters (which a muxer may move to the header or add).
   */
  static List<String> nalUnits(byte[] au, boolean annexB) {
    List<byte[]> nals = new ArrayList<>();
    if (annexB) {
      int i = 0;
      int start = -1;
      while (i + 3 <= au.length) {
        if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1) {
          if (start >= 0) {
            int end = i;
            while (end > start && au[end - 1] == 0) {
              end--;
            }
            nals.add(Arrays.copyOfRange(au, start, end));
          }
          i += 3;
          start = i;
        } else {
          i++;
        }
      }
      if (start >= 0) {
        nals.add(Arrays.copyOfRange(au, start, au.length));
      }
    } else {
      int i = 0;
      while (i + 4 <= au.length) {
        int n = ((au[i] & 0xff) << 24) | ((au[i + 1] & 0xff) << 16) | ((au[i + 2] & 0xff) << 8) | (au[i + 3] & 0xff);
        nals.add(Arrays.copyOfRange(au, i + 4, i + 4 + n));
        i += 4 + n;
      }
    }
    List<String> out = new ArrayList<>();
    for (byte[] n : nals) {
      int type = n.length > 0 ? n[0] & 0x1f : -1;
      if (type == 7 || type == 8 || type == 9) {
        continue;
      }
      out.add(java.util.HexFormat.of().formatHex(n));
    }
    return out;
  }

  /** Reads every frame's stamp (frame numbers, in decode output order). */
  static List<Long> stamps(FFmpegFrameGrabber g) throws Exception {
    List<Long> out = new ArrayList<>();
    for (Frame f; (f = g.grabImage()) != null; ) {
      out.add(FrameStamp.read(f).frameNumber());
    }
    return out;
  }

  static List<Long> stamps(Path file) throws Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.start();
      return stamps(g);
    }
  }

  /** Writes a plain (non-fragmented) MP4 of the synthetic camera with a given codec and GOP. */
  static void writeFile(Path file, VideoSettings s, int frames, int gop, String codecName) throws Exception {
    writeFile(file, "mp4", s, frames, gop, codecName, false);
  }

  /** Same, in any container, optionally with a mono AAC tone track. */
  static void writeFile(Path file, String format, VideoSettings s, int frames, int gop, String codecName, boolean audio)
      throws Exception {
    SyntheticCamera cam = new SyntheticCamera(s);
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), s.width(), s.height(), audio ? 1 : 0)) {
      r.setFormat(format);
      if (audio) {
        r.setAudioCodecName("aac");
        r.setSampleRate(48000);
        r.setAudioBitrate(64000);
      }
      r.setVideoCodecName(codecName);
      r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      r.setFrameRate(s.fps());
      r.setGopSize(gop);
      r.setVideoBitrate(s.bitrateBitsPerSecond());
      r.start();
      for (int i = 0; i < frames; i++) {
        r.record(cam.frame(i), avutil.AV_PIX_FMT_BGR24);
        if (audio) {
          short[] pcm = new short[48000 / s.fps()];
          for (int k = 0; k < pcm.length; k++) {
            pcm[k] = (short) (8000 * Math.sin((i * pcm.length + k) * 2 * Math.PI * 440 / 48000));
          }
          r.recordSamples(48000, 1, java.nio.ShortBuffer.wrap(pcm));
        }
      }
      r.stop();
    }
  }
}
