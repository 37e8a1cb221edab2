package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.FfmpegLogs;
import dev.obscura.core.StreamId;
import dev.obscura.transport.relay.RelayConfig;
import dev.obscura.transport.relay.RelayServer;
import dev.obscura.transport.relay.RelayStats;
import dev.obscura.transport.relay.RelayStreams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two live examples in README.md (camera and viewer) compile against the published API and
 * run against a real relay on loopback: the camera example publishes 3 s of the synthetic camera,
 * the viewer example, on a device enrolled in the camera's roster, verifies every frame.
 */
class ReadmeLiveExampleTest {
  static {
    FfmpegLogs.errorsOnly();
  }

  static final StreamId PORCH = StreamId.of("porch");
  static final String PUB = "porch-publish-0123456789abcdef";
  static final String SUB = "porch-subscribe-0123456789abcdef";

  /** The java block after {@code <!-- marker -->} in README.md. */
  static String readmeBlock(String marker) throws Exception {
    Path readme = Path.of(System.getProperty("obscura.root", "..")).resolve("README.md");
    Matcher m = Pattern.compile("<!-- " + Pattern.quote(marker) + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(readme, StandardCharsets.UTF_8));
    assertTrue(m.find(), "README.md has no " + marker + " block");
    return m.group(1);
  }

  /** Code lines as {@link ReadmeExampleTest} counts them: no imports, comments, closing braces, class or main line. */
  static long codeLines(String source) {
    return source.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("import ") && !l.startsWith("//")
            && !l.equals("}") && !l.startsWith("public class") && !l.startsWith("public static void main"))
        .count();
  }

  /** Compiles {@code source} (class {@code name}) against the test class path into {@code dir}. */
  static Method compileMain(String name, String source, Path dir) throws Exception {
    Path src = dir.resolve("src/" + name + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source, StandardCharsets.UTF_8);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        src.toString());
    assertEquals(0, rc, "README example " + name + " does not compile");
    URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ReadmeLiveExampleTest.class.getClassLoader());
    return loader.loadClass(name).getMethod("main", String[].class);
  }

  static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void liveCameraAndViewerExamplesCompileAndRunAgainstARealRelay(@TempDir Path tmp) throws Exception {
    String camera = readmeBlock("live-camera-example");
    String viewer = readmeBlock("live-viewer-example");
    long cameraLines = codeLines(camera);
    long viewerLines = codeLines(viewer);
    System.out.printf("README live examples: camera %d code lines, viewer %d code lines%n", cameraLines, viewerLines);
    assertTrue(cameraLines <= 12, "the live camera example should stay about ten lines, has " + cameraLines);
    assertTrue(viewerLines <= 12, "the live viewer example should stay about ten lines, has " + viewerLines);
    Method cameraMain = compileMain("LiveCameraExample", camera, tmp.resolve("camera-example"));
    Method viewerMain = compileMain("LiveViewerExample", viewer, tmp.resolve("viewer-example"));

    Household home = new Household(tmp.resolve("home")); // a paired camera, the phone enrolled
    String store = home.storeDir.toAbsolutePath().normalize().toString(); // the store id the phone pinned
    PrintStream console = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (RelayServer relay = RelayServer.start(RelayConfig.builder().port(0).build(),
        RelayStreams.builder().add(PORCH.toString(), PUB, SUB).build())) {
      String url = relay.uri().toString();
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      AtomicReference<Throwable> viewerFailed = new AtomicReference<>();
      Thread phone = new Thread(() -> {
        try {
          viewerMain.invoke(null, (Object) new String[] {url, store, home.phoneKey.toString(), SUB, platformKey()});
        } catch (Throwable t) {
          viewerFailed.set(t);
        }
      }, "readme-viewer");
      phone.start();
      await(() -> viewerCount(relay) == 1 || !phone.isAlive(), "the viewer example to subscribe");
      cameraMain.invoke(null, (Object) new String[] {url, store, home.cameraDir.toString(), PUB, platformKey()});
      // every message of the camera (1 envelope, 45 frames) handed to the viewer, then the relay ends the stream
      await(() -> delivered(relay) >= 46 || !phone.isAlive(), "the relay to deliver 46 messages");
      relay.close();
      phone.join(30_000);
      assertNull(viewerFailed.get(), () -> "viewer example failed: " + viewerFailed.get());
    } finally {
      System.setOut(console);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    console.print(out);
    assertTrue(out.contains("45 frames sealed and published"), out);
    Matcher m = Pattern.compile("(\\d+) frames verified, (\\d+) refused").matcher(out);
    assertTrue(m.find(), out);
    assertEquals(45, Integer.parseInt(m.group(1)), "the viewer verified every frame: " + out);
    assertEquals(0, Integer.parseInt(m.group(2)), out);
  }

  static int viewerCount(RelayServer relay) {
    return relay.stats().stream(PORCH).map(s -> s.viewers().size()).orElse(0);
  }

  static long delivered(RelayServer relay) {
    return relay.stats().stream(PORCH).map(s -> s.viewers().stream().mapToLong(RelayStats.ViewerStats::messagesOut).sum())
        .orElse(0L);
  }

  /** The platform key file the test JVM's key files are protected with (set by the POM). */
  private static String platformKey() {
    return System.getenv("OBSCURA_PLATFORM_KEY");
  }
}
