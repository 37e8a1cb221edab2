package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB segment is sealed and opened in a JVM with a 64 MiB heap: neither side buffers a
 * segment whole (see {@link GiantSegmentMain}; nothing is kept on disk).
 */
class GiantSegmentTest {
  @Test
  void aGibibyteSegmentSealsAndOpensInSixtyFourMebibytesOfHeap() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        GiantSegmentMain.class.getName(), Long.toString(1L << 30))
        .redirectErrorStream(true).start();
    boolean exited = p.waitFor(180, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.print(out);
    assertTrue(exited, "the forked JVM did not finish in time: " + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("OK: 1073741824 bytes"), out);
  }
}
