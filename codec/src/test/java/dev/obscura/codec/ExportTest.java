package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.MalformedDataException;
import dev.obscura.core.MediaSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTest {
  static {
    TestMedia.quiet();
  }

  @TempDir Path dir;

  static List<byte[]> data(List<MediaSegment> segs) {
    return segs.stream().map(MediaSegment::data).toList();
  }

  @Test
  void stampsSurviveEncodingAndExport() throws Exception {
    List<MediaSegment> segs = TestMedia.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(4), Duration.ofSeconds(1));
    assertEquals(4, segs.size());
    Path out = dir.resolve("clip.mp4");
    ExportStats st = Mp4Export.write(data(segs), out);
    assertEquals(4, st.segments());
    assertEquals(60, st.frames());
    assertFalse(st.reencoded());
    assertEquals(Files.size(out), st.bytes());
    assertEquals(4000, st.duration().toMillis(), 70);
    List<Long> stamps = TestMedia.stamps(out);
    assertEquals(LongStream.range(0, 60).boxed().toList(), stamps);
  }

  @Test
  void exportProbesToExpectedFramesAndSize() throws Exception {
    List<MediaSegment> segs = TestMedia.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(3), Duration.ofSeconds(1));
    Path out = dir.resolve("probe.mp4");
    Mp4Export.write(data(segs), out);
    Mp4Probe.Result r = Mp4Probe.probe(out);
    assertEquals(45, r.frames());
    assertEquals(320, r.width());
    assertEquals(240, r.height());
    assertEquals("h264", r.codec());
    assertEquals(3000, r.duration().toMillis(), 70);
    // packets are copied, not re-encoded
    List<TestMedia.Packet> expected = new ArrayList<>();
    for (MediaSegment m : segs) {
      expected.addAll(TestMedia.packets(m.data()));
    }
    assertEquals(expected, TestMedia.packets(out));
  }

  @Test
  void twoRecordingSessionsJoinWithoutOverlap() throws Exception {
    // the same settings, but each session's media clock starts at zero
    List<byte[]> all = new ArrayList<>(data(TestMedia.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(2), Duration.ofSeconds(1))));
    all.addAll(data(TestMedia.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(2), Duration.ofSeconds(1))));
    Path out = dir.resolve("joined.mp4");
    ExportStats st = Mp4Export.write(all, out);
    assertFalse(st.reencoded());
    assertEquals(60, st.frames());
    Mp4Probe.Result r = Mp4Probe.probe(out);
    assertEquals(60, r.frames());
    assertEquals(4000, r.duration().toMillis(), 70);
    List<Long> expected = new ArrayList<>();
    LongStream.range(0, 30).forEach(expected::add);
    LongStream.range(0, 30).forEach(expected::add);
    assertEquals(expected, TestMedia.stamps(out));
  }

  @Test
  void changedCodecConfigurationIsReencodedToTheFirstSize() throws Exception {
    VideoSettings other = VideoSettings.builder().width(480).height(360).fps(15).bitrateBitsPerSecond(400_000).build();
    List<byte[]> all = new ArrayList<>(data(TestMedia.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(1), Duration.ofSeconds(1))));
    all.addAll(data(TestMedia.synthetic(other, Duration.ofSeconds(1), Duration.ofSeconds(1))));
    Path out = dir.resolve("mixed.mp4");
    ExportStats st = Mp4Export.write(all, out);
    assertTrue(st.reencoded());
    assertEquals(2, st.segments());
    assertEquals(30, st.frames());
    Mp4Probe.Result r = Mp4Probe.probe(out);
    assertEquals(30, r.frames());
    assertEquals(320, r.width());
    assertEquals(240, r.height());
    // the second part was scaled from 480 to 320 wide: the stamp scales with the width
    List<Long> expected = new ArrayList<>();
    LongStream.range(0, 15).forEach(expected::add);
    LongStream.range(0, 15).forEach(expected::add);
    assertEquals(expected, TestMedia.stamps(out));
  }

  @Test
  void singlePassIteratorExportsAndReportsACodecChange() throws Exception {
    List<byte[]> a = data(TestMedia.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    Path out = dir.resolve("iter.mp4");
    ExportStats st = Mp4Export.write(a.iterator(), out);
    assertEquals(30, st.frames());
    VideoSettings other = VideoSettings.builder().width(480).height(360).fps(15).bitrateBitsPerSecond(400_000).build();
    List<byte[]> mixed = new ArrayList<>(a);
    mixed.addAll(data(TestMedia.synthetic(other, Duration.ofSeconds(1), Duration.ofSeconds(1))));
    CodecChangedException e = assertThrows(CodecChangedException.class, () -> Mp4Export.write(mixed.iterator(), dir.resolve("x.mp4")));
    assertEquals(2, e.segmentIndex());
    assertFalse(Files.exists(dir.resolve("x.mp4")));
  }

  static java.util.stream.IntStream seeds() {
    return java.util.stream.IntStream.range(0, 24);
  }

  static List<byte[]> fuzzBase;

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("seeds")
  void corruptedPlaintextsFailWithTypedErrors(int seed) throws Exception {
    synchronized (ExportTest.class) {
      if (fuzzBase == null) {
        fuzzBase = data(TestMedia.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(2), Duration.ofSeconds(1)));
      }
    }
    java.util.Random r = new java.util.Random(seed);
    List<byte[]> segs = new ArrayList<>();
    for (byte[] b : fuzzBase) {
      segs.add(b.clone());
    }
    byte[] victim = segs.get(r.nextInt(segs.size()));
    if (r.nextInt(4) == 0) {
      segs.set(segs.indexOf(victim), Arrays.copyOf(victim, r.nextInt(victim.length)));
    } else {
      for (int i = 0, n = 1 + r.nextInt(16); i < n; i++) {
        victim[r.nextInt(victim.length)] ^= (byte) (1 + r.nextInt(255));
      }
    }
    Path out = dir.resolve("fuzz.mp4");
    try {
      Mp4Export.write(segs, out);
    } catch (MalformedDataException | java.io.IOException expected) {
      assertFalse(Files.exists(out));
      try (var left = Files.list(dir)) {
        assertEquals(List.of(), left.toList(), "a failed export leaves the output folder empty");
      }
    }
  }

  /**
   * An export cancelled by its caller (the iterator throws, as the CLI's verifying iterator does
   * when a later segment fails or the run is interrupted) after some segments were written: the
   * exception reaches the caller and the output folder is left empty, temporary file included.
   */
  @Test
  void cancelledExportLeavesTheFolderEmpty() throws Exception {
    List<MediaSegment> segs = TestMedia.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(3), Duration.ofSeconds(1));
    Path out = dir.resolve("cancelled.mp4");
    java.util.Iterator<byte[]> cancelling = new java.util.Iterator<>() {
      int given;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public byte[] next() {
        if (given == 2) {
          throw new java.util.concurrent.CancellationException("cancelled after two segments");
        }
        return segs.get(given++).data();
      }
    };
    assertThrows(java.util.concurrent.CancellationException.class, () -> Mp4Export.write(cancelling, out));
    try (var left = Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "a cancelled export leaves the output folder empty");
    }
  }

  @Test
  void malformedSegmentIsATypedErrorAndLeavesNoFile() throws Exception {
    List<MediaSegment> segs = TestMedia.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(2), Duration.ofSeconds(1));
    byte[] cut = Arrays.copyOf(segs.get(1).data(), segs.get(1).data().length - 100);
    Path out = dir.resolve("bad.mp4");
    assertThrows(MalformedDataException.class, () -> Mp4Export.write(List.of(segs.get(0).data(), cut), out));
    assertFalse(Files.exists(out));
    try (var s = Files.list(dir)) {
      assertEquals(0, s.count(), "temporary file removed");
    }
  }
}
