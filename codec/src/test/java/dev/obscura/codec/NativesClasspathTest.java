package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The classpath Maven resolves for codec (the one an embedder gets from obscura-codec): the FFmpeg
 * and JavaCPP natives of exactly one platform, the one {@code javacpp.platform} names (the host's
 * by default), and no JavaFX (JavaCV pulls it in; the parent POM excludes it).
 */
class NativesClasspathTest {

  // ffmpeg-8.1.2-1.5.14-linux-x86_64.jar, javacpp-1.5.14-macosx-arm64.jar
  private static final Pattern NATIVES =
      Pattern.compile("(ffmpeg|javacpp)-[0-9][0-9.]*(?:-[0-9.]+)?-([a-z]+-[a-z0-9_]+)\\.jar");

  private static List<String> classpathJars() {
    List<String> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      jars.add(new File(entry).getName());
    }
    return jars;
  }

  @Test
  void nativesOfExactlyOnePlatform() {
    Set<String> ffmpeg = new TreeSet<>();
    Set<String> javacpp = new TreeSet<>();
    for (String jar : classpathJars()) {
      Matcher m = NATIVES.matcher(jar);
      if (m.matches()) {
        (m.group(1).equals("ffmpeg") ? ffmpeg : javacpp).add(m.group(2));
      }
    }
    assertEquals(1, ffmpeg.size(), "FFmpeg natives on the classpath: " + ffmpeg);
    assertEquals(ffmpeg, javacpp, "JavaCPP natives must be of FFmpeg's platform");
    String expected = System.getProperty("javacpp.platform");
    assertEquals(expected, ffmpeg.iterator().next(), "natives of javacpp.platform");
  }

  @Test
  void noJavaFx() {
    for (String jar : classpathJars()) {
      assertTrue(!jar.startsWith("javafx-"), "JavaFX on the classpath: " + jar);
    }
  }
}
