package dev.obscura.examples.scenarios;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the scenario tests do to files as the hostile provider, and what they check the cloud holds. */
final class ScenarioFiles {
  private ScenarioFiles() {}

  /** Flips the last byte of {@code file} (a ciphertext byte of a segment); returns the original bytes. */
  static byte[] flipLastByte(Path file) throws IOException {
    byte[] original = Files.readAllBytes(file);
    byte[] b = original.clone();
    b[b.length - 1] ^= 0x01;
    Files.write(file, b);
    return original;
  }

  /**
   * Checks that no file of the cloud shows an MP4 box name that the plaintext {@code clip}, made
   * from the same footage, does show: the cloud holds ciphertext only.
   */
  static void assertCiphertextOnly(Path cloud, Path clip) throws IOException {
    List<String> boxes = List.of("ftyp", "moov", "mdat");
    String plain = new String(Files.readAllBytes(clip), StandardCharsets.ISO_8859_1);
    for (String box : boxes) {
      assertTrue(plain.contains(box), "the plaintext clip shows '" + box + "' (the check is not vacuous)");
    }
    int files = 0;
    try (Stream<Path> all = Files.walk(cloud)) {
      for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        String held = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        for (String box : boxes) {
          assertFalse(held.contains(box), () -> p + " holds an MP4 '" + box + "' box in the clear");
        }
        files++;
      }
    }
    assertTrue(files > 0, "the cloud holds files");
  }
}
