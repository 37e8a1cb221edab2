package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.MediaSegment;
import dev.obscura.core.SegmentSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;

class SyntheticSegmentsTest {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  static List<MediaSegment> record(VideoSettings s, Duration total, Duration seg) throws Exception {
    List<MediaSegment> out = new ArrayList<>();
    try (SegmentSource src = Segmenters.synthetic(s, total, seg, CLOCK)) {
      for (MediaSegment m; (m = src.next()) != null; ) {
        out.add(m);
      }
    }
    return out;
  }

  @Test
  void requestStopFlushesTheLastPartialSegment() throws Exception {
    TestMedia.quiet();
    List<MediaSegment> segs = new ArrayList<>();
    try (StoppableSegmentSource src = Segmenters.synthetic(VideoSettings.QVGA_240P15, Duration.ofHours(1), Duration.ofSeconds(1), CLOCK)) {
      segs.add(src.next());
      segs.add(src.next());
      src.requestStop();
      for (MediaSegment m; (m = src.next()) != null; ) {
        segs.add(m);
      }
      org.junit.jupiter.api.Assertions.assertNull(src.next());
    }
    assertTrue(segs.size() <= 3, segs.toString());
    long frame = 0;
    for (int i = 0; i < segs.size(); i++) {
      MediaSegment m = segs.get(i);
      assertEquals(i, m.index());
      Mp4Probe.Result r = Mp4Probe.probe(m.data());
      assertEquals(m.frameCount(), r.frames());
      assertTrue(r.keyframes() >= 1);
      frame += m.frameCount();
    }
    assertTrue(frame >= 30 && frame <= 46, "frames " + frame);
  }

  @Test
  void segmentsAreKeyframeAlignedAndSelfContained() throws Exception {
    VideoSettings s = VideoSettings.QVGA_240P15;
    List<MediaSegment> segs = record(s, Duration.ofSeconds(6), Duration.ofSeconds(2));
    assertEquals(3, segs.size(), segs.toString());
    int total = 0;
    for (int i = 0; i < segs.size(); i++) {
      MediaSegment m = segs.get(i);
      assertEquals(i, m.index());
      assertEquals(30, m.frameCount());
      assertTrue(Math.abs(m.durationMicros() - 2_000_000) <= 1_000_000 / 15, m.toString());
      assertEquals(i * 2_000_000L, m.mediaStartMicros(), 1_000_000 / 15);
      assertEquals(T0.plusNanos(m.mediaStartMicros() * 1000), m.startTime());
      // decodes on its own: probe from bytes, first packet is a keyframe, and every frame decodes
      Mp4Probe.Result r = Mp4Probe.probe(m.data());
      assertEquals(m.frameCount(), r.frames());
      assertEquals(320, r.width());
      assertEquals(240, r.height());
      try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new java.io.ByteArrayInputStream(m.data()), 0)) {
        g.setFormat("mp4");
        g.start();
        AVPacket p = g.grabPacket();
        assertNotNull(p);
        assertTrue((p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0, "segment " + i + " starts with a keyframe");
      }
      try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new java.io.ByteArrayInputStream(m.data()), 0)) {
        g.setFormat("mp4");
        g.start();
        int decoded = 0;
        long expect = i * 30L;
        for (org.bytedeco.javacv.Frame f; (f = g.grabImage()) != null; ) {
          FrameStamp st = FrameStamp.read(f);
          assertEquals(expect + decoded, st.frameNumber());
          decoded++;
        }
        assertEquals(m.frameCount(), decoded);
      }
      total += m.frameCount();
    }
    assertEquals(90, total);
  }
}
