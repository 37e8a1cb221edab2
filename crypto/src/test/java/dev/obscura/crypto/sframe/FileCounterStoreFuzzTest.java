package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the SFrame counter file ({@link FileCounterStore}) with arbitrary bytes as its contents.
 * Loading either refuses with the documented {@link IOException} (a damaged counter is never
 * read as 0) or gives a value of at least 0; the format is canonical (fixed size, checksummed), so
 * storing that value again writes the input byte for byte, a new store reads it back, and the
 * value can only go up.
 */
class FileCounterStoreFuzzTest {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("counter-fuzz");
      DIR.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void loadAndRestore(byte[] data) throws IOException {
    Path f = DIR.resolve("sframe.ctr");
    Files.write(f, data);
    long v;
    try (FileCounterStore s = FileCounterStore.open(f)) {
      try {
        v = s.load();
      } catch (IOException refused) {
        return;
      }
      if (v < 0) {
        throw new AssertionError("a counter below 0 was loaded: " + v);
      }
      s.store(v);
      assertArrayEquals(data, Files.readAllBytes(f), "the counter file is canonical");
      try {
        s.store(v - 1);
        if (v > 0) {
          throw new AssertionError("the counter went down");
        }
      } catch (IllegalArgumentException expected) {
        // never down
      }
    }
    try (FileCounterStore s = FileCounterStore.open(f)) {
      assertEquals(v, s.load());
    }
  }
}
