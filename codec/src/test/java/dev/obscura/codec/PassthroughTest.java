package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.MediaSegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassthroughTest {
  static {
    TestMedia.quiet();
  }

  @TempDir Path dir;

  /** Checks bit-exact packets and that each segment starts at one of the source's keyframes. */
  static void assertPassthrough(List<TestMedia.Packet> source, List<MediaSegment> segs) throws Exception {
    List<TestMedia.Packet> copied = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < segs.size(); i++) {
      MediaSegment m = segs.get(i);
      assertEquals(i, m.index());
      List<TestMedia.Packet> p = TestMedia.packets(m.data());
      assertEquals(m.frameCount(), p.size());
      assertTrue(p.get(0).key(), "segment " + i + " starts with a keyframe");
      assertTrue(source.get(at).key(), "segment " + i + " starts at a source keyframe");
      at += p.size();
      copied.addAll(p);
    }
    assertEquals(source.subList(0, copied.size()), copied, "H.264 packets copied bit-exact");
  }

  @Test
  void h264FileIsSegmentedWithoutReencoding() throws Exception {
    Path src = dir.resolve("src.mp4");
    TestMedia.writeFile(src, VideoSettings.QVGA_240P15, 60, 15, "libopenh264");
    List<TestMedia.Packet> source = TestMedia.packets(src);
    assertEquals(60, source.size());
    List<MediaSegment> segs = TestMedia.drain(Segmenters.open(src.toString(), null, Duration.ofSeconds(2), null, TestMedia.CLOCK));
    assertEquals(2, segs.size(), segs.toString());
    assertEquals(List.of(30, 30), segs.stream().map(MediaSegment::frameCount).toList());
    assertEquals(0, segs.get(0).mediaStartMicros());
    assertEquals(2_000_000, segs.get(1).mediaStartMicros(), 1000);
    assertEquals(TestMedia.T0.plusSeconds(2), segs.get(1).startTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    assertPassthrough(source, segs);
    // each segment decodes on its own and carries the right pictures
    for (MediaSegment m : segs) {
      Path one = dir.resolve("seg" + m.index() + ".mp4");
      Mp4Export.write(List.of(m.data()), one);
      long first = m.mediaStartMicros() * 15 / 1_000_000;
      assertEquals(LongStream.range(first, first + m.frameCount()).boxed().toList(), TestMedia.stamps(one));
    }
  }

  @Test
  void cutsAtTheSourceKeyframeNearestTheTarget() throws Exception {
    Path src = dir.resolve("gop10.mp4");
    TestMedia.writeFile(src, VideoSettings.QVGA_240P15, 60, 10, "libopenh264");
    List<TestMedia.Packet> source = TestMedia.packets(src);
    // GOPs of 0.667 s, target 1.5 s: 2 GOPs (1.33 s) is nearer than 3 (2.0 s)
    List<MediaSegment> segs = TestMedia.drain(Segmenters.open(src.toString(), null, Duration.ofMillis(1500), null, TestMedia.CLOCK));
    assertEquals(List.of(20, 20, 20), segs.stream().map(MediaSegment::frameCount).toList());
    assertPassthrough(source, segs);
  }

  @Test
  void recordDurationLimitsPassthrough() throws Exception {
    Path src = dir.resolve("limit.mp4");
    TestMedia.writeFile(src, VideoSettings.QVGA_240P15, 60, 15, "libopenh264");
    List<MediaSegment> segs = TestMedia.drain(Segmenters.open(src.toString(), Duration.ofSeconds(2), Duration.ofSeconds(1), null, TestMedia.CLOCK));
    assertEquals(30, segs.stream().mapToInt(MediaSegment::frameCount).sum());
    assertPassthrough(TestMedia.packets(src), segs);
  }

  @Test
  void mpegTsWithAudioIsPassedThroughVideoOnly() throws Exception {
    Path src = dir.resolve("cam.ts");
    TestMedia.writeFile(src, "mpegts", VideoSettings.QVGA_240P15, 45, 15, "libopenh264", true);
    List<TestMedia.Packet> source = TestMedia.packets(src);
    assertEquals(45, source.size());
    List<MediaSegment> segs = TestMedia.drain(Segmenters.open(src.toString(), null, Duration.ofSeconds(1), null, TestMedia.CLOCK));
    assertEquals(List.of(15, 15, 15), segs.stream().map(MediaSegment::frameCount).toList());
    assertEquals(0, segs.get(0).mediaStartMicros(), "media time counts from the first frame, not the TS clock");
    for (MediaSegment m : segs) {
      try (var g = new org.bytedeco.javacv.FFmpegFrameGrabber(new java.io.ByteArrayInputStream(m.data()), 0)) {
        g.setFormat("mp4");
        g.start();
        assertEquals(1, g.getFormatContext().nb_streams(), "video only");
      }
    }
    // TS carries Annex B, MP4 carries length-prefixed NAL units: compare the NAL payloads
    List<TestMedia.Packet> copied = new ArrayList<>();
    for (MediaSegment m : segs) {
      copied.addAll(TestMedia.packets(m.data()));
    }
    assertEquals(source.size(), copied.size());
    for (int i = 0; i < source.size(); i++) {
      assertEquals(source.get(i).key(), copied.get(i).key());
      assertEquals(TestMedia.nalUnits(source.get(i).data(), true), TestMedia.nalUnits(copied.get(i).data(), false), "packet " + i);
    }
  }

  @Test
  void nonH264InputIsReencoded() throws Exception {
    Path src = dir.resolve("mpeg4.mp4");
    TestMedia.writeFile(src, VideoSettings.QVGA_240P15.toBuilder().bitrateBitsPerSecond(1_000_000).build(), 45, 12, "mpeg4");
    List<MediaSegment> segs = TestMedia.drain(Segmenters.open(src.toString(), null, Duration.ofSeconds(1), null, TestMedia.CLOCK));
    assertEquals(List.of(15, 15, 15), segs.stream().map(MediaSegment::frameCount).toList());
    Path out = dir.resolve("reencoded.mp4");
    Mp4Export.write(segs.stream().map(MediaSegment::data).toList(), out);
    Mp4Probe.Result r = Mp4Probe.probe(out);
    assertEquals("h264", r.codec());
    assertEquals(45, r.frames());
    assertEquals(LongStream.range(0, 45).boxed().toList(), TestMedia.stamps(out));
  }
}
