package dev.obscura.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * Renders JMH JSON results into a Markdown table (throughput, ratio to the matching raw baseline
 * of the same run, JDK, key size and AAD; allocation over that baseline; segment methods against
 * the C2SP ceiling) and one PNG chart per JDK (throughput against frame size, one line per
 * implementation, AES-256). Exits with status 2 when a result's iterations spread more than 10x.
 *
 * <pre>
 * java -cp benchmarks.jar dev.obscura.benchmarks.report.Report --out DIR [--machine TEXT] FILE.json...
 * </pre>
 */
public final class Report {
  /** Iterations of one result may differ by at most this factor. */
  public static final double MAX_SPREAD = 10;

  private Report() {}

  /**
   * Entry point.
   *
   * @param args {@code --out DIR}, optional {@code --machine TEXT}, then JMH JSON files
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path out = Paths.get(".");
    String machine = "";
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Paths.get(args[++i]);
        case "--machine" -> machine = args[++i];
        default -> files.add(Paths.get(args[i]));
      }
    }
    if (files.isEmpty()) {
      System.err.println("usage: Report --out DIR [--machine TEXT] FILE.json...");
      System.exit(64);
    }
    Files.createDirectories(out);
    Results results = Results.read(files);
    Files.write(out.resolve("results.md"),
        markdown(results, machine).getBytes(StandardCharsets.UTF_8));
    for (String jdk : jdks(results)) {
      chart(results, jdk, out.resolve("throughput-jdk" + major(jdk) + ".png"));
    }
    List<String> problems = results.spreadProblems(MAX_SPREAD);
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("SPREAD: " + p));
      System.exit(2);
    }
  }

  /**
   * The Markdown report.
   *
   * @param results the results
   * @param machine a description of the machine (may be empty)
   * @return Markdown text
   */
  public static String markdown(Results results, String machine) {
    StringBuilder b = new StringBuilder();
    b.append("<!-- rendered by benchmarks/run.sh (dev.obscura.benchmarks.report.Report); do not edit -->\n");
    if (!machine.isEmpty()) {
      b.append("Machine: ").append(machine).append("\n\n");
    }
    b.append("Cells: throughput in GB/s (10^9 bytes of frame per second) and, in brackets, the ratio"
        + " to the method's raw JCA baseline in the same run (same JDK, key size, AAD, direction);"
        + " allocation is bytes per op above that baseline (`gc.alloc.rate.norm`).\n");
    for (String jdk : jdks(results)) {
      Map<String, List<Results.Row>> groups = new LinkedHashMap<>();
      for (Results.Row r : results.rows()) {
        if (r.jdk().equals(jdk)) {
          String variant = r.variant();
          groups.computeIfAbsent(r.benchmarkClass() + (variant.isEmpty() ? "" : " " + variant),
              k -> new ArrayList<>()).add(r);
        }
      }
      b.append("\n## JDK ").append(jdk).append("\n");
      for (Map.Entry<String, List<Results.Row>> g : groups.entrySet()) {
        TreeSet<Integer> sizes = new TreeSet<>();
        Map<String, Map<Integer, Results.Row>> byMethod = new LinkedHashMap<>();
        List<Results.Row> rows = new ArrayList<>(g.getValue());
        // baselines first, then the rest, each in run order
        rows.sort((x, y) -> Boolean.compare(Baselines.of(x.benchmarkClass(), x.method()).isPresent(),
            Baselines.of(y.benchmarkClass(), y.method()).isPresent()));
        for (Results.Row r : rows) {
          sizes.add(r.frameBytes());
          byMethod.computeIfAbsent(r.method(), k -> new LinkedHashMap<>()).put(r.frameBytes(), r);
        }
        b.append("\n### ").append(g.getKey()).append("\n\n");
        header(b, "method (baseline)", sizes);
        for (Map.Entry<String, Map<Integer, Results.Row>> m : byMethod.entrySet()) {
          Results.Row any = m.getValue().values().iterator().next();
          String base = Baselines.of(any.benchmarkClass(), any.method())
              .map(Baselines.Ref::method).orElse("raw");
          b.append("| `").append(m.getKey()).append("` (").append(base).append(") |");
          for (int s : sizes) {
            Results.Row r = m.getValue().get(s);
            if (r == null) {
              b.append(" - |");
              continue;
            }
            b.append(String.format(Locale.ROOT, " %.2f", r.bytesPerSecond() / 1e9));
            results.baseline(r, s).ifPresent(x -> b.append(String.format(Locale.ROOT, " (%.2f)",
                r.opsPerSecond() / x.opsPerSecond())));
            b.append(" |");
          }
          b.append('\n');
        }
        b.append("\nAllocation, B/op over the baseline (the baselines: absolute B/op):\n\n");
        header(b, "method", sizes);
        for (Map.Entry<String, Map<Integer, Results.Row>> m : byMethod.entrySet()) {
          b.append("| `").append(m.getKey()).append("` |");
          for (int s : sizes) {
            Results.Row r = m.getValue().get(s);
            if (r == null || Double.isNaN(r.allocNorm())) {
              b.append(" - |");
              continue;
            }
            Optional<Results.Row> x = results.baseline(r, s);
            b.append(x.isPresent()
                ? String.format(Locale.ROOT, " %+.0f |", r.allocNorm() - x.get().allocNorm())
                : String.format(Locale.ROOT, " %.0f |", r.allocNorm()));
          }
          b.append('\n');
        }
        boolean anySegment = byMethod.keySet().stream()
            .anyMatch(m -> Baselines.isSegment(g.getValue().get(0).benchmarkClass(), m));
        if (anySegment) {
          b.append("\nSegments against the C2SP ceiling (the raw baseline at 16 KiB: a segment"
              + " seals 16 KiB chunks):\n\n");
          header(b, "method", sizes);
          for (Map.Entry<String, Map<Integer, Results.Row>> m : byMethod.entrySet()) {
            Results.Row any = m.getValue().values().iterator().next();
            if (!Baselines.isSegment(any.benchmarkClass(), any.method())) {
              continue;
            }
            b.append("| `").append(m.getKey()).append("` |");
            for (int s : sizes) {
              Results.Row r = m.getValue().get(s);
              Optional<Results.Row> x = r == null ? Optional.empty() : results.baseline(r, 16384);
              b.append(x.isPresent() ? String.format(Locale.ROOT, " %.2f |",
                  r.bytesPerSecond() / x.get().bytesPerSecond()) : " - |");
            }
            b.append('\n');
          }
        }
      }
    }
    return b.toString();
  }

