package dev.obscura.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.examples.cli.RosterCliTest.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code obscura lab} with a small configuration: its files, the WEAK warning, --out and bad values. */
class LabCliTest {
  @TempDir Path tmp;

  private String[] small(Path out, String schemes, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("lab", "--schemes", schemes, "--sizes", "1KiB,4096",
        "--policies", "none,cbr", "--rounds", "1", "--round-ms", "5", "--warmup-ms", "5", "--scene-seconds", "18",
        "--out", out.toString()));
    for (int i = 0; i < more.length; i++) {
      int at = args.indexOf(more[i]);
      if (at >= 0 && i + 1 < more.length && !more[i + 1].startsWith("--")) {
        args.set(at + 1, more[++i]); // an option given again replaces the small default
      } else {
        args.add(more[i]);
      }
    }
    return args.toArray(String[]::new);
  }

  @Test
  void writesTheFilesAndWarnsOfAWeakScheme() throws Exception {
    Path out = tmp.resolve("run");
    Run r = RosterCliTest.ok(small(out, "chunked,selective"));
    for (String f : new String[] {"results.csv", "summary.md", "throughput.png", "overhead.png", "leakage.png"}) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    // baseline, chunked, selective at two sizes; none and cbr
    assertEquals(1 + 3 * 2 + 2, csv.size(), String.join("\n", csv));
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("throughput,selective,WEAK,4096,")), csv::toString);
    assertTrue(r.err().contains("obscura: warning: selective: "), r.err());
    assertTrue(r.out().contains("not JMH"), r.out());
    String md = new String(Files.readAllBytes(out.resolve("summary.md")), StandardCharsets.UTF_8);
    assertTrue(md.contains("obscura lab --schemes chunked,selective --sizes 1KiB,4096 --policies none,cbr"), md);

    // without a WEAK scheme: no warning
    Run quiet = RosterCliTest.ok(small(tmp.resolve("quiet"), "chunked", "--policies", ""));
    assertFalse(quiet.err().contains("warning"), quiet.err());
  }

  @Test
  void refusesANonEmptyOutUnlessForced() throws Exception {
    Path out = tmp.resolve("full");
    Files.createDirectories(out);
    Files.write(out.resolve("keep.txt"), new byte[] {1});
    Run refused = RosterCliTest.cli(small(out, "chunked", "--policies", ""));
    assertEquals(ObscuraCli.EXIT_FAILURE, refused.code(), refused.err());
    assertTrue(refused.line().contains("not empty") && refused.line().contains("--force"), refused.err());
    assertFalse(Files.exists(out.resolve("results.csv")));
    RosterCliTest.ok(small(out, "chunked", "--policies", "", "--force"));
    assertTrue(Files.exists(out.resolve("results.csv")) && Files.exists(out.resolve("keep.txt")));
  }

  @Test
  void badNamesAreUsageErrorsAndLeaveNoFolder() {
    Path out = tmp.resolve("never");
    for (String[] args : List.of(small(out, "no-such-scheme"), small(out, "chunked", "--sizes", "12 parsecs"),
        small(out, "chunked", "--policies", "loud"))) {
      Run r = RosterCliTest.cli(args);
      assertEquals(ObscuraCli.EXIT_USAGE, r.code(), r.err());
      assertTrue(r.line().startsWith("obscura: "), r.err());
    }
    assertFalse(Files.exists(out));
  }
}
