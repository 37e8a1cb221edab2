package dev.obscura.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.padding.PaddingPolicy;
import dev.obscura.crypto.scheme.SchemeSet;
import dev.obscura.crypto.scheme.SealingScheme;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One small lab run (built-in schemes, a test WEAK scheme, none/buckets/cbr/interval) and its files. */
class LabRunTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  @TempDir static Path dir;
  static LabReport report;
  static List<SealingScheme> schemes;
  static List<PaddingPolicy> policies;
  static List<String> steps = new ArrayList<>();

  @BeforeAll
  static void run() throws Exception {
    schemes = SchemeSet.builtIn().with(new WeakTestScheme()).all();
    policies = List.of(PaddingPolicies.none(), PaddingPolicies.buckets(1.25), PaddingPolicies.cbr(125_000),
        PaddingPolicies.interval(Duration.ofSeconds(1), 125_000));
    report = Lab.builder()
        .schemes(schemes)
        .frameSizes(FrameSizes.parse("1KiB,64KiB"))
        .policies(policies)
        .outputDir(dir)
        .rounds(2).roundTime(Duration.ofMillis(20)).warmup(Duration.ofMillis(50))
        .sceneSeconds(18)
        .commandLine("LabRunTest")
        .progress((what, done, total) -> steps.add(done + "/" + total + " " + what))
        .build()
        .run();
    System.out.println(new String(Files.readAllBytes(dir.resolve("summary.md")), StandardCharsets.UTF_8));
  }

  @Test
  void csvHasARowPerSchemeAndSizeAndPerPolicy() throws Exception {
    List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
    assertEquals(String.join(",", Reports.COLUMNS), lines.get(0));
    List<String> names = new ArrayList<>();
    names.add(Lab.BASELINE);
    schemes.forEach(s -> names.add(s.name()));
    for (String name : names) {
      for (int size : new int[] {1024, 65536}) {
        long n = lines.stream().filter(l -> l.startsWith("throughput," + name + ",") && l.split(",")[3].equals("" + size))
            .count();
        assertEquals(1, n, name + " " + size + " in\n" + String.join("\n", lines));
      }
    }
    for (PaddingPolicy p : policies) {
      assertEquals(1, lines.stream().filter(l -> l.startsWith("leakage," + p.name() + ",")).count(), p.name());
    }
    assertEquals(1 + names.size() * 2 + policies.size(), lines.size());
    for (String l : lines) {
      assertEquals(Reports.COLUMNS.length, cells(l).size(), l);
    }
    List<String> buckets = cells(lines.stream().filter(l -> l.startsWith("leakage,buckets,")).findFirst().get());
    assertEquals(PaddingPolicies.buckets(1.25).describe(), buckets.get(13));
  }

  /** The cells of one CSV line (RFC 4180 quoting). */
  static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString());
    return out;
  }

  @Test
  void throughputIsPositiveAndOverheadPlausible() {
    for (ThroughputResult r : report.throughput()) {
      assertTrue(r.sealMedianMBps() > 0 && r.openMedianMBps() > 0, r.toString());
      assertTrue(r.sealMinMBps() <= r.sealMedianMBps() && r.sealMedianMBps() <= r.sealMaxMBps(), r.toString());
      assertTrue(r.overheadBytesPerFrame() >= 0, r.toString());
      assertEquals(r.overheadBytesPerFrame() * 30 * 3600, r.overheadBytesPerHour(), 1e-6 * r.overheadBytesPerHour() + 1e-9);
      if (r.scheme().equals(Lab.BASELINE)) {
        assertEquals(JcaGcmBaseline.TAG_BYTES, r.overheadBytesPerFrame(), 1e-9);
        assertEquals(60, r.recordsPerSegment());
      }
      if (r.scheme().equals("test-weak")) {
        assertEquals(0, r.overheadBytesPerFrame(), 1e-9);
      }
    }
  }

  @Test
  void chartsAreNonEmptyPngs() throws Exception {
    assertEquals(3, report.charts().size());
    for (String name : new String[] {"throughput.png", "overhead.png", "leakage.png"}) {
      byte[] png = Files.readAllBytes(dir.resolve(name));
      assertTrue(png.length > 1000, name + " is " + png.length + " bytes");
      assertTrue(Arrays.equals(PNG_MAGIC, Arrays.copyOf(png, 8)), name + " is not a PNG");
      java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(dir.resolve(name).toFile());
      assertTrue(img.getWidth() > 100 && img.getHeight() > 100, name);
    }
  }

  @Test
  void summaryNamesEverySchemeAndPolicyAndTheWarning() throws Exception {
    String md = new String(Files.readAllBytes(dir.resolve("summary.md")), StandardCharsets.UTF_8);
    assertTrue(md.contains("| " + Lab.BASELINE + " |"), md);
    for (SealingScheme s : schemes) {
      assertTrue(md.contains("| " + s.name() + " |"), s.name() + "\n" + md);
    }
    for (PaddingPolicy p : policies) {
      assertTrue(md.contains("| " + p.describe() + " |"), p.describe() + "\n" + md);
    }
    assertTrue(md.contains("not JMH"), md);
    assertTrue(md.contains("WARNING:** test-weak: test-weak leaves every frame in the clear"), md);
    assertTrue(md.contains("LabRunTest"), md);
    for (String chart : new String[] {"throughput.png", "overhead.png", "leakage.png"}) {
      assertTrue(md.contains("](" + chart + ")"), chart);
    }
  }

  @Test
  void progressCountsEveryStep() {
    int total = (schemes.size() + 1) * 2 + 4 + policies.size(); // 4 scenes
    assertEquals(total, steps.size(), steps.toString());
    assertTrue(steps.get(steps.size() - 1).startsWith(total + "/" + total + " "), steps.toString());
  }

  @Test
  void noneCostsExactlyTheVideoAndPaddedPoliciesMore() {
    for (LeakageResult r : report.leakage()) {
      if (r.policy().equals("none")) {
        assertEquals(1.0, r.bandwidthCost(), 1e-12);
        assertEquals(0, r.meanLatencyMillis(), 1e-9);
      } else {
        assertTrue(r.bandwidthCost() >= 1.0, r.toString());
      }
      assertEquals(0.5, r.chance(), 1e-9, r.toString());
    }
  }
}
