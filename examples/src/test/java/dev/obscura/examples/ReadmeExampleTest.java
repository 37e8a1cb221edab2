package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.Mp4Probe;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding example in README.md compiles against the published API and runs. */
class ReadmeExampleTest {
  private static final Pattern BLOCK = Pattern.compile(
      "<!-- embedding-example -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

  static String readmeExample() throws Exception {
    Path readme = Path.of(System.getProperty("obscura.root", "..")).resolve("README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    Matcher m = BLOCK.matcher(text);
    assertTrue(m.find(), "README.md has no embedding example block");
    return m.group(1);
  }

  @Test
  void embeddingExampleCompilesAndRuns(@TempDir Path tmp) throws Exception {
    String source = readmeExample();
    long codeLines = source.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("import ") && !l.startsWith("//")
            && !l.equals("}") && !l.startsWith("public class") && !l.startsWith("public static void main"))
        .count();
    assertTrue(codeLines <= 12, "the embedding example should stay about ten lines, has " + codeLines);

    Path src = tmp.resolve("src/Example.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source, StandardCharsets.UTF_8);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null,
        "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"),
        src.toString());
    assertEquals(0, rc, "README example does not compile");

    Path work = Files.createDirectories(tmp.resolve("run"));
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> example = loader.loadClass("Example");
      Method main = example.getMethod("main", String[].class);
      main.invoke(null, (Object) new String[] {work.toString()});
    }
    Path mp4 = work.resolve("clip.mp4");
    assertTrue(Files.size(mp4) > 0);
    Mp4Probe.Result probe = Mp4Probe.probe(mp4);
    assertEquals(90, probe.frames(), "the example records 3 s at 30 fps");
    List<File> sealed = Files.walk(work.resolve("store")).filter(Files::isRegularFile).map(Path::toFile).toList();
    assertTrue(sealed.size() >= 2, "segments and an envelope are in the store");
  }
}
