package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.SegmentHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a hostile store can do to a recording, and what {@code obscura export} says about it:
 * a non-zero exit, a one-line message naming the problem, and no output file.
 */
class TamperCliTest {
  @TempDir static Path dir;
  static Path pristine;
  static Path keys;
  static Path otherKeys;

  private static final int EXIT_FAILURE = 1;
  private static final int EXIT_INTEGRITY = 3;
  private static final int EXIT_NO_KEY = 4;
  private static final int EXIT_MALFORMED = 5;

  @BeforeAll
  static void record() {
    keys = dir.resolve("keys");
    otherKeys = dir.resolve("other-keys");
    pristine = dir.resolve("pristine");
    assertEquals(0, Cli.run("keygen", "--out", keys.toString()).exitCode());
    assertEquals(0, Cli.run("keygen", "--out", otherKeys.toString()).exitCode());
    // 2 s segments at 320x240 are larger than one 16 KiB chunk, so chunk boundaries exist.
    for (String stream : List.of("camera", "other")) {
      Cli rec = Cli.run("record", "--store", pristine.toString(), "--recipient", keys.resolve("viewer.pub").toString(),
          "--duration", "6s", "--segment-seconds", "2", "--width", "320", "--height", "240", "--fps", "15",
          "--stream", stream);
      assertEquals(0, rec.exitCode(), rec::toString);
    }
  }

  static Path segment(Path store, String stream, int seq) {
    return store.resolve(stream).resolve("segments").resolve(String.format("%019d.seg", seq));
  }

  /** A fresh copy of the recording, changed by {@code damage}. */
  static Path damaged(String name, Consumer<Path> damage) throws IOException {
    Path copy = dir.resolve(name);
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
    damage.accept(copy);
    return copy;
  }

  /**
   * Exports into a fresh, empty output folder of its own and asserts the failed export left that
   * folder empty: no target, no temporary file, no staging folder.
   */
  static Cli export(Path store, Path identity, String name) {
    Path folder = dir.resolve("out-" + name);
    Path out = folder.resolve(name + ".mp4");
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Cli cli = Cli.run("export", "--store", store.toString(), "--identity", identity.toString(),
        "--out", out.toString(), "--stream", "camera");
    assertEquals(List.of(), listing(folder), () -> "a failed export left files in the output folder\n" + cli);
    return cli;
  }

