package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.testing.MotionScenes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every object a recorded household stream leaves in a filesystem store (segments, key
 * envelopes, rosters, manifests, audit entries, motion events, whatever is there) is in turn
 * replaced by noise of its length, or cut to 0, 1, 57 bytes or half, and the stream exported:
 * the export either fails cleanly (non-zero exit, one line starting {@code obscura: }, no stack
 * trace, within a time bound, no file left in the output folder) or, when it did not need that
 * object, writes exactly the bytes of the clean export. No third outcome.
 */
class CorruptedObjectsExportTest {
  @TempDir static Path dir;
  static Household home;
  static Path pristine;
  static byte[] cleanVideo;

  record Corruption(String name, UnaryOperator<byte[]> f) {}

  static final List<Corruption> CORRUPTIONS = List.of(
      new Corruption("noise", b -> {
        byte[] n = new byte[b.length];
        new SplittableRandom(b.length).nextBytes(n);
        return n;
      }),
      new Corruption("cut-0", b -> new byte[0]),
      new Corruption("cut-1", b -> Arrays.copyOf(b, Math.min(1, b.length))),
      new Corruption("cut-57", b -> Arrays.copyOf(b, Math.min(57, b.length))),
      new Corruption("cut-half", b -> Arrays.copyOf(b, b.length / 2)));

  @BeforeAll
  static void record() throws Exception {
    home = new Household(dir.resolve("home"));
    pristine = home.storeDir;
    Path crossing = MotionScenes.crossing(160, 96, 10, 4, 1, 3).write(dir.resolve("crossing.mp4"));
    Cli rec = Cli.run("record", "--store", pristine.toString(), "--camera", home.cameraDir.toString(),
        "--input", crossing.toString(), "--segment-seconds", "1", "--stream", "porch",
        "--epoch-segments", "2", "--motion", "--motion-min", "0.5s");
    assertEquals(0, rec.exitCode(), rec::toString);
    Path out = Files.createDirectories(dir.resolve("clean-out"));
    Cli a = export(pristine, out.resolve("a.mp4"));
    Cli b = export(pristine, out.resolve("b.mp4"));
    assertEquals(0, a.exitCode(), a::toString);
    assertEquals(0, b.exitCode(), b::toString);
    cleanVideo = Files.readAllBytes(out.resolve("a.mp4"));
    assertTrue(cleanVideo.length > 0);
    // the muxer is deterministic, so "exactly the clean video" can be byte identity
    assertArrayEquals(cleanVideo, Files.readAllBytes(out.resolve("b.mp4")), "two clean exports differ");
  }

  static Cli export(Path store, Path out) {
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Cli.run("export", "--store", store.toString(),
        "--identity", home.phoneKey.toString(), "--out", out.toString(), "--stream", "porch"));
  }

  static List<String> objects() throws IOException {
    try (Stream<Path> files = Files.walk(pristine)) {
      return files.filter(Files::isRegularFile).map(p -> pristine.relativize(p).toString().replace('\\', '/'))
          .sorted().toList();
    }
  }

  static Path copy(String name) throws IOException {
    Path copy = dir.resolve("stores").resolve(name);
    try (Stream<Path> files = Files.walk(pristine)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path target = copy.resolve(pristine.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return copy;
  }

  @Test
  void everyObjectTimesEveryCorruptionFailsCleanlyOrExportsTheCleanVideo() throws Exception {
    List<String> objects = objects();
    // the stream has each kind of object this test means to damage
    for (String kind : List.of("/segments/", "/epochs/", "/events/")) {
      assertTrue(objects.stream().anyMatch(o -> o.contains(kind)), () -> kind + " missing in " + objects);
    }
    int failed = 0;
    int clean = 0;
    List<String> exportedClean = new ArrayList<>();
    int run = 0;
    for (String object : objects) {
      byte[] original = Files.readAllBytes(pristine.resolve(object));
      for (Corruption c : CORRUPTIONS) {
        String label = object + " " + c.name();
        Path store = copy("s" + run);
        Files.write(store.resolve(object), c.f().apply(original));
        Path outDir = Files.createDirectories(dir.resolve("out").resolve("o" + run));
        run++;
        Cli cli = export(store, outDir.resolve("video.mp4"));
        if (cli.exitCode() == 0) {
          byte[] got = Files.readAllBytes(outDir.resolve("video.mp4"));
          assertArrayEquals(cleanVideo, got, () -> label + ": export succeeded with different video\n" + cli);
          try (Stream<Path> left = Files.list(outDir)) {
            assertEquals(List.of(outDir.resolve("video.mp4")), left.toList(), label);
          }
          clean++;
          exportedClean.add(label);
        } else {
          // warnings (a refused roster version) may precede it; each line is "obscura: ...",
          // no stack trace, and the last line is the one-line error
          String err = cli.err().strip();
          assertTrue(!err.isEmpty() && !err.contains("\tat ") && !err.contains("Exception:")
              && err.lines().allMatch(l -> l.startsWith("obscura: ")), () -> label + ": " + cli);
          try (Stream<Path> left = Files.list(outDir)) {
            List<Path> files = left.toList();
            assertEquals(List.of(), files, () -> label + ": a failed export left files behind\n" + cli);
          }
          failed++;
        }
      }
    }
    int total = objects.size() * CORRUPTIONS.size();
    System.out.printf(Locale.ROOT, "corrupted objects: %d objects x %d corruptions = %d exports; %d failed cleanly,"
        + " %d exported the clean video, %d other%n", objects.size(), CORRUPTIONS.size(), total, failed, clean,
        total - failed - clean);
    System.out.println("objects: " + objects);
    System.out.println("not needed by export: " + exportedClean);
    assertEquals(total, failed + clean);
    // the segments and the envelopes of epochs 0 and 1 (which hold them, two segments each) are
    // needed: damaging any of them must fail. The recorder's last envelope (epoch 2, opened after
    // the fourth segment, no segment sealed in it) is not needed by an export.
    for (String label : exportedClean) {
      assertTrue(!label.contains("/segments/") && !label.contains("/epochs/0000000000000000000.env")
          && !label.contains("/epochs/0000000000000000001.env"), label + " exported clean video");
    }
    assertEquals(25, clean, "objects an export does not need: 2 audit entries, epoch 2's envelope, the event,"
        + " the pairing record; got " + exportedClean);
  }
}
