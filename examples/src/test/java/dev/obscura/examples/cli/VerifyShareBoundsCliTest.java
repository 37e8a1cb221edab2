package dev.obscura.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.crypto.keys.ViewerIdentity;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify-share checks a grant's magic and framing before it reads the file: 2 GB sparse files
 * (a valid-looking magic with absurd lengths, garbage, zeros after a plausible header) are refused
 * with one line and exit 5 by a CLI with a 512 MiB heap, quickly and without running out of memory.
 */
class VerifyShareBoundsCliTest {
  static final long TWO_GB = 2_000_000_000L;
  @TempDir static Path dir;
  static Path key;

  @BeforeAll
  static void identity() throws Exception {
    key = dir.resolve("viewer.key");
    ViewerIdentity.generate().writeTo(key, Secrets.protection(null));
  }

  record Ran(int code, String output, long millis) {}

  static Ran verifyShare(Path grant) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "dev.obscura.examples.cli.ObscuraCli",
        "verify-share", "--grant", grant.toString(), "--identity", key.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("OBSCURA_PASSPHRASE");
    long t0 = System.nanoTime();
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "verify-share ended");
    return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip(), (System.nanoTime() - t0) / 1_000_000);
  }

  static Path sparse(String name, long length, byte[] head) throws Exception {
    Path f = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(length);
      raf.seek(0);
      raf.write(head);
    }
    return f;
  }

  static void assertRefused(Ran r, int exit, String contains) {
    assertEquals(exit, r.code(), r::toString);
    assertFalse(r.output().contains("\n"), () -> "one line: " + r.output());
    assertFalse(r.output().contains("OutOfMemoryError") || r.output().contains("Exception"), r::toString);
    assertTrue(r.output().startsWith("obscura: "), r::toString);
    assertTrue(r.output().contains(contains), r::toString);
    assertTrue(r.millis() < 30_000, () -> "quickly: " + r.millis() + " ms");
  }

  @Test
  void aValidMagicWithAnAbsurdLengthIsRefusedBeforeReading() throws Exception {
    byte[] head = ByteBuffer.allocate(9).put(new byte[] {'O', 'B', 'S', 'H', 1}).putInt(0x7fff_fff0).array();
    assertRefused(verifyShare(sparse("absurd.grant", TWO_GB, head)), 5, "record length 2147483632 is over its bound");
  }

  @Test
  void garbageIsRefusedByItsMagic() throws Exception {
    byte[] head = new java.util.Random(7).ints(64, 0, 256).collect(java.io.ByteArrayOutputStream::new,
        (o, i) -> o.write(i), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray();
    assertRefused(verifyShare(sparse("garbage.grant", TWO_GB, head)), 5, "bad magic");
    assertRefused(verifyShare(sparse("zeros.grant", TWO_GB, new byte[0])), 5, "bad magic");
  }

  @Test
  void aPlausibleHeaderFollowedByZerosIsRefused() throws Exception {
    byte[] head = ByteBuffer.allocate(9).put(new byte[] {'O', 'B', 'S', 'H', 1}).putInt(100).array();
    assertRefused(verifyShare(sparse("zeros-after-header.grant", TWO_GB, head)), 5, "no chain manifest");
  }

  /** Framing that adds up (7 segments of 256 MiB) but cannot fit the heap: refused before allocating. */
  @Test
  void aWellFramedGrantTooLargeForTheHeapIsRefusedBeforeAllocating() throws Exception {
    int seg = 256 << 20;
    ByteBuffer b = ByteBuffer.allocate(5 + 4 + 64 + 2 + 4 + 2 + 4 + 4 + 4);
    b.put(new byte[] {'O', 'B', 'S', 'H', 1}).putInt(0).put(new byte[64]).putShort((short) 0).putInt(0)
        .putShort((short) 1).putInt(0).putInt(7).putInt(seg);
    long size = b.capacity() + 6L * (4 + seg) + seg;
    Path f = sparse("huge.grant", size, b.array());
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      for (int i = 1; i < 7; i++) {
        raf.seek(b.capacity() + (long) i * seg + (i - 1) * 4L);
        raf.writeInt(seg);
      }
    }
    assertRefused(verifyShare(f), 1, "raise -Xmx");
    // one byte more is trailing garbage: malformed
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(size + 1);
    }
    assertRefused(verifyShare(f), 5, "trailing bytes");
  }
}
