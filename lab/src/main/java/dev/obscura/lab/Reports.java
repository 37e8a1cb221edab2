package dev.obscura.lab;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes {@code results.csv} and {@code summary.md}. */
final class Reports {
  static final String CSV = "results.csv";
  static final String SUMMARY = "summary.md";

  /**
   * The CSV's columns, documented in docs/lab.md: {@code kind} is {@code throughput} or {@code
   * leakage}; a column that does not apply to a row's kind is empty.
   */
  static final String[] COLUMNS = {
    "kind", "name", "protection", "frame_bytes",
    "seal_mbps_median", "seal_mbps_min", "seal_mbps_max",
    "open_mbps_median", "open_mbps_min", "open_mbps_max",
    "records_per_segment", "overhead_bytes_per_frame", "overhead_bytes_per_hour",
    "policy", "logistic_accuracy", "forest_accuracy", "chance", "bandwidth_cost",
    "mean_latency_ms", "max_latency_ms", "train_windows", "test_windows"
  };

  private Reports() {}

  static Path csv(List<ThroughputResult> throughput, List<LeakageResult> leakage, Path dir) throws IOException {
    Path file = dir.resolve(CSV);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(String.join(",", COLUMNS) + "\n");
      for (ThroughputResult r : throughput) {
        row(w, "throughput", r.scheme(), r.protection(), Integer.toString(r.frameBytes()),
            num(r.sealMedianMBps()), num(r.sealMinMBps()), num(r.sealMaxMBps()),
            num(r.openMedianMBps()), num(r.openMinMBps()), num(r.openMaxMBps()),
            Integer.toString(r.recordsPerSegment()), num(r.overheadBytesPerFrame()),
            String.format(Locale.ROOT, "%.0f", r.overheadBytesPerHour()),
            "", "", "", "", "", "", "", "", "");
      }
      for (LeakageResult r : leakage) {
        row(w, "leakage", r.policy(), "", "", "", "", "", "", "", "", "", "", "",
            quote(r.describe()), num(r.logisticAccuracy()), num(r.forestAccuracy()), num(r.chance()),
            num(r.bandwidthCost()), num(r.meanLatencyMillis()), num(r.maxLatencyMillis()),
            Integer.toString(r.trainWindows()), Integer.toString(r.testWindows()));
      }
    }
    return file;
  }

  private static void row(Writer w, String... cells) throws IOException {
    w.write(String.join(",", cells) + "\n");
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** What the summary says about the run besides the measurements. */
  record Context(String commandLine, String jdk, String cpu, List<String> schemeLines, List<String> warnings,
      String throughputSetup, String leakageSetup, List<String> charts) {}

  static Path summary(List<ThroughputResult> throughput, List<LeakageResult> leakage, Context c, Path dir)
      throws IOException {
    StringBuilder s = new StringBuilder();
    s.append("# Obscura scheme lab: results\n\n");
    s.append("Reproduce with:\n\n```\n").append(c.commandLine()).append("\n```\n\n");
    s.append("JDK: ").append(c.jdk()).append("  \nCPU: ").append(c.cpu()).append("\n\n");
    s.append("> These are the lab's own timed rounds, **not JMH**: compare schemes within one run, against the ")
        .append("raw JCA baseline measured in the same run. The JMH suite in `benchmarks` guards the hot path.\n\n");
    for (String w : c.warnings()) {
      s.append("> **WARNING:** ").append(w).append("\n\n");
    }
    if (!throughput.isEmpty()) {
      s.append("## Schemes\n\n");
      for (String line : c.schemeLines()) {
        s.append("- ").append(line).append('\n');
      }
      s.append("\n").append(c.throughputSetup()).append("\n\n");
      s.append("| scheme | protection | frame | seal MB/s (median, min-max) | open MB/s (median, min-max) | ")
          .append("x baseline (seal) | records/segment | overhead B/frame | overhead MB/hour |\n");
      s.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      for (ThroughputResult r : throughput) {
        double base = baseline(throughput, r.frameBytes());
        s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) | %s | %d | %.1f | %.2f |%n",
            r.scheme(), r.protection(), FrameSizes.format(r.frameBytes()),
            r.sealMedianMBps(), r.sealMinMBps(), r.sealMaxMBps(),
            r.openMedianMBps(), r.openMinMBps(), r.openMaxMBps(),
            base > 0 ? String.format(Locale.ROOT, "%.2f", r.sealMedianMBps() / base) : "-",
            r.recordsPerSegment(), r.overheadBytesPerFrame(), r.overheadBytesPerHour() / 1e6));
      }
      s.append('\n');
    }
    if (!leakage.isEmpty()) {
      s.append("## Leakage per padding policy\n\n").append(c.leakageSetup()).append("\n\n");
      s.append("| policy | logistic regression | random forest | chance | bandwidth cost | mean added latency ms | ")
          .append("max latency ms | train / test windows |\n");
      s.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      for (LeakageResult r : leakage) {
        s.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.2fx | %.0f | %.0f | %d / %d |%n",
            r.describe(), r.logisticAccuracy(), r.forestAccuracy(), r.chance(), r.bandwidthCost(),
            r.meanLatencyMillis(), r.maxLatencyMillis(), r.trainWindows(), r.testWindows()));
      }
      s.append('\n');
    }
    if (!c.charts().isEmpty()) {
      s.append("## Charts\n\n");
      for (String chart : c.charts()) {
        s.append("![").append(chart).append("](").append(chart).append(")\n\n");
      }
    }
    s.append("Columns of `results.csv`: ").append(String.join(", ", COLUMNS))
        .append(" (docs/lab.md explains each).\n");
    Path file = dir.resolve(SUMMARY);
    Files.write(file, s.toString().getBytes(StandardCharsets.UTF_8));
    return file;
  }

  private static double baseline(List<ThroughputResult> rows, int frameBytes) {
    for (ThroughputResult r : rows) {
      if (r.scheme().equals(Lab.BASELINE) && r.frameBytes() == frameBytes) {
        return r.sealMedianMBps();
      }
    }
    return 0;
  }
}
