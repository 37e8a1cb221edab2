package dev.obscura.benchmarks.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Renders the suite's results into one Markdown report and one PNG chart per JDK:
 *
 * <ul>
 *   <li>frames and segments (JMH JSON of {@code FrameSealBenchmark}, {@code
 *       FrameSealCtrHmacBenchmark}, {@code PeerSealBenchmark}): throughput, ratio to the matching
 *       raw baseline of the same run, JDK, key size and AAD; allocation over that baseline;
 *       segment methods against the C2SP and the chain ceiling ({@link Baselines}); the chart
 *       plots throughput against frame size, one line per implementation, AES-256;
 *   <li>the camera pipeline ({@code PipelineBenchmark}): per frame, encoding next to sealing and
 *       the share of the encoding's CPU that sealing takes;
 *   <li>live streams per core ({@code LiveStreamsBenchmark});
 *   <li>the relay's fan-out ({@code RelayBenchmark}'s {@link RelayRun} files): latency p50/p99,
 *       viewers per core, throughput.
 * </ul>
 *
 * <p>Exits with status 2 when a JMH result's iterations spread more than {@link #MAX_SPREAD}.
 *
 * <pre>
 * java -cp benchmarks.jar dev.obscura.benchmarks.report.Report --out DIR [--machine TEXT] [--note TEXT]... FILE.json...
 * </pre>
 */
public final class Report {
  /** Iterations of one result may differ by at most this factor. */
  public static final double MAX_SPREAD = 10;

  private static final String PIPELINE = "PipelineBenchmark";
  private static final String LIVE = "LiveStreamsBenchmark";
  private static final List<String> PIPELINE_METHODS = Arrays.asList("renderFrame", "encodeFrame",
      "sealFrame", "sealEncodedFrame", "sealSegment", "recordPipeline");
  private static final List<String> LIVE_METHODS = Arrays.asList("sealSecond",
      "sealSecondEncodedFrame", "openSecond");

  private Report() {}

  /**
   * Entry point.
   *
   * @param args {@code --out DIR}, optional {@code --machine TEXT}, any {@code --note TEXT},
   *     then JMH JSON files and relay JSON files
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path out = Paths.get(".");
    String machine = "";
    List<String> notes = new ArrayList<>();
    List<Path> jmh = new ArrayList<>();
    List<RelayRun> relay = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Paths.get(args[++i]);
        case "--machine" -> machine = args[++i];
        case "--note" -> notes.add(args[++i]);
        default -> {
          Path f = Paths.get(args[i]);
          JsonElement json;
          try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            json = JsonParser.parseReader(r);
          }
          if (RelayRun.isRelayRun(json)) {
            relay.add(RelayRun.of(json));
          } else {
            jmh.add(f);
          }
        }
      }
    }
    if (jmh.isEmpty() && relay.isEmpty()) {
      System.err.println("usage: Report --out DIR [--machine TEXT] [--note TEXT]... FILE.json...");
      System.exit(64);
    }
    Files.createDirectories(out);
    Results results = Results.read(jmh);
    Files.write(out.resolve("results.md"),
        markdown(results, relay, machine, notes).getBytes(StandardCharsets.UTF_8));
    for (String jdk : jdks(results.rows(), true)) {
      chart(results, jdk, out.resolve("throughput-jdk" + major(jdk) + ".png"));
    }
    List<String> problems = results.spreadProblems(MAX_SPREAD);
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("SPREAD: " + p));
      System.exit(2);
    }
  }

  /**
   * The Markdown report: one section per kind of result present.
   *
   * @param results the JMH results
   * @param relay the relay runs
   * @param machine a description of the machine (may be empty)
   * @param notes how the suite was run, one line each
   * @return Markdown text
   */
  public static String markdown(Results results, List<RelayRun> relay, String machine,
      List<String> notes) {
    StringBuilder b = new StringBuilder();
    b.append("<!-- rendered by benchmarks/run.sh (dev.obscura.benchmarks.report.Report); do not edit -->\n");
    if (!machine.isEmpty()) {
      b.append("Machine: ").append(machine).append("\n\n");
    }
    for (String n : notes) {
      b.append("- ").append(n).append('\n');
    }
    frames(b, results);
    pipeline(b, results);
    live(b, results);
    relay(b, relay);
    return b.toString();
  }

