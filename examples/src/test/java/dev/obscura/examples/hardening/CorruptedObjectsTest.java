package dev.obscura.examples.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.examples.cli.ObscuraCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every object a provider stores, damaged in every way a broken disk or a hostile store can: the
 * object replaced by noise of its own length, or cut to 0, 1, 57 bytes or half. For each single
 * damage, {@code obscura export} either fails cleanly (a non-zero exit, one line of error, no
 * stack trace, no hang, and nothing at all left in the output folder, temp files included) or,
 * when the damaged object was one the export did not need, writes exactly the clean video
 * (byte-identical: the muxer is deterministic, which the test checks first). Nothing else.
 *
 * <p>The recording here is a camera without a household (trust on first use: segments, an epoch
 * envelope, a chain manifest, the camera's public key); {@code CorruptedObjectsExportTest} does
 * the same for a paired camera of a household (rosters, audit entries, epochs, a motion event).
 */
class CorruptedObjectsTest {
  @TempDir static Path dir;
  static ExecutorService runner;
  static final List<String> report = new ArrayList<>();

  @BeforeAll
  static void start() {
    runner = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "corrupted-export");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stop() {
    runner.shutdownNow();
    report.forEach(System.out::println);
  }

  record Run(int exit, String out, String err) {}

  /** One CLI run, bounded: a hang is a failure of the property, not of the build. */
  static Run cli(String... args) throws Exception {
    Future<Run> f = runner.submit(() -> {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = ObscuraCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
      return new Run(code, out.toString(), err.toString());
    });
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError("obscura " + String.join(" ", args) + " did not finish in 60 s");
    }
  }

  static final String[] SMALL = {"--segment-seconds", "1", "--width", "160", "--height", "120", "--fps", "10"};

  @Test
  void aStoreWithoutAHousehold() throws Exception {
    Path keys = dir.resolve("tofu-keys");
    assertEquals(0, cli("keygen", "--out", keys.toString()).exit());
    Path store = dir.resolve("tofu-store");
    List<String> rec = new ArrayList<>(List.of("record", "--store", store.toString(),
        "--recipient", keys.resolve("viewer.pub").toString(), "--duration", "3s"));
    rec.addAll(Arrays.asList(SMALL));
    Run r = cli(rec.toArray(String[]::new));
    assertEquals(0, r.exit(), r::toString);
    Counts c = damageEveryObject("tofu", store, keys.resolve("viewer.key"), "camera");
    // segments, the envelope and the manifest are all needed: every damage of them fails
    assertTrue(c.objects >= 6, c::toString);
  }

  static final class Counts {
    int objects;
    int damages;
    int failedCleanly;
    int cleanVideo;
    final List<String> notNeeded = new ArrayList<>();

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d objects, %d damaged copies exported: %d failed cleanly, %d wrote the clean video",
          objects, damages, failedCleanly, cleanVideo);
    }
  }

  static Counts damageEveryObject(String name, Path store, Path identity, String stream) throws Exception {
    Path cleanOut = dir.resolve(name + "-clean");
    Files.createDirectories(cleanOut);
    Run clean = export(store, identity, stream, cleanOut.resolve("a.mp4"));
    assertEquals(0, clean.exit(), clean::toString);
    byte[] video = Files.readAllBytes(cleanOut.resolve("a.mp4"));
    Run again = export(store, identity, stream, cleanOut.resolve("b.mp4"));
    assertEquals(0, again.exit(), again::toString);
    assertArrayEquals(video, Files.readAllBytes(cleanOut.resolve("b.mp4")),
        "the muxer is not deterministic: a byte comparison would not mean anything");

    List<Path> objects;
    try (Stream<Path> s = Files.walk(store)) {
      objects = s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
    }
    Counts counts = new Counts();
    counts.objects = objects.size();
    SplittableRandom random = new SplittableRandom(0x0b5c);
    int n = 0;
    for (Path object : objects) {
      String rel = store.relativize(object).toString();
      byte[] original = Files.readAllBytes(object);
      List<String> damages = List.of("noise", "0 bytes", "1 byte", "57 bytes", "half");
      for (String damage : damages) {
        byte[] bad = switch (damage) {
          case "noise" -> {
            byte[] b = new byte[original.length];
            random.nextBytes(b);
            yield b;
          }
          case "0 bytes" -> new byte[0];
          case "1 byte" -> Arrays.copyOf(original, Math.min(1, original.length));
          case "57 bytes" -> Arrays.copyOf(original, Math.min(57, original.length));
          default -> Arrays.copyOf(original, original.length / 2);
        };
        if (Arrays.equals(bad, original)) {
          continue; // a cut longer than the object leaves it as it was: not a damage
        }
        Files.write(object, bad);
        Path outDir = dir.resolve(name + "-out-" + n++);
        Files.createDirectories(outDir);
        Run r;
        try {
          r = export(store, identity, stream, outDir.resolve("video.mp4"));
        } finally {
          Files.write(object, original);
        }
        counts.damages++;
        String what = rel + " (" + damage + ")";
        List<String> left;
        try (Stream<Path> s = Files.list(outDir)) {
          left = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (r.exit() == 0) {
          assertEquals(List.of("video.mp4"), left, what + ": " + r);
          assertArrayEquals(video, Files.readAllBytes(outDir.resolve("video.mp4")),
              what + ": the export succeeded but is not the clean video\n" + r);
          counts.cleanVideo++;
          counts.notNeeded.add(what);
        } else {
          assertEquals(List.of(), left, what + ": a failed export left files behind\n" + r);
          String err = r.err().strip();
          assertTrue(!err.isEmpty() && !err.contains("\n") && !err.contains("\tat ")
              && !err.contains("Exception"), what + ": not a one-line error\n" + r);
          counts.failedCleanly++;
        }
      }
    }
    assertEquals(counts.damages, counts.failedCleanly + counts.cleanVideo);
    report.add(name + ": " + counts + "; not needed: " + counts.notNeeded);
    return counts;
  }

  static Run export(Path store, Path identity, String stream, Path out) throws Exception {
    return cli("export", "--store", store.toString(), "--identity", identity.toString(),
        "--stream", stream, "--out", out.toString());
  }
}
