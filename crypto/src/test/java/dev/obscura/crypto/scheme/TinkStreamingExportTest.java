package dev.obscura.crypto.scheme;

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
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import dev.obscura.crypto.testing.SentinelReads;
import dev.obscura.transport.testing.SecretScan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Also runs on tink-android (crypto's viewer-side tests). */
class TinkStreamingExportTest {
  @TempDir Path dir;

  static byte[] decrypt(Path keyset, byte[] ciphertext) throws Exception {
    StreamingAeadConfig.register();
    KeysetHandle h = TinkJsonProtoKeysetFormat.parseKeyset(
        new String(Files.readAllBytes(keyset), StandardCharsets.UTF_8), InsecureSecretKeyAccess.get());
    StreamingAead a = h.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    try (InputStream in = a.newDecryptingStream(new ByteArrayInputStream(ciphertext), new byte[0])) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) != -1; ) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  @Test
  void stockTinkDecryptsTheFileWithTheKeyset() throws Exception {
    byte[] clear = new byte[3 * (1 << 20) + 123];
    new Random(1).nextBytes(clear);
    Path in = dir.resolve("clip.mp4");
    Files.write(in, clear);
    TinkStreamingExport export = TinkStreamingExport.generate();
    Path file = dir.resolve("clip.tink");
    Path keyset = dir.resolve("clip.keyset.json");
    export.encryptFile(in, file);
    export.writeKeyset(keyset);
    assertArrayEquals(clear, decrypt(keyset, Files.readAllBytes(file)));
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(keyset));
    }
    // no window of the keyset's key in toString; the scan does find it in the keyset file itself,
    // base64 inside the JSON at whatever byte alignment the key has in the serialised key
    String json = Files.readString(keyset);
    byte[] material = ((AesGcmHkdfStreamingKey) TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get())
        .getPrimary().getKey()).getInitialKeyMaterial().toByteArray(InsecureSecretKeyAccess.get());
    SecretScan.assertNoLeak(export.toString(), material);
    assertThrows(AssertionError.class, () -> SecretScan.assertNoLeak(json, material));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(3, s.count(), "no temporary file left");
    }
  }

  @Test
  void refusesExistingFilesAndAChangedCiphertext() throws Exception {
    Path in = dir.resolve("clip.mp4");
    Files.write(in, new byte[100_000]);
    TinkStreamingExport export = TinkStreamingExport.generate();
    Path file = dir.resolve("clip.tink");
    Path keyset = dir.resolve("k.json");
    export.encryptFile(in, file);
    export.writeKeyset(keyset);
    assertThrows(FileAlreadyExistsException.class, () -> export.encryptFile(in, file));
    assertThrows(FileAlreadyExistsException.class, () -> export.writeKeyset(keyset));
    byte[] c = Files.readAllBytes(file);
    c[c.length / 2] ^= 1;
    assertThrows(IOException.class, () -> decrypt(keyset, c));
    // streamed: the failing read (and every read after it) leaves the caller's buffer untouched,
    // for reads smaller and larger than Tink's segment, and nothing past the flip is released
    StreamingAead a = TinkJsonProtoKeysetFormat.parseKeyset(
        new String(Files.readAllBytes(keyset), StandardCharsets.UTF_8), InsecureSecretKeyAccess.get())
        .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    for (int len : new int[] {8192, 300_000}) {
      try (InputStream d = a.newDecryptingStream(new ByteArrayInputStream(c), new byte[0])) {
        SentinelReads.Result r = SentinelReads.drain(d::read, len, "tink, reads of " + len);
        assertTrue(r.error() instanceof IOException, "tink, reads of " + len + ": " + r.error());
        assertTrue(r.released().length < c.length / 2, "released past the flip: " + r.released().length);
        assertArrayEquals(new byte[r.released().length], r.released());
      }
    }
  }

  @Test
  void twoExportsHaveDifferentKeys() throws Exception {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    TinkStreamingExport.generate().writeKeyset(a);
    TinkStreamingExport.generate().writeKeyset(b);
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)));
  }
}
