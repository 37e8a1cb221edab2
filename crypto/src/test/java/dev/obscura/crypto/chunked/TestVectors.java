package dev.obscura.crypto.chunked;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Loads Wycheproof files from the folder named by the {@code obscura.testvectors} property. */
public final class TestVectors {
  private TestVectors() {}

  public static Path dir() {
    String d = System.getProperty("obscura.testvectors");
    if (d == null || d.isBlank()) {
      throw new IllegalStateException(
          "system property obscura.testvectors is not set (the parent pom's surefire sets it)");
    }
    Path p = Path.of(d);
    if (!Files.isDirectory(p.resolve("wycheproof"))) {
      throw new IllegalStateException("test vectors not found at " + p.toAbsolutePath());
    }
    return p;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> wycheproof(String file) throws IOException {
    Path f = dir().resolve("wycheproof").resolve(file);
    if (!Files.isRegularFile(f)) {
      throw new IllegalStateException("missing test vector file " + f);
    }
    return (Map<String, Object>) Json.parse(Files.readString(f, StandardCharsets.UTF_8));
  }

  /** A test with its group, flattened. */
  public record Case(Map<String, Object> group, Map<String, Object> test) {
    public String str(String k) {
      return (String) test.get(k);
    }

    public byte[] hex(String k) {
      return HexFormat.of().parseHex((String) test.get(k));
    }

    public boolean has(String k) {
      return test.containsKey(k);
    }

    public long num(String k) {
      return ((Number) test.get(k)).longValue();
    }

    public long groupNum(String k) {
      return ((Number) group.get(k)).longValue();
    }

    @SuppressWarnings("unchecked")
    public List<String> flags() {
      return (List<String>) test.getOrDefault("flags", List.of());
    }

    public String result() {
      return str("result");
    }

    public long tcId() {
      return num("tcId");
    }
  }

  @SuppressWarnings("unchecked")
  public static List<Case> cases(Map<String, Object> doc) {
    List<Case> out = new ArrayList<>();
    for (Object g : (List<Object>) doc.get("testGroups")) {
      Map<String, Object> group = (Map<String, Object>) g;
      for (Object t : (List<Object>) group.get("tests")) {
        out.add(new Case(group, (Map<String, Object>) t));
      }
    }
    return out;
  }

  /**
   * Every case of Wycheproof {@code file}, flattened, after checking that their number is the one
   * the file's header states (so a file cut short between tests fails loudly).
   */
  public static List<Case> allCases(String file) throws IOException {
    Map<String, Object> doc = wycheproof(file);
    List<Case> cases = cases(doc);
    long declared = ((Number) doc.get("numberOfTests")).longValue();
    if (cases.size() != declared) {
      throw new IllegalStateException(file + " holds " + cases.size() + " tests, its header says "
          + declared);
    }
    return cases;
  }
}
