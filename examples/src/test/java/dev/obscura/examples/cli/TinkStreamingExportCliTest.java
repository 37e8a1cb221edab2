package dev.obscura.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --format tink-streaming}: the file decrypts with stock Tink's public API alone,
 * given the exported keyset, to exactly the bytes of {@code export --format mp4}; a one-bit change
 * makes Tink refuse it; a failed export leaves no file.
 */
class TinkStreamingExportCliTest {
  @TempDir static Path dir;
  static Path keys;
  static Path store;

  record Ran(int code, String out, String err) {}

  static Ran cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ObscuraCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Ran(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void recordThreeSeconds() {
    keys = dir.resolve("keys");
    store = dir.resolve("store");
    Ran keygen = cli("keygen", "--out", keys.toString());
    assertEquals(0, keygen.code(), keygen::toString);
    Ran record = cli("record", "--store", store.toString(), "--recipient",
        keys.resolve("viewer.pub").toString(), "--duration", "3s", "--segment-seconds", "1",
        "--width", "320", "--height", "240", "--fps", "15");
    assertEquals(0, record.code(), record::toString);
  }

  static Ran export(Path from, Path outDir, String... more) throws IOException {
    Files.createDirectories(outDir);
    String[] base = {"export", "--store", from.toString(), "--identity",
        keys.resolve("viewer.key").toString()};
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return cli(args);
  }

  /** Decrypts with Tink's public API only, as a stranger to Obscura would. */
  static byte[] tinkDecrypt(Path keyset, byte[] ciphertext) throws Exception {
    StreamingAeadConfig.register();
    KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(
        Files.readString(keyset, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get());
    StreamingAead aead = handle.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    try (InputStream in = aead.newDecryptingStream(new ByteArrayInputStream(ciphertext), new byte[0])) {
      return in.readAllBytes();
    }
  }

  static List<String> listing(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void decryptsWithStockTinkToExactlyTheClearExport() throws Exception {
    Path out = dir.resolve("interop");
    Path mp4 = out.resolve("clear.mp4");
    Path file = out.resolve("clip.tink");
    Path keyset = out.resolve("clip.keyset.json");
    Ran clear = export(store, out, "--format", "mp4", "--out", mp4.toString());
    assertEquals(0, clear.code(), clear::toString);
    Ran tink = export(store, out, "--format", "tink-streaming", "--out", file.toString(),
        "--keyset-out", keyset.toString());
    assertEquals(0, tink.code(), tink::toString);

    byte[] expected = Files.readAllBytes(mp4);
    byte[] ciphertext = Files.readAllBytes(file);
    assertTrue(expected.length > 10_000, "a real clip");
    assertFalse(java.util.Arrays.equals(expected, java.util.Arrays.copyOf(ciphertext, expected.length)));
    assertArrayEquals(expected, tinkDecrypt(keyset, ciphertext));

    assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(keyset), "the keyset is a secret: owner-only");
    String json = Files.readString(keyset);
    assertTrue(json.contains("AesGcmHkdfStreamingKey"), json.length() + " chars");
    String value = json.replaceAll("(?s).*\"value\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    assertFalse(tink.out().contains(value) || tink.err().contains(value), "the key is never printed");
    assertEquals(List.of("clear.mp4", "clip.keyset.json", "clip.tink"), listing(out), "no temp files");
  }

  @Test
  void aOneBitChangeMakesTinkRefuseTheFile() throws Exception {
    Path out = dir.resolve("flip");
    Path file = out.resolve("clip.tink");
    Path keyset = out.resolve("clip.keyset.json");
    Ran tink = export(store, out, "--format", "tink-streaming", "--out", file.toString(),
        "--keyset-out", keyset.toString());
    assertEquals(0, tink.code(), tink::toString);
    byte[] ciphertext = Files.readAllBytes(file);
    tinkDecrypt(keyset, ciphertext); // intact: fine
    for (int at : new int[] {0, 40, ciphertext.length / 2, ciphertext.length - 1}) {
      byte[] flipped = ciphertext.clone();
      flipped[at] ^= 0x01;
      assertThrows(IOException.class, () -> tinkDecrypt(keyset, flipped), "bit flipped at " + at);
    }
  }

  @Test
  void keysetOutIsRequiredWithTinkStreamingAndRefusedOtherwise() throws Exception {
    Path out = dir.resolve("usage");
    Ran missing = export(store, out, "--format", "tink-streaming", "--out", out.resolve("a").toString());
    assertEquals(2, missing.code(), missing::toString);
    assertTrue(missing.err().contains("--keyset-out"), missing::toString);
    Ran extra = export(store, out, "--format", "mp4", "--out", out.resolve("b.mp4").toString(),
        "--keyset-out", out.resolve("k").toString());
    assertEquals(2, extra.code(), extra::toString);
    Ran defaulted = export(store, out, "--out", out.resolve("c.mp4").toString(),
        "--keyset-out", out.resolve("k").toString());
    assertEquals(2, defaulted.code(), defaulted::toString);
    Ran unknown = export(store, out, "--format", "webm", "--out", out.resolve("d").toString());
    assertEquals(2, unknown.code(), unknown::toString);
    assertTrue(unknown.err().contains("tink-streaming"), unknown::toString);
    assertEquals(List.of(), listing(out));
  }

  @Test
  void aFailedExportLeavesNoFile() throws Exception {
    // the keyset cannot be written (its folder does not exist): after the ciphertext was
    Path out = dir.resolve("fail-keyset");
    Ran r = export(store, out, "--format", "tink-streaming", "--out", out.resolve("clip.tink").toString(),
        "--keyset-out", out.resolve("missing").resolve("k.json").toString());
    assertTrue(r.code() != 0, r::toString);
    assertEquals(List.of(), listing(out), r::toString);

    // a segment fails verification while the clear MP4 is being written
    Path damaged = dir.resolve("damaged-store");
    try (Stream<Path> files = Files.walk(store)) {
      for (Path p : files.sorted().collect(Collectors.toList())) {
        Path t = damaged.resolve(store.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    Path last;
    try (Stream<Path> files = Files.walk(damaged)) {
      last = files.filter(p -> p.toString().endsWith(".seg")).sorted()
          .reduce((a, b) -> b).orElseThrow();
    }
    byte[] seg = Files.readAllBytes(last);
    seg[seg.length - 20] ^= 0x01;
    Files.write(last, seg);
    Path out2 = dir.resolve("fail-verify");
    Ran bad = export(damaged, out2, "--format", "tink-streaming", "--out",
        out2.resolve("clip.tink").toString(), "--keyset-out", out2.resolve("k.json").toString());
    assertTrue(bad.code() != 0, bad::toString);
    assertEquals(List.of(), listing(out2), bad::toString);
  }

  /** The synthetic camera's segment plaintexts (what export hands the muxer). */
  static List<byte[]> plaintexts() throws Exception {
    List<byte[]> out = new java.util.ArrayList<>();
    try (dev.obscura.core.SegmentSource video = dev.obscura.codec.Segmenters.synthetic(
        dev.obscura.codec.VideoSettings.QVGA_240P15, java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(1),
        java.time.Clock.fixed(java.time.Instant.parse("2030-01-01T00:00:00Z"), java.time.ZoneOffset.UTC))) {
      for (dev.obscura.core.MediaSegment s; (s = video.next()) != null; ) {
        out.add(s.data());
      }
    }
    return out;
  }

  static List<Path> privateTempDirs() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("obscura-export-")).collect(Collectors.toList());
    }
  }

  /**
   * Hands the muxer {@code segments}, checking at every segment that the output folder holds no
   * file (the clear MP4 is staged elsewhere) and noting the private temp dirs that appeared;
   * fails after {@code failAfter} segments if that is not negative.
   */
  static java.util.Iterator<byte[]> watched(List<byte[]> segments, Path outDir, List<Path> before,
      java.util.Set<Path> seen, int failAfter) {
    java.util.Iterator<byte[]> it = segments.iterator();
    return new java.util.Iterator<>() {
      int handed;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public byte[] next() {
        try {
          assertEquals(List.of(), listing(outDir), "the output folder holds no clear MP4 during the export");
          for (Path d : privateTempDirs()) {
            if (!before.contains(d)) {
              seen.add(d);
              assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                  PosixFilePermission.OWNER_EXECUTE), Files.getPosixFilePermissions(d), "owner-only");
            }
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        if (handed++ == failAfter) {
          throw new IllegalStateException("forced failure mid-export");
        }
        return it.next();
      }
    };
  }

  @Test
  void theClearMp4IsStagedInAPrivateTempDirNeverBesideTheOutput() throws Exception {
    List<byte[]> segments = plaintexts();
    assertTrue(segments.size() >= 3, "three segments");
    List<Path> before = privateTempDirs();
    Path outDir = Files.createDirectories(dir.resolve("staged"));
    java.util.Set<Path> seen = new java.util.HashSet<>();
    TinkStreamingOutput.write(watched(segments, outDir, before, seen, -1), outDir.resolve("clip.tink"),
        dir.resolve("staged-keyset.json"), new OutputGuard());
    assertEquals(List.of("clip.tink"), listing(outDir));
    assertEquals(1, seen.size(), "the clear MP4 was staged in one private temp dir: " + seen);
    for (Path d : seen) {
      assertFalse(Files.exists(d), d + " is removed after the export");
    }

    Path failDir = Files.createDirectories(dir.resolve("staged-fail"));
    java.util.Set<Path> seenFail = new java.util.HashSet<>();
    assertThrows(IllegalStateException.class, () -> TinkStreamingOutput.write(
        watched(segments, failDir, before, seenFail, 2), failDir.resolve("clip.tink"),
        failDir.resolve("k.json"), new OutputGuard()));
    assertEquals(List.of(), listing(failDir), "no file in the output folder after a failure mid-export");
    assertEquals(1, seenFail.size(), seenFail::toString);
    for (Path d : seenFail) {
      assertFalse(Files.exists(d), d + " is removed after a failed export");
    }
  }
}
