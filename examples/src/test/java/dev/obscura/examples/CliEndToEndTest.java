package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.FrameStamp;
import dev.obscura.codec.Mp4Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.LongStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen, record, inspect and export through the command line, checked frame by frame. */
class CliEndToEndTest {
  @TempDir static Path dir;
  static Path keys;
  static Path store;

  static final String[] SMALL = {"--width", "320", "--height", "240", "--fps", "15"};

  @BeforeAll
  static void recordFourSeconds() {
    keys = dir.resolve("keys");
    store = dir.resolve("store");
    Cli keygen = Cli.run("keygen", "--out", keys.toString());
    assertEquals(0, keygen.exitCode(), keygen::toString);
    Cli record = Cli.run(concat(new String[] {"record", "--store", store.toString(),
        "--recipient", keys.resolve("viewer.pub").toString(), "--duration", "4s", "--segment-seconds", "1"}, SMALL));
    assertEquals(0, record.exitCode(), record::toString);
    assertTrue(record.out().contains("recorded 60 frames in 4 segments"), record::toString);
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void privateKeyIsOwnerOnly() throws Exception {
    assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(keys.resolve("viewer.key")));
    Cli again = Cli.run("keygen", "--out", keys.toString());
    assertEquals(1, again.exitCode(), "keygen never overwrites keys");
  }

  @Test
  void exportIsPlayableWithEveryFrameInOrder() throws Exception {
    Path mp4 = dir.resolve("all.mp4");
    Cli export = Cli.run("export", "--store", store.toString(), "--identity",
        keys.resolve("viewer.key").toString(), "--out", mp4.toString());
    assertEquals(0, export.exitCode(), export::toString);
    Mp4Probe.Result probe = Mp4Probe.probe(mp4);
    assertEquals(60, probe.frames());
    assertEquals(320, probe.width());
    assertEquals(240, probe.height());
    assertEquals(LongStream.range(0, 60).boxed().toList(), stamps(mp4));
  }

  @Test
  void exportOfARangeTakesTheSegmentsThatOverlapIt() throws Exception {
    Path mp4 = dir.resolve("range.mp4");
    Cli export = Cli.run("export", "--store", store.toString(), "--identity",
        keys.resolve("viewer.key").toString(), "--out", mp4.toString(), "--from", "+1.5", "--to", "+2.5");
    assertEquals(0, export.exitCode(), export::toString);
    // segments are 1 s long: [1,2) and [2,3) overlap [1.5, 2.5)
    assertEquals(LongStream.range(15, 45).boxed().toList(), stamps(mp4));
  }

  @Test
  void inspectShowsOnlyPublicHeaders() {
    Cli inspect = Cli.run("inspect", "--store", store.toString());
    assertEquals(0, inspect.exitCode(), inspect::toString);
    assertTrue(inspect.out().contains("camera/epochs/0000000000000000000.env"), inspect::toString);
    for (int seq = 0; seq < 4; seq++) {
      assertTrue(inspect.out().contains("camera/segments/000000000000000000" + seq + ".seg"), inspect::toString);
    }
    // 4 segments, 1 envelope, the camera's chain manifest and its (temporary) published key
    assertTrue(inspect.out().contains("7 objects"), inspect::toString);
    assertTrue(inspect.out().contains("camera/manifests/0000000000000000003.man"), inspect::toString);
  }

  @Test
  void recordingAgainContinuesTheStream() throws Exception {
    Path store2 = dir.resolve("store2");
    for (int i = 0; i < 2; i++) {
      Cli record = Cli.run(concat(new String[] {"record", "--store", store2.toString(),
          "--recipient", keys.resolve("viewer.pub").toString(), "--duration", "2s", "--segment-seconds", "1"}, SMALL));
      assertEquals(0, record.exitCode(), record::toString);
    }
    Cli inspect = Cli.run("inspect", "--store", store2.toString());
    assertTrue(inspect.out().contains("camera/segments/0000000000000000003.seg"), inspect::toString);
    assertTrue(inspect.out().contains("camera/epochs/0000000000000000001.env"), "the second run is a new epoch");
    Path mp4 = dir.resolve("two-runs.mp4");
    Cli export = Cli.run("export", "--store", store2.toString(), "--identity",
        keys.resolve("viewer.key").toString(), "--out", mp4.toString());
    assertEquals(0, export.exitCode(), export::toString);
    assertEquals(60, Mp4Probe.probe(mp4).frames());
  }

  @Test
  void demoRunsAndSummarises() {
    Cli demo = Cli.run("demo", "--dir", dir.resolve("demo").toString(), "--duration", "2s",
        "--width", "320", "--height", "240", "--fps", "15", "--segment-seconds", "1");
    assertEquals(0, demo.exitCode(), demo::toString);
    for (String line : List.of("frames recorded:   30 in 2 segments", "bytes sealed:", "sealing overhead:",
        "frames exported:   30", "time taken:")) {
      assertTrue(demo.out().contains(line), () -> "missing '" + line + "' in\n" + demo);
    }
    Cli again = Cli.run("demo", "--dir", dir.resolve("demo").toString());
    assertEquals(1, again.exitCode());
    assertTrue(again.oneLineError().contains("not empty"));
  }

  @Test
  void helpAndUsageErrors() {
    assertEquals(0, Cli.run("--help").exitCode());
    Cli missing = Cli.run("export", "--store", store.toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("--identity"), missing::toString);
    Cli badDuration = Cli.run("record", "--store", store.toString(), "--recipient", "x", "--duration", "soon");
    assertEquals(2, badDuration.exitCode());
    Cli badTime = Cli.run("export", "--store", store.toString(), "--identity", "k", "--out", "o.mp4", "--from", "yesterday");
    assertEquals(2, badTime.exitCode());
    assertFalse(Cli.run().err().isEmpty());
  }

  static List<Long> stamps(Path mp4) throws Exception {
    List<Long> out = new ArrayList<>();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
      g.start();
      for (Frame f; (f = g.grabImage()) != null; ) {
        out.add(FrameStamp.read(f).frameNumber());
      }
    }
    return out;
  }
}