  // ---------------------------------------------------------------- frames and segments

  private static void frames(StringBuilder b, Results results) {
    List<String> jdks = jdks(results.rows(), true);
    if (jdks.isEmpty()) {
      return;
    }
    b.append("\n## Sealing frames and segments\n\n");
    b.append("Cells: throughput in GB/s (10^9 bytes of frame per second) and, in brackets, the ratio"
        + " to the method's raw JCA baseline in the same run (same JDK, key size, AAD, direction);"
        + " allocation is bytes per op above that baseline (`gc.alloc.rate.norm`).\n");
    for (String jdk : jdks) {
      Map<String, List<Results.Row>> groups = new LinkedHashMap<>();
      for (Results.Row r : results.rows()) {
        if (r.isFrame() && r.jdk().equals(jdk)) {
          String variant = r.variant();
          groups.computeIfAbsent(r.benchmarkClass() + (variant.isEmpty() ? "" : " " + variant),
              k -> new ArrayList<>()).add(r);
        }
      }
      b.append("\n### JDK ").append(jdk).append("\n");
      for (Map.Entry<String, List<Results.Row>> g : groups.entrySet()) {
        frameGroup(b, results, g.getKey(), g.getValue());
      }
    }
  }

  private static void frameGroup(StringBuilder b, Results results, String title,
      List<Results.Row> group) {
    TreeSet<Integer> sizes = new TreeSet<>();
    Map<String, Map<Integer, Results.Row>> byMethod = new LinkedHashMap<>();
    List<Results.Row> rows = new ArrayList<>(group);
    // baselines first, then the rest, each in run order
    rows.sort((x, y) -> Boolean.compare(Baselines.of(x.benchmarkClass(), x.method()).isPresent(),
        Baselines.of(y.benchmarkClass(), y.method()).isPresent()));
    for (Results.Row r : rows) {
      sizes.add(r.frameBytes());
      byMethod.computeIfAbsent(r.method(), k -> new LinkedHashMap<>()).put(r.frameBytes(), r);
    }
    b.append("\n#### ").append(title).append("\n\n");
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
    boolean anySegment = byMethod.values().stream().map(v -> v.values().iterator().next())
        .anyMatch(r -> Baselines.isSegment(r.benchmarkClass(), r.method()));
    if (!anySegment) {
      return;
    }
    b.append("\nSegments against their ceilings, C2SP / chain: the C2SP ceiling is the raw"
        + " baseline at 16 KiB (a segment seals 16 KiB chunks), the chain ceiling"
        + " `rawJcaAesGcmSha256` (or `...Open`) at 16 KiB, one chunk sealed then hashed with"
        + " SHA-256 as segment format v2 hashes every sealed byte into the chain digest: the honest"
        + " same-thread ceiling of a segment.\n\n");
    header(b, "method", sizes);
    for (Map.Entry<String, Map<Integer, Results.Row>> m : byMethod.entrySet()) {
      Results.Row any = m.getValue().values().iterator().next();
      if (!Baselines.isSegment(any.benchmarkClass(), any.method())) {
        continue;
      }
      b.append("| `").append(m.getKey()).append("` |");
      for (int s : sizes) {
        Results.Row r = m.getValue().get(s);
        if (r == null) {
          b.append(" - |");
          continue;
        }
        b.append(' ').append(ratio(r, results.baseline(r, Baselines.CHUNK_BYTES)))
            .append(" / ").append(ratio(r, results.chainBaseline(r, Baselines.CHUNK_BYTES)))
            .append(" |");
      }
      b.append('\n');
    }
  }

  /** Bytes per second of {@code r} over those of {@code ceiling}, or "-". */
  private static String ratio(Results.Row r, Optional<Results.Row> ceiling) {
    return ceiling.map(c -> String.format(Locale.ROOT, "%.2f",
        r.bytesPerSecond() / c.bytesPerSecond())).orElse("-");
  }

  // ---------------------------------------------------------------- camera pipeline

