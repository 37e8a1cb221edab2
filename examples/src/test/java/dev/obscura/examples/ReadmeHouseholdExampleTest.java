package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.TrustStore;
import dev.obscura.transport.FileSystemSegmentStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The household examples in README.md (enrol, share) compile against the published API, run, and
 * do what they say; their code lines are counted with {@link ReadmeExampleTest}'s rule.
 */
class ReadmeHouseholdExampleTest {
  static String block(String marker) throws Exception {
    Path readme = Path.of(System.getProperty("obscura.root", "..")).resolve("README.md");
    Matcher m = Pattern.compile("<!-- " + marker + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(readme, StandardCharsets.UTF_8));
    assertTrue(m.find(), "README.md has no " + marker + " block");
    return m.group(1);
  }

  /** The rule of {@link ReadmeExampleTest}: no imports, comments, braces or class and main lines. */
  static long codeLines(String source) {
    return source.lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("import ") && !l.startsWith("//")
            && !l.equals("}") && !l.startsWith("public class") && !l.startsWith("public static void main"))
        .count();
  }

  /** Compiles {@code source} as class {@code name}, runs its main with {@code dir}, returns what it printed. */
  static String run(String name, String source, Path tmp, Path dir) throws Exception {
    Path src = tmp.resolve("src/" + name + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source, StandardCharsets.UTF_8);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        src.toString()), "README example " + name + " does not compile");
    PrintStream saved = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getLoader())) {
      Method main = loader.loadClass(name).getMethod("main", String[].class);
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[] {dir.toString()});
    } finally {
      System.setOut(saved);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    saved.print(out);
    return out;
  }

  private static ClassLoader getLoader() {
    return ReadmeHouseholdExampleTest.class.getClassLoader();
  }

  private static Household.Audit audit(Path dir) throws Exception {
    return Household.of(new FileSystemSegmentStore(dir.resolve("store")), TrustStore.none(), "home").audit();
  }

  @Test
  void enrolExampleCompilesAndRuns(@TempDir Path tmp) throws Exception {
    String source = block("enrol-example");
    long lines = codeLines(source);
    System.out.println("enrol example: " + lines + " code lines");
    assertTrue(lines <= 12, "the enrol example should stay about ten lines, has " + lines);
    Path dir = Files.createDirectories(tmp.resolve("run"));
    String out = run("EnrolExample", source, tmp, dir);
    assertTrue(out.contains("the tablet verified roster version 2"), out);
    assertTrue(out.contains("USAGE"), "self-revocation is refused as a usage error: " + out);
    // the tablet pinned what it verified; the audit log holds the setup and the enrolment
    assertTrue(Files.exists(dir.resolve("tablet.trust")), "the tablet pinned the roster it verified");
    Household.Audit audit = audit(dir);
    assertTrue(audit.verified(), audit.problems().toString());
    assertEquals(2, audit.log().entries().stream().filter(e -> e.type() == AuditEntry.Type.ENROL).count());
  }

  @Test
  void shareExampleCompilesAndRuns(@TempDir Path tmp) throws Exception {
    String source = block("share-example");
    long lines = codeLines(source);
    System.out.println("share example: " + lines + " code lines");
    // it also sets up what it shares (a household, a paired camera, a recording): the share is the last five
    assertTrue(lines <= 15, "the share example should stay about ten lines of sharing plus its setup, has " + lines);
    Path dir = Files.createDirectories(tmp.resolve("run"));
    String out = run("ShareExample", source, tmp, dir);
    Matcher m = Pattern.compile("(?m)^(\\d+) segments verified$").matcher(out);
    assertTrue(m.find(), out);
    int segments = Integer.parseInt(m.group(1));
    assertTrue(segments >= 2 && segments <= 3, "two seconds of one-second segments: " + out);
    Household.Audit audit = audit(dir);
    assertTrue(audit.verified(), audit.problems().toString());
    assertEquals(1, audit.log().entries().stream().filter(e -> e.type() == AuditEntry.Type.SHARE).count(),
        "the share is in the audit log");
    assertTrue(audit.log().entries().stream().filter(e -> e.type() == AuditEntry.Type.SHARE)
        .allMatch(e -> Household.describeEntry(e).contains("segments 1..2")), "the grant covers [+1 s, +3 s)");
  }
}
