package dev.obscura.crypto.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.crypto.audit.AuditHead;
import dev.obscura.crypto.roster.RosterRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fuzzes the trust file ({@link FileTrustStore}, a device's memory of what each store showed it)
 * with arbitrary bytes as its contents. Loading either fails with the documented {@link
 * IOException} (a damaged trust file is refused, never treated as empty) or succeeds; then saving
 * a pin rewrites every entry read, and the rewrite is a fixed point: saving the same pin again
 * leaves the file byte for byte the same (so no entry read was lost or altered by the reader and
 * writer), and the pin reads back equal. The text format is not canonical (comments, blank lines,
 * spacing and the roster version of an absent roster are free), so the input itself is not
 * compared.
 */
class FileTrustStoreFuzzTest {
  private static final Path DIR;
  private static final StorePin PIN = new StorePin(new RosterRef(3, filled(32, 1)), null,
      new AuditHead(7, filled(32, 2)));

  static {
    try {
      DIR = Files.createTempDirectory("trust-fuzz");
      DIR.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  @FuzzTest(maxDuration = "60s")
  void loadAndRewrite(byte[] data) throws IOException {
    Path f = DIR.resolve("fuzz.trust");
    Files.write(f, data);
    FileTrustStore store = new FileTrustStore(f);
    Optional<StorePin> before;
    try {
      before = store.load("some-store");
    } catch (IOException refused) {
      return;
    }
    store.save("fuzz-store", PIN);
    byte[] once = Files.readAllBytes(f);
    assertEquals(before, store.load("some-store"));
    assertEquals(Optional.of(PIN), store.load("fuzz-store"));
    store.save("fuzz-store", PIN);
    assertArrayEquals(once, Files.readAllBytes(f), "the trust file's rewrite is a fixed point");
  }
}