  private static void pipeline(StringBuilder b, Results results) {
    Map<String, Map<String, Map<String, Results.Row>>> byJdk = byVariant(results, PIPELINE);
    if (byJdk.isEmpty()) {
      return;
    }
    b.append("\n## Camera pipeline (PipelineBenchmark)\n\n");
    b.append("One thread, per frame of the synthetic camera's textured scene as openh264 encodes it"
        + " (30 fps, a keyframe every second). `encodeFrame` includes rendering the frame,"
        + " `renderFrame` is that part alone; encoding = encodeFrame - renderFrame. `sealFrame`"
        + " and `sealEncodedFrame` seal pre-encoded live frames as SFrame, `sealSegment` seals"
        + " pre-encoded 1 s segments (C2SP, AES-256-GCM, hash chain), `recordPipeline` is"
        + " segmenter, sealer and filesystem store end to end. The camera target: sealing below"
        + " 1% of the CPU of encoding the same frames at 2 Mbit/s 1080p.\n");
    for (Map.Entry<String, Map<String, Map<String, Results.Row>>> j : byJdk.entrySet()) {
      b.append("\n### JDK ").append(j.getKey()).append("\n");
      for (Map.Entry<String, Map<String, Results.Row>> v : j.getValue().entrySet()) {
        Map<String, Results.Row> m = v.getValue();
        b.append("\n#### ").append(videoTitle(m.values().iterator().next())).append("\n\n");
        b.append("| method | us/frame | frames/s | B/frame allocated |\n| --- | --- | --- | --- |\n");
        for (String method : ordered(m.keySet(), PIPELINE_METHODS)) {
          Results.Row r = m.get(method);
          b.append(String.format(Locale.ROOT, "| `%s` | %.1f | %.0f | %s |%n", method,
              r.microsPerOp(), r.opsPerSecond(), alloc(r)));
        }
        Results.Row encode = m.get("encodeFrame");
        Results.Row render = m.get("renderFrame");
        if (encode == null || render == null) {
          continue;
        }
        double encoding = encode.microsPerOp() - render.microsPerOp();
        b.append(String.format(Locale.ROOT, "%nEncoding alone: %.1f us/frame (%.0f frames/s)."
            , encoding, 1e6 / encoding));
        for (String[] share : new String[][] {{"sealSegment", "recording"}, {"sealFrame", "live"},
            {"sealEncodedFrame", "live, `seal(EncodedFrame)`"}}) {
          Results.Row s = m.get(share[0]);
          if (s != null) {
            b.append(String.format(Locale.ROOT, " Sealing, %s (`%s`): %.2f%% of encoding.",
                share[1], share[0], 100 * s.microsPerOp() / encoding));
          }
        }
        Results.Row rec = m.get("recordPipeline");
        if (rec != null) {
          b.append(String.format(Locale.ROOT, " End to end: %.0f frames/s, %.2f real-time 30 fps"
              + " cameras per core.", rec.opsPerSecond(), rec.opsPerSecond() / 30));
        }
        b.append('\n');
      }
    }
  }

  // ---------------------------------------------------------------- live streams per core

  private static void live(StringBuilder b, Results results) {
    Map<String, Map<String, Map<String, Results.Row>>> byJdk = byVariant(results, LIVE);
    if (byJdk.isEmpty()) {
      return;
    }
    b.append("\n## Live streams per core (LiveStreamsBenchmark)\n\n");
    b.append("One op is one second of a 30 fps stream (one keyframe, 29 other frames, as openh264"
        + " encodes the textured scene) sealed or opened as SFrame (AES-128-GCM), on one thread:"
        + " ops/s is streams per core. `sealSecond` seals into a reused array,"
        + " `sealSecondEncodedFrame` through `seal(EncodedFrame)`, `openSecond` opens with a fresh"
        + " receiver each second (its key schedule included).\n");
    for (Map.Entry<String, Map<String, Map<String, Results.Row>>> j : byJdk.entrySet()) {
      b.append("\n### JDK ").append(j.getKey()).append("\n\n");
      b.append("| stream | method | streams per core | B allocated per stream-second |\n"
          + "| --- | --- | --- | --- |\n");
      for (Map.Entry<String, Map<String, Results.Row>> v : j.getValue().entrySet()) {
        Map<String, Results.Row> m = v.getValue();
        for (String method : ordered(m.keySet(), LIVE_METHODS)) {
          Results.Row r = m.get(method);
          b.append(String.format(Locale.ROOT, "| %s | `%s` | %.0f | %s |%n", videoTitle(r), method,
              r.opsPerSecond(), alloc(r)));
        }
      }
    }
  }