  /** Every path under {@code folder} (files and folders, hidden ones included), relative to it. */
  static List<String> listing(Path folder) {
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(p -> !p.equals(folder)).map(p -> folder.relativize(p).toString()).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void expect(int code, String messagePart, Cli cli) {
    assertEquals(code, cli.exitCode(), cli::toString);
    String line = cli.oneLineError();
    assertTrue(line.startsWith("obscura: "), line);
    assertTrue(line.toLowerCase().contains(messagePart), () -> "'" + messagePart + "' not in: " + line);
  }

  static void rewrite(Path file, java.util.function.UnaryOperator<byte[]> f) {
    try {
      Files.write(file, f.apply(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void pristineCopyExports() throws Exception {
    Path store = damaged("untouched", s -> {});
    Path out = dir.resolve("untouched.mp4");
    Cli cli = Cli.run("export", "--store", store.toString(), "--identity", keys.resolve("viewer.key").toString(),
        "--out", out.toString(), "--stream", "camera");
    assertEquals(0, cli.exitCode(), cli::toString);
    assertTrue(Files.size(out) > 0);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void anyFlippedBitIsRejected(long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    int seq = random.nextInt(3);
    long size = Files.size(segment(pristine, "camera", seq));
    // half the seeds hit the public part (header, salt, commitment), half the chunks
    int position = seed % 2 == 0 ? random.nextInt(183) : 183 + random.nextInt((int) size - 183);
    int bit = random.nextInt(8);
    Path store = damaged("flip-" + seed, s -> rewrite(segment(s, "camera", seq), b -> {
      b[position] ^= (byte) (1 << bit);
      return b;
    }));
    Cli cli = export(store, keys.resolve("viewer.key"), "flip-" + seed);
    assertTrue(cli.exitCode() == EXIT_INTEGRITY || cli.exitCode() == EXIT_MALFORMED, cli::toString);
    cli.oneLineError();
  }

  @Test
  void truncationAtAChunkBoundaryIsReported() throws Exception {
    int header = SegmentHeader.parse(Files.readAllBytes(segment(pristine, "camera", 1))).length();
    int boundary = header + 56 + 16384 + 16; // after the first full chunk
    assertTrue(Files.size(segment(pristine, "camera", 1)) > boundary, "segments must span two chunks");
    Path store = damaged("cut-boundary", s -> rewrite(segment(s, "camera", 1), b -> java.util.Arrays.copyOf(b, boundary)));
    expect(EXIT_INTEGRITY, "truncated", export(store, keys.resolve("viewer.key"), "cut-boundary"));
  }

  @Test
  void truncationInsideAChunkIsReported() throws Exception {
    Path store = damaged("cut-inside", s -> rewrite(segment(s, "camera", 2), b -> java.util.Arrays.copyOf(b, b.length - 7)));
    Cli cli = export(store, keys.resolve("viewer.key"), "cut-inside");
    // cutting 7 bytes off the final chunk leaves a shorter final chunk whose tag fails
    assertEquals(EXIT_INTEGRITY, cli.exitCode(), cli::toString);
    cli.oneLineError();
  }

  @Test
  void swappedSegmentsAreReported() throws Exception {
    Path store = damaged("swap", s -> {
      try {
        byte[] a = Files.readAllBytes(segment(s, "camera", 0));
        byte[] b = Files.readAllBytes(segment(s, "camera", 1));
        Files.write(segment(s, "camera", 0), b);
        Files.write(segment(s, "camera", 1), a);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    expect(EXIT_INTEGRITY, "not continuous", export(store, keys.resolve("viewer.key"), "swap"));
  }

  @Test
  void segmentReplayedFromAnotherStreamIsReported() throws Exception {
    Path store = damaged("cross-stream", s -> {
      try {
        Files.copy(segment(s, "other", 1), segment(s, "camera", 1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    expect(EXIT_INTEGRITY, "not continuous", export(store, keys.resolve("viewer.key"), "cross-stream"));
  }

  @Test
  void segmentReplayedAtAnotherPositionIsReported() throws Exception {
    Path store = damaged("replay", s -> {
      try {
        Files.copy(segment(s, "camera", 0), segment(s, "camera", 2), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    expect(EXIT_INTEGRITY, "not continuous", export(store, keys.resolve("viewer.key"), "replay"));
  }

  @Test
  void droppedSegmentIsAGap() throws Exception {
    Path store = damaged("gap", s -> {
      try {
        Files.delete(segment(s, "camera", 1));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    expect(EXIT_INTEGRITY, "not continuous", export(store, keys.resolve("viewer.key"), "gap"));
  }

  @Test
  void wrongIdentityHasNoKey() throws Exception {
    expect(EXIT_NO_KEY, "not a recipient", export(pristine, otherKeys.resolve("viewer.key"), "wrong-identity"));
  }

  @Test
  void missingEnvelopeHasNoKey() throws Exception {
    Path store = damaged("no-envelope", s -> {
      try {
        Files.delete(s.resolve("camera/epochs/0000000000000000000.env"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    expect(EXIT_NO_KEY, "no key envelope", export(store, keys.resolve("viewer.key"), "no-envelope"));
  }

  @Test
  void garbageInPlaceOfASegmentIsMalformed() throws Exception {
    Path store = damaged("garbage", s -> rewrite(segment(s, "camera", 1), b -> {
      new SplittableRandom(7).nextBytes(b);
      return b;
    }));
    Cli cli = export(store, keys.resolve("viewer.key"), "garbage");
    assertTrue(cli.exitCode() == EXIT_MALFORMED || cli.exitCode() == EXIT_INTEGRITY, cli::toString);
    cli.oneLineError();
  }

  @Test
  void absurdLengthFieldIsMalformed() throws Exception {
    Path store = damaged("absurd", s -> rewrite(segment(s, "camera", 1), b -> {
      b[6] = (byte) 0xff; // stream id length 255
      return b;
    }));
    Cli cli = export(store, keys.resolve("viewer.key"), "absurd");
    assertTrue(cli.exitCode() == EXIT_MALFORMED || cli.exitCode() == EXIT_INTEGRITY, cli::toString);
    cli.oneLineError();
  }

  @Test
  void missingFilesAreOneLineErrors() {
    expect(EXIT_FAILURE, "no store", export(dir.resolve("nowhere"), keys.resolve("viewer.key"), "nowhere"));
    Cli cli = export(pristine, dir.resolve("no-such.key"), "no-key-file");
    assertTrue(cli.exitCode() != 0, cli::toString);
    cli.oneLineError();
    Cli pubAsIdentity = export(pristine, keys.resolve("viewer.pub"), "pub-as-identity");
    assertTrue(pubAsIdentity.exitCode() != 0, pubAsIdentity::toString);
    pubAsIdentity.oneLineError();
  }
}