  private static void header(StringBuilder b, String first, TreeSet<Integer> sizes) {
    b.append("| ").append(first).append(" |");
    sizes.forEach(s -> b.append(' ').append(size(s)).append(" |"));
    b.append("\n| --- |");
    sizes.forEach(s -> b.append(" --- |"));
    b.append('\n');
  }

  private static String size(int bytes) {
    return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes >= 1024 ? (bytes >> 10) + " KiB"
        : bytes + " B";
  }

  private static List<String> jdks(Results results) {
    List<String> jdks = new ArrayList<>();
    results.rows().forEach(r -> {
      if (!jdks.contains(r.jdk())) {
        jdks.add(r.jdk());
      }
    });
    return jdks;
  }

  private static String major(String jdk) {
    return jdk.split("[.+-]")[0];
  }

  /** Throughput against frame size on one JDK, AES-256 methods and the peers. */
  private static void chart(Results results, String jdk, Path png) throws IOException {
    XYChart chart = new XYChartBuilder().width(1100).height(700)
        .title("Obscura sealing, JDK " + jdk + " (AES-256)")
        .xAxisTitle("frame bytes").yAxisTitle("GB/s").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    Map<String, TreeSet<double[]>> series = new LinkedHashMap<>();
    for (Results.Row r : results.rows()) {
      boolean aes256 = r.benchmarkClass().equals("PeerSealBenchmark")
          || (r.benchmarkClass().equals("FrameSealBenchmark")
              && "256".equals(r.params().get("keyBits")));
      if (r.jdk().equals(jdk) && aes256) {
        series.computeIfAbsent(r.method(), k -> new TreeSet<>((x, y) -> Double.compare(x[0], y[0])))
            .add(new double[] {r.frameBytes(), r.bytesPerSecond() / 1e9});
      }
    }
    if (series.isEmpty()) {
      return;
    }
    for (Map.Entry<String, TreeSet<double[]>> s : series.entrySet()) {
      double[] x = s.getValue().stream().mapToDouble(p -> p[0]).toArray();
      double[] y = s.getValue().stream().mapToDouble(p -> p[1]).toArray();
      chart.addSeries(s.getKey(), x, y);
    }
    String name = png.getFileName().toString();
    BitmapEncoder.saveBitmap(chart, png.resolveSibling(name.substring(0, name.length() - 4))
        .toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
