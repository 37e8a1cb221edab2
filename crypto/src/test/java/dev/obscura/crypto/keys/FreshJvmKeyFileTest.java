package dev.obscura.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a key file is the first thing a command-line process does, so it must work in a JVM in
 * which no other Obscura class has run. In the shared test JVM something else has always loaded
 * first: Tink's HPKE serialization was once registered only as a side effect of another class's
 * static initializer, every unit test passed, and {@code obscura export} (a fresh process)
 * refused a good identity with "holds no HPKE X25519 private key". This test reads the files in
 * a child JVM that does nothing else.
 */
class FreshJvmKeyFileTest {
  @TempDir Path dir;

  /** The child: reads each identity file and prints its key id, nothing else loaded before. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      KeyProtection platform = KeyProtection.platformKey(Paths.get(args[0]));
      System.out.println(ViewerIdentity.readFrom(Paths.get(args[1]), platform).publicKey().keyIdHex());
    }
  }

  @Test
  void aFreshJvmReadsAnIdentityFile() throws Exception {
    Path platformKey = dir.resolve("platform.key");
    Path file = dir.resolve("viewer.key");
    ViewerIdentity me = ViewerIdentity.generate();
    me.writeTo(file, KeyProtection.platformKey(platformKey));

    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    // stderr apart: a JDK may print warnings there (JDK 25: protobuf's sun.misc.Unsafe use)
    Path err = dir.resolve("child.err");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Child.class.getName(), platformKey.toString(), file.toString())
        .redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish");
    String errText = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), errText);
    assertEquals(me.publicKey().keyIdHex(), out, errText);
  }
}
