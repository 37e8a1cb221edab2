package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.FrameSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSourcesTest {
  static {
    TestMedia.quiet();
  }

  @TempDir Path dir;

  static List<EncodedFrame> drain(FrameSource src) throws Exception {
    List<EncodedFrame> out = new ArrayList<>();
    try (src) {
      for (EncodedFrame f; (f = src.next()) != null; ) {
        out.add(f);
      }
    }
    return out;
  }

  /** Decodes a raw Annex B stream and reads the stamps. */
  static List<Long> decode(List<EncodedFrame> frames) throws Exception {
    ByteArrayOutputStream es = new ByteArrayOutputStream();
    for (EncodedFrame f : frames) {
      es.write(f.data());
    }
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(es.toByteArray()), 0)) {
      g.setFormat("h264");
      g.start();
      return TestMedia.stamps(g);
    }
  }

  @Test
  void syntheticLiveFramesAreSelfDescribingAnnexB() throws Exception {
    List<EncodedFrame> frames = drain(FrameSources.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(2), Duration.ofSeconds(1), false));
    assertEquals(30, frames.size());
    for (int i = 0; i < frames.size(); i++) {
      EncodedFrame f = frames.get(i);
      assertEquals(i % 15 == 0, f.keyframe(), "frame " + i);
      assertEquals(i * 1_000_000L / 15, f.presentationMicros(), 1000);
      assertEquals(1, f.data()[3], "starts with a start code");
    }
    assertEquals(LongStream.range(0, 30).boxed().toList(), decode(frames));
    // a viewer joining at the second keyframe needs nothing else
    assertEquals(LongStream.range(15, 30).boxed().toList(), decode(frames.subList(15, 30)));
  }

  @Test
  void h264FileFramesPassThrough() throws Exception {
    Path src = dir.resolve("src.mp4");
    TestMedia.writeFile(src, VideoSettings.QVGA_240P15, 30, 15, "libopenh264");
    List<TestMedia.Packet> source = TestMedia.packets(src);
    List<EncodedFrame> frames = drain(FrameSources.open(src.toString(), Map.of(), null, Duration.ofSeconds(1), null));
    assertEquals(source.size(), frames.size());
    for (int i = 0; i < frames.size(); i++) {
      assertEquals(source.get(i).key(), frames.get(i).keyframe());
      assertEquals(TestMedia.nalUnits(source.get(i).data(), false), TestMedia.nalUnits(frames.get(i).data(), true), "frame " + i);
    }
    assertTrue(frames.get(0).keyframe());
    assertEquals(LongStream.range(0, 30).boxed().toList(), decode(frames));
  }
}
