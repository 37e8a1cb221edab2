package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.EpochId;
import dev.obscura.core.ObscuraException;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed spec vectors are what the code generates, and the reader meets every expect line. */
class SpecVectorsTest {
  static Path dir() {
    return Path.of(System.getProperty("obscura.root", "..")).resolve("docs/spec/vectors/segment");
  }

  @Test
  void committedVectorsMatchTheGenerator() throws Exception {
    Map<String, String> generated = SpecVectors.generate();
    Path dir = dir();
    if (Boolean.getBoolean("obscura.regenerateVectors")) {
      Files.createDirectories(dir);
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
      for (Map.Entry<String, String> e : generated.entrySet()) {
        Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      }
    }
    TreeSet<String> committed = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> committed.add(p.getFileName().toString()));
    }
    assertEquals(new TreeSet<>(generated.keySet()), committed, "vector files differ from the generator's");
    for (Map.Entry<String, String> e : generated.entrySet()) {
      assertEquals(e.getValue(), Files.readString(dir.resolve(e.getKey()), StandardCharsets.UTF_8),
          e.getKey() + " differs from what the generator makes");
    }
  }

  @Test
  void everyVectorMeetsItsExpectation() throws Exception {
    int valid = 0;
    int invalid = 0;
    try (Stream<Path> files = Files.list(dir()).sorted()) {
      for (Path file : files.toList()) {
        Map<String, String> v = parse(file);
        byte[] sealed = HexFormat.of().parseHex(v.get("sealed"));
        byte[] epochKey = HexFormat.of().parseHex(v.get("epoch_key"));
        EpochKey key = new EpochKey(SpecVectors.STREAM, EpochId.of(Long.parseLong(v.get("epoch"))),
            SecretBytes.copyFrom(epochKey, InsecureSecretAccess.get()));
        String expect = v.get("expect");
        if (expect.equals("valid")) {
          OpenedSegment opened = new SegmentOpener().open(sealed, key);
          assertArrayEquals(HexFormat.of().parseHex(v.get("plaintext")), opened.plaintext(), file.toString());
          assertEquals(v.get("digest"), HexFormat.of().formatHex(opened.digest()), file.toString());
          // the segment key alone opens it too (what a share grant hands out)
          OpenedSegment again = new SegmentOpener().openWithSegmentKey(sealed,
              SecretBytes.copyFrom(HexFormat.of().parseHex(v.get("segment_key")), InsecureSecretAccess.get()));
          assertArrayEquals(opened.plaintext(), again.plaintext());
          valid++;
        } else {
          ObscuraException e = assertThrows(ObscuraException.class, () -> new SegmentOpener().open(sealed, key),
              file.toString());
          assertEquals(expect, e.getClass().getSimpleName(), file + ": " + e.getMessage());
          invalid++;
        }
      }
    }
    assertEquals(5, valid);
    assertEquals(17, invalid);
  }

  static Map<String, String> parse(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int colon = line.indexOf(": ");
      if (colon < 0) {
        fail("bad line in " + file + ": " + line);
      }
      out.put(line.substring(0, colon), line.substring(colon + 2));
    }
    assertTrue(out.containsKey("scenario") && out.containsKey("expect") && out.containsKey("comment"));
    return out;
  }
}
