package dev.obscura.crypto.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.core.MalformedDataException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed roster vectors are what the code generates, and each meets its expectation. */
class RosterVectorsTest {
  static Path dir() {
    return Path.of(System.getProperty("obscura.root", "..")).resolve("docs/spec/vectors/roster");
  }

  @Test
  void committedVectorsMatchTheGenerator() throws Exception {
    Map<String, String> generated = RosterVectors.generate();
    Path dir = dir();
    if (Boolean.getBoolean("obscura.regenerateVectors")) {
      Files.createDirectories(dir);
      for (Map.Entry<String, String> e : generated.entrySet()) {
        Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      }
    }
    TreeSet<String> committed = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> committed.add(p.getFileName().toString()));
    }
    assertEquals(new TreeSet<>(generated.keySet()), committed);
    for (Map.Entry<String, String> e : generated.entrySet()) {
      assertEquals(e.getValue(), Files.readString(dir.resolve(e.getKey()), StandardCharsets.UTF_8), e.getKey());
    }
  }

  @Test
  void everyVectorMeetsItsExpectation() throws Exception {
    try (Stream<Path> files = Files.list(dir())) {
      for (Path f : files.sorted().toList()) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          int c = line.indexOf(": ");
          v.put(line.substring(0, c), line.substring(c + 2));
        }
        byte[] bytes = HexFormat.of().parseHex(v.get("roster"));
        Roster trusted = v.get("trusted").equals("none") ? null : Roster.parse(HexFormat.of().parseHex(v.get("trusted")));
        String expect = v.get("expect");
        if (expect.equals("MalformedDataException")) {
          assertThrows(MalformedDataException.class, () -> Roster.parse(bytes), f.toString());
          continue;
        }
        Roster r = Roster.parse(bytes);
        if (expect.equals("valid")) {
          if (trusted == null) {
            r.verifyGenesis();
          } else {
            r.verifySuccessorOf(trusted);
          }
          assertEquals(v.get("digest"), HexFormat.of().formatHex(r.digest()), f.toString());
          assertEquals(v.get("fingerprint"), r.fingerprint(), f.toString());
        } else {
          RosterRejectedException e = assertThrows(RosterRejectedException.class,
              () -> { if (trusted == null) r.verifyGenesis(); else r.verifySuccessorOf(trusted); }, f.toString());
          assertEquals(RosterRejectedException.Reason.valueOf(expect), e.reason(), f + ": " + e.getMessage());
        }
      }
    }
  }
}
