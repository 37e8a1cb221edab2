package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code obscura export --format cenc} against stock FFmpeg: the FFmpeg 8.1.2 binary bundled in
 * JavaCV's natives (Debian's 5.1 cannot read fragmented CENC) decrypts the file with {@code
 * -decryption_key} to video packets bit-exact with the clear {@code --format mp4} export, every
 * packet's bytes hashed ({@code -f framemd5}); a wrong key, or none, gives other packets; and the
 * CENC file holds none of the clear file's slice data.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CencExportCliTest {
  static final long FFMPEG_TIMEOUT_SECONDS = 60;

  @TempDir static Path dir;
  static Path keys;
  static Path store;
  static Path clear;
  static Path cenc;
  static Path keyFile;
  static String key;
  static String ffmpeg;

  @BeforeAll
  static void recordAndExportBothWays() throws Exception {
    keys = dir.resolve("keys");
    store = dir.resolve("store");
    Cli keygen = Cli.run("keygen", "--out", keys.toString());
    assertEquals(0, keygen.exitCode(), keygen::toString);
    Cli record = Cli.run(CliEndToEndTest.concat(new String[] {"record", "--store", store.toString(),
        "--recipient", keys.resolve("viewer.pub").toString(), "--duration", "3s", "--segment-seconds", "1"},
        CliEndToEndTest.SMALL));
    assertEquals(0, record.exitCode(), record::toString);
    clear = dir.resolve("clear.mp4");
    cenc = dir.resolve("cenc.mp4");
    keyFile = dir.resolve("cenc.key");
    Cli plain = export("--format", "mp4", "--out", clear.toString());
    assertEquals(0, plain.exitCode(), plain::toString);
    Cli enc = export("--format", "cenc", "--out", cenc.toString(), "--key-out", keyFile.toString());
    assertEquals(0, enc.exitCode(), enc::toString);
    String line = Files.readString(keyFile, StandardCharsets.US_ASCII);
    assertTrue(line.matches("[0-9a-f]{32}:[0-9a-f]{32}\n"), "key file is one line KID:KEY in lower-case hex");
    key = line.substring(33, 65);
    assertFalse(enc.out().contains(key) || enc.err().contains(key), "the key is never printed");
    ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
  }

  static Cli export(String... more) {
    String[] base = {"export", "--store", store.toString(), "--identity", keys.resolve("viewer.key").toString()};
    return Cli.run(CliEndToEndTest.concat(base, more));
  }

  /** What a child ffmpeg printed on stdout and its exit status; killed after the timeout. */
  record Run(int exit, byte[] out, String err) {}

  static Run ffmpeg(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error"));
    cmd.addAll(List.of(args));
    Path stdout = Files.createTempFile(dir, "ffmpeg-", ".out");
    Path stderr = Files.createTempFile(dir, "ffmpeg-", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    // the binary's RUNPATH ($ORIGIN) does not reach its libraries' own dependencies (libva)
    pb.environment().put("LD_LIBRARY_PATH", Path.of(ffmpeg).getParent().toString());
    Process p = pb.start();
    try {
      if (!p.waitFor(FFMPEG_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("ffmpeg did not finish in " + FFMPEG_TIMEOUT_SECONDS + " s: " + cmd);
      }
      return new Run(p.exitValue(), Files.readAllBytes(stdout), Files.readString(stderr));
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  /** The size and MD5 of every video packet, in order ({@code -c copy -f framemd5}). */
  static List<String> packetHashes(String... input) throws Exception {
    List<String> args = new ArrayList<>(List.of(input));
    args.addAll(List.of("-map", "0:v:0", "-c", "copy", "-f", "framemd5", "-"));
    Run r = ffmpeg(args.toArray(new String[0]));
    assertEquals(0, r.exit(), () -> "ffmpeg " + args + " failed: " + r.err());
    List<String> out = new ArrayList<>();
    for (String l : new String(r.out(), StandardCharsets.US_ASCII).split("\n")) {
      if (l.isBlank() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split(",");
      out.add(f[4].trim() + " " + f[5].trim()); // size, md5 (timestamps are the muxer's, not the video)
    }
    return out;
  }

  @Test
  void keyFileIsOwnerOnly() throws Exception {
    assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(keyFile));
  }

  @Test
  void bundledFfmpegDecryptsToTheClearPacketsBitExact() throws Exception {
    List<String> expected = packetHashes("-i", clear.toString());
    List<String> got = packetHashes("-decryption_key", key, "-i", cenc.toString());
    assertEquals(45, expected.size(), "3 s at 15 fps");
    assertEquals(expected, got);
  }

  @Test
  void bundledFfmpegDecodesEveryFrameWithoutAnError() throws Exception {
    Run decode = ffmpeg("-decryption_key", key, "-i", cenc.toString(), "-map", "0:v:0", "-f", "framemd5", "-");
    assertEquals(0, decode.exit(), decode::err);
    assertEquals("", decode.err().strip(), "the decoder reported errors");
    Run reference = ffmpeg("-i", clear.toString(), "-map", "0:v:0", "-f", "framemd5", "-");
    assertEquals(0, reference.exit(), reference::err);
    assertEquals(frameHashes(reference.out()), frameHashes(decode.out()), "decoded pictures");
  }

  static List<String> frameHashes(byte[] framemd5) {
    List<String> out = new ArrayList<>();
    for (String l : new String(framemd5, StandardCharsets.US_ASCII).split("\n")) {
      if (!l.isBlank() && !l.startsWith("#")) {
        out.add(l.substring(l.lastIndexOf(',') + 1).trim());
      }
    }
    return out;
  }

  @Test
  void aWrongKeyOrNoKeyGivesOtherPackets() throws Exception {
    List<String> expected = packetHashes("-i", clear.toString());
    String wrong = (key.charAt(0) == '0' ? "1" : "0") + key.substring(1);
    for (List<String> got : List.of(packetHashes("-decryption_key", wrong, "-i", cenc.toString()),
        packetHashes("-i", cenc.toString()))) {
      assertEquals(expected.size(), got.size());
      for (int i = 0; i < got.size(); i++) {
        assertNotEquals(expected.get(i), got.get(i), "packet " + i + " came out clear");
      }
    }
  }

  @Test
  void theCencFileHoldsNoneOfTheClearSliceData() throws Exception {
    Run raw = ffmpeg("-i", clear.toString(), "-map", "0:v:0", "-c", "copy", "-bsf:v", "h264_mp4toannexb", "-f", "h264", "-");
    assertEquals(0, raw.exit(), raw::err);
    byte[] slices = slicePayloads(raw.out());
    assertTrue(slices.length > 10_000, "the clip has slice data: " + slices.length);
    assertTrue(PlaintextScan.sharesARun(Files.readAllBytes(clear), slices), "positive control: the clear file holds it");
    assertFalse(PlaintextScan.sharesARun(Files.readAllBytes(cenc), slices), "the CENC file holds clear slice data");
  }

  /** The bytes after the header of every coded slice NAL unit (types 1 to 5) of an Annex B stream. */
  static byte[] slicePayloads(byte[] annexB) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i + 3 <= annexB.length; i++) {
      if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1) {
        starts.add(i + 3);
        i += 2;
      }
    }
    for (int k = 0; k < starts.size(); k++) {
      int s = starts.get(k);
      int e = k + 1 < starts.size() ? starts.get(k + 1) - 3 : annexB.length;
      int type = annexB[s] & 0x1f;
      if (type >= 1 && type <= 5 && e > s + 1) {
        out.write(annexB, s + 1, e - s - 1);
      }
    }
    return out.toByteArray();
  }

  @Test
  void keyOutIsRequiredWithCencAndRefusedOtherwise() {
    Path out = dir.resolve("refused.mp4");
    Cli noKey = export("--format", "cenc", "--out", out.toString());
    assertEquals(2, noKey.exitCode(), noKey::toString);
    assertTrue(noKey.oneLineError().contains("--key-out"), noKey::toString);
    Cli stray = export("--format", "mp4", "--out", out.toString(), "--key-out", dir.resolve("stray.key").toString());
    assertEquals(2, stray.exitCode(), stray::toString);
    assertFalse(Files.exists(out));
    assertFalse(Files.exists(dir.resolve("stray.key")));
  }

  @Test
  void aFailedCencExportLeavesNoFile() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("failing"));
    Path out = sub.resolve("cenc.mp4");
    // the key file's folder does not exist: the export fails after the video was written
    Path key = sub.resolve("missing").resolve("cenc.key");
    Cli failed = export("--format", "cenc", "--out", out.toString(), "--key-out", key.toString());
    assertNotEquals(0, failed.exitCode(), failed::toString);
    try (Stream<Path> left = Files.list(sub)) {
      assertEquals(List.of(), left.toList(), "no target, key file or temporary file is left");
    }
  }
}
