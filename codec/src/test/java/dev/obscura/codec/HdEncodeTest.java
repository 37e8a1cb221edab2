package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.MediaSegment;
import dev.obscura.core.SegmentSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one 720p test: two seconds, reports encode speed and sizes (no timing assertion). */
class HdEncodeTest {
  static {
    TestMedia.quiet();
  }

  @TempDir Path dir;

  @Test
  void hd720p30RoundTrip() throws Exception {
    long t0 = System.nanoTime();
    List<MediaSegment> segs = new ArrayList<>();
    try (SegmentSource src = Segmenters.synthetic(VideoSettings.HD_720P30, Duration.ofSeconds(2), Duration.ofSeconds(1), TestMedia.CLOCK)) {
      for (MediaSegment m; (m = src.next()) != null; ) {
        segs.add(m);
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    assertEquals(List.of(30, 30), segs.stream().map(MediaSegment::frameCount).toList());
    int init = dev.obscura.codec.internal.Boxes.parseSegment(segs.get(0).data()).initEnd();
    System.out.printf("720p30: %d frames in %.2f s = %.0f fps; segments %s bytes; init %d bytes%n", 60, secs, 60 / secs,
        segs.stream().map(MediaSegment::sizeBytes).toList(), init);
    Path out = dir.resolve("hd.mp4");
    ExportStats st = Mp4Export.write(segs.stream().map(MediaSegment::data).toList(), out);
    assertEquals(60, st.frames());
    Mp4Probe.Result r = Mp4Probe.probe(out);
    assertEquals(1280, r.width());
    assertEquals(720, r.height());
    assertEquals(LongStream.range(0, 60).boxed().toList(), TestMedia.stamps(out));
  }
}
