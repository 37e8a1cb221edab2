package dev.obscura.crypto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.ObscuraException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;

/** Spec vector files under {@code docs/spec/vectors/KIND/}: one scenario per file. */
public final class VectorFiles {
  private VectorFiles() {}

  public static Path dir(String kind) {
    return Path.of(System.getProperty("obscura.root", "..")).resolve("docs/spec/vectors").resolve(kind);
  }

  /**
   * Checks the committed files are exactly {@code generated}; with {@code
   * -Dobscura.regenerateVectors=true}, rewrites them first.
   */
  public static void check(String kind, Map<String, String> generated) throws IOException {
    Path dir = dir(kind);
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

  /** Every file of {@code kind}, as key/value maps, sorted by name. */
  public static List<Map<String, String>> read(String kind) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir(kind)).sorted()) {
      for (Path file : files.toList()) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          int colon = line.indexOf(": ");
          if (colon < 0) {
            fail("bad line in " + file + ": " + line);
          }
          v.put(line.substring(0, colon), line.substring(colon + 2));
        }
        assertTrue(v.containsKey("scenario") && v.containsKey("expect") && v.containsKey("comment"));
        out.add(v);
      }
    }
    return out;
  }

  /** What a test does with one vector: its fields, by name. */
  public interface Check {
    void accept(Map<String, String> vector) throws Exception;
  }

  /** Reads one vector's inputs and returns the call that must refuse them. */
  public interface Opener {
    Executable open(Map<String, String> vector) throws Exception;
  }

  /**
   * Checks every vector of {@code kind} against its {@code expect:} line: a {@code valid} one
   * goes to {@code valid}; for any other, the call {@code refused} returns must throw the {@link
   * ObscuraException} the line names by its simple class name.
   *
   * @return how many valid vectors there were
   */
  public static int checkExpectations(String kind, Check valid, Opener refused) throws Exception {
    int count = 0;
    for (Map<String, String> v : read(kind)) {
      if (v.get("expect").equals("valid")) {
        valid.accept(v);
        count++;
      } else {
        ObscuraException e = assertThrows(ObscuraException.class, refused.open(v), v.get("scenario"));
        assertEquals(v.get("expect"), e.getClass().getSimpleName(), v.get("scenario"));
      }
    }
    return count;
  }

  /** A copy of {@code b} with the low bit of byte {@code i} flipped. */
  public static byte[] flip(byte[] b, int i) {
    byte[] t = b.clone();
    t[i] ^= 1;
    return t;
  }

  /** A copy of {@code b} with byte {@code i} set to {@code v}. */
  public static byte[] set(byte[] b, int i, int v) {
    byte[] t = b.clone();
    t[i] = (byte) v;
    return t;
  }

  /** A copy of {@code b} with the big-endian 16-bit field at {@code i} set to {@code v}. */
  public static byte[] setShort(byte[] b, int i, int v) {
    byte[] t = b.clone();
    ByteBuffer.wrap(t).putShort(i, (short) v);
    return t;
  }

  /** A copy of {@code b} with the big-endian 64-bit field at {@code i} set to {@code v}. */
  public static byte[] setLong(byte[] b, int i, long v) {
    byte[] t = b.clone();
    ByteBuffer.wrap(t).putLong(i, v);
    return t;
  }
}
