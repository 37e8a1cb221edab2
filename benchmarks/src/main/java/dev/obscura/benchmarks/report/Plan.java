package dev.obscura.benchmarks.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * How long a JMH run will take, for {@code benchmarks/run.sh}'s estimate: the benchmarks a regex
 * selects from this jar's list, their parameter combinations (the overrides given, else their
 * own), forks, and warm-up and measurement iterations (the overrides given, else their own
 * annotations, else JMH's defaults), plus a fixed cost per trial (JVM fork, setup, prewarm) that
 * the caller knows.
 *
 * <pre>
 * java -cp benchmarks.jar dev.obscura.benchmarks.report.Plan [--overhead S] [--f N] [--wi N] [--w S]
 *     [--i N] [--r S] [--p name=v1,v2]... REGEX
 * </pre>
 *
 * <p>Prints two numbers: the estimated seconds and the number of trials.
 */
public final class Plan {
  private Plan() {}

  /**
   * Entry point.
   *
   * @param args the options above, then the include regex
   */
  public static void main(String[] args) {
    double overhead = 0;
    Integer forks = null;
    Integer wi = null;
    Integer mi = null;
    Double w = null;
    Double r = null;
    Map<String, Integer> paramCounts = new HashMap<>();
    List<String> includes = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--overhead" -> overhead = Double.parseDouble(args[++i]);
        case "--f" -> forks = Integer.valueOf(args[++i]);
        case "--wi" -> wi = Integer.valueOf(args[++i]);
        case "--i" -> mi = Integer.valueOf(args[++i]);
        case "--w" -> w = Double.valueOf(args[++i]);
        case "--r" -> r = Double.valueOf(args[++i]);
        case "--p" -> {
          String[] kv = args[++i].split("=", 2);
          paramCounts.put(kv[0], kv[1].split(",").length);
        }
        default -> includes.add(args[i]);
      }
    }
    List<BenchmarkListEntry> entries = new ArrayList<>(BenchmarkList.defaultList().find(
        OutputFormatFactory.createFormatInstance(new PrintStream(System.err), VerboseMode.SILENT),
        includes, Collections.emptyList()));
    double seconds = 0;
    long trials = 0;
    for (BenchmarkListEntry e : entries) {
      long combos = 1;
      if (e.getParams().hasValue()) {
        for (Map.Entry<String, String[]> p : e.getParams().get().entrySet()) {
          combos *= paramCounts.getOrDefault(p.getKey(), p.getValue().length);
        }
      }
      int f = forks != null ? forks : e.getForks().orElse(5);
      double perTrial = (wi != null ? wi : e.getWarmupIterations().orElse(5))
          * (w != null ? w : secs(e.getWarmupTime().orElse(TimeValue.seconds(10))))
          + (mi != null ? mi : e.getMeasurementIterations().orElse(5))
          * (r != null ? r : secs(e.getMeasurementTime().orElse(TimeValue.seconds(10))))
          + overhead;
      long n = combos * Math.max(1, f);
      trials += n;
      seconds += n * perTrial;
    }
    System.out.printf(Locale.ROOT, "%.0f %d%n", seconds, trials);
  }

  private static double secs(TimeValue t) {
    return t.convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) / 1000.0;
  }
}