  // ---------------------------------------------------------------- relay

  private static void relay(StringBuilder b, List<RelayRun> runs) {
    if (runs.isEmpty()) {
      return;
    }
    b.append("\n## Relay fan-out (RelayBenchmark)\n\n");
    b.append("Loopback, one JVM: a camera publishes to the relay, viewers subscribe (two WebSocket"
        + " hops, JDK clients); relay, camera and viewers share the cores, so CPU and viewers per"
        + " core are upper bounds on the relay's own cost. Latency: a camera paced at 30 fps, each"
        + " frame timed from send to arrival at every viewer. Throughput: the camera sends as fast"
        + " as the relay takes frames; a viewer that falls behind is skipped to the next keyframe."
        + "\n");
    for (RelayRun run : runs) {
      b.append(String.format(Locale.ROOT, "%n### JDK %s%n%n%d-byte frames, %d s per run, %d cores"
          + "%n%n", run.jdk(), run.frameBytes(), run.seconds(), run.cores()));
      b.append("| viewers | p50 ms | p99 ms | max ms | samples | skipped frames | CPU (cores) |"
          + " viewers per core |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
      for (RelayRun.Latency l : run.latency()) {
        b.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %.3f | %d | %d | %.2f | %.0f |%n",
            l.viewers(), l.p50Ms(), l.p99Ms(), l.maxMs(), l.samples(), l.skippedFrames(),
            l.cpuCores(), l.viewersPerCore()));
      }
      b.append("\n| viewers | frames in/s | MB/s in | MB/s delivered | skipped frames (events) |"
          + " CPU (cores) | 30 fps viewer streams per core |\n"
          + "| --- | --- | --- | --- | --- | --- | --- |\n");
      for (RelayRun.Throughput t : run.throughput()) {
        b.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.1f | %d (%d) | %.2f | %.0f |%n",
            t.viewers(), t.framesInPerSecond(), t.mbInPerSecond(), t.deliveredMbPerSecond(),
            t.skippedFrames(), t.skipEvents(), t.cpuCores(), t.viewerStreamsPerCore()));
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** JDK, then the parameters as "k=v,...", then method, of one benchmark class. */
  private static Map<String, Map<String, Map<String, Results.Row>>> byVariant(Results results,
      String benchmarkClass) {
    Map<String, Map<String, Map<String, Results.Row>>> out = new LinkedHashMap<>();
    for (Results.Row r : results.rows()) {
      if (r.benchmarkClass().equals(benchmarkClass)) {
        out.computeIfAbsent(r.jdk(), k -> new LinkedHashMap<>())
            .computeIfAbsent(r.variant(), k -> new LinkedHashMap<>()).put(r.method(), r);
      }
    }
    return out;
  }

  /** The methods present, in the given order first, then any other. */
  private static List<String> ordered(java.util.Set<String> present, List<String> order) {
    List<String> out = new ArrayList<>();
    for (String m : order) {
      if (present.contains(m)) {
        out.add(m);
      }
    }
    for (String m : present) {
      if (!out.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  /** "1080p30, 2 Mbit/s" from a result's height and bitrate parameters. */
  private static String videoTitle(Results.Row r) {
    String h = r.params().getOrDefault("height", "?");
    String bitrate = r.params().get("bitrate");
    return h + "p30, " + (bitrate == null ? "?" : String.format(Locale.ROOT, "%.1f Mbit/s",
        Integer.parseInt(bitrate) / 1e6));
  }

  private static String alloc(Results.Row r) {
    return Double.isNaN(r.allocNorm()) ? "-" : String.format(Locale.ROOT, "%.0f", r.allocNorm());
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

  /** The JDKs of the rows, in run order; only of frame results when {@code framesOnly}. */
  private static List<String> jdks(List<Results.Row> rows, boolean framesOnly) {
    List<String> jdks = new ArrayList<>();
    rows.forEach(r -> {
      if ((!framesOnly || r.isFrame()) && !jdks.contains(r.jdk())) {
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
