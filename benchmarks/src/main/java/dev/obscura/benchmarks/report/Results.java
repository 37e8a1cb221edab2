package dev.obscura.benchmarks.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** JMH JSON results ({@code -rf json}) of one or more runs, with baseline lookup. */
public final class Results {
  /**
   * One benchmark result.
   *
   * @param jdk the JDK's version string
   * @param benchmarkClass the benchmark class's simple name
   * @param method the benchmark method
   * @param params its JMH parameters
   * @param score the primary score, in {@code unit}
   * @param unit the primary score's unit ({@code ops/s} for throughput, {@code us/op} for
   *     average time, ...)
   * @param allocNorm {@code gc.alloc.rate.norm} in bytes per op, NaN without {@code -prof gc}
   * @param iterations every measured iteration's score, all forks
   */
  public record Row(String jdk, String benchmarkClass, String method, Map<String, String> params,
      double score, String unit, double allocNorm, List<Double> iterations) {

    /** @return the score as operations per second, whatever its unit */
    public double opsPerSecond() {
      return switch (unit) {
        case "ops/s" -> score;
        case "ops/ms" -> score * 1e3;
        case "ops/us" -> score * 1e6;
        case "ops/ns" -> score * 1e9;
        case "s/op" -> 1 / score;
        case "ms/op" -> 1e3 / score;
        case "us/op" -> 1e6 / score;
        case "ns/op" -> 1e9 / score;
        default -> throw new IllegalStateException("unknown score unit " + unit + " of " + name());
      };
    }

    /** @return microseconds per operation, whatever the score's unit */
    public double microsPerOp() {
      return 1e6 / opsPerSecond();
    }

    /** @return whether the result has a {@code frameBytes} parameter (a frame benchmark) */
    public boolean isFrame() {
      return params.containsKey("frameBytes");
    }

    /** @return {@code frameBytes} */
    public int frameBytes() {
      return Integer.parseInt(params.get("frameBytes"));
    }

    /** @return throughput in bytes per second */
    public double bytesPerSecond() {
      return opsPerSecond() * frameBytes();
    }

    /** @return the parameters other than frameBytes, as "k=v,..." (empty if none) */
    public String variant() {
      StringBuilder b = new StringBuilder();
      params.forEach((k, v) -> {
        if (!k.equals("frameBytes")) {
          b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v);
        }
      });
      return b.toString();
    }

    /**
     * The spread of the measured iterations: largest over smallest.
     *
     * @return at least 1; infinite when an iteration scored 0 or less; 1 without iterations
     */
    public double spread() {
      double min = Double.MAX_VALUE;
      double max = 0;
      for (double v : iterations) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      return iterations.isEmpty() ? 1 : min <= 0 ? Double.POSITIVE_INFINITY : max / min;
    }

    /** @return "Class.method" */
    public String name() {
      return benchmarkClass + "." + method;
    }
  }

  private final List<Row> rows;

  private Results(List<Row> rows) {
    this.rows = rows;
  }

  /**
   * Reads JMH JSON result files.
   *
   * @param files the files
   * @return their results together
   * @throws IOException if a file cannot be read
   */
  public static Results read(List<Path> files) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Path f : files) {
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        for (JsonElement e : JsonParser.parseReader(r).getAsJsonArray()) {
          rows.add(row(e.getAsJsonObject()));
        }
      }
    }
    return new Results(rows);
  }

  private static Row row(JsonObject o) {
    String full = o.get("benchmark").getAsString();
    String[] parts = full.split("\\.");
    Map<String, String> params = new TreeMap<>();
    if (o.has("params")) {
      o.getAsJsonObject("params").entrySet()
          .forEach(p -> params.put(p.getKey(), p.getValue().getAsString()));
    }
    JsonObject primary = o.getAsJsonObject("primaryMetric");
    List<Double> its = new ArrayList<>();
    for (JsonElement fork : primary.getAsJsonArray("rawData")) {
      for (JsonElement v : (JsonArray) fork) {
        its.add(v.getAsDouble());
      }
    }
    double alloc = Double.NaN;
    JsonObject secondary = o.getAsJsonObject("secondaryMetrics");
    if (secondary != null && secondary.has("gc.alloc.rate.norm")) {
      alloc = secondary.getAsJsonObject("gc.alloc.rate.norm").get("score").getAsDouble();
    }
    String jdk = o.has("jdkVersion") ? o.get("jdkVersion").getAsString() : "?";
    return new Row(jdk, parts[parts.length - 2], parts[parts.length - 1], params,
        primary.get("score").getAsDouble(), primary.get("scoreUnit").getAsString(), alloc, its);
  }

  /** @return every result */
  public List<Row> rows() {
    return rows;
  }

  /**
   * The raw baseline of a result in the same run: same JDK, the baseline's class and method,
   * the same parameters (where the baseline has them) overridden by the baseline's own.
   *
   * @param row a result
   * @param frameBytes the size to look up (the row's own, or 16384 for the C2SP ceiling)
   * @return the baseline's result, or empty for a baseline or when it was not run
   */
  public Optional<Row> baseline(Row row, int frameBytes) {
    return find(row, Baselines.of(row.benchmarkClass(), row.method()), frameBytes);
  }

  /**
   * The chain baseline of a segment result in the same run ({@link Baselines#chainOf}), matched
   * as {@link #baseline}.
   *
   * @param row a result
   * @param frameBytes the size to look up (the row's own, or 16384 for the chain ceiling)
   * @return the chain baseline's result, or empty for a method without one or when it was not run
   */
  public Optional<Row> chainBaseline(Row row, int frameBytes) {
    return find(row, Baselines.chainOf(row.benchmarkClass(), row.method()), frameBytes);
  }

  private Optional<Row> find(Row row, Optional<Baselines.Ref> ref, int frameBytes) {
    if (!ref.isPresent()) {
      return Optional.empty();
    }
    Map<String, String> want = new TreeMap<>(row.params());
    want.putAll(ref.get().params());
    want.put("frameBytes", Integer.toString(frameBytes));
    for (Row r : rows) {
      if (r.jdk().equals(row.jdk()) && r.benchmarkClass().equals(ref.get().benchmarkClass())
          && r.method().equals(ref.get().method()) && matches(r.params(), want)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  private static boolean matches(Map<String, String> have, Map<String, String> want) {
    for (Map.Entry<String, String> e : have.entrySet()) {
      if (!e.getValue().equals(want.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Results whose iterations spread more than {@code maxSpread} (largest / smallest): a cold or
   * disturbed measurement whose mean means nothing.
   *
   * @param maxSpread e.g. 10
   * @return one line per offending result
   */
  public List<String> spreadProblems(double maxSpread) {
    List<String> problems = new ArrayList<>();
    for (Row r : rows) {
      if (r.spread() > maxSpread) {
        double min = r.iterations().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = r.iterations().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        problems.add(String.format(java.util.Locale.ROOT,
            "%s [%s] on JDK %s: iterations range %.1f..%.1f %s (%.1fx > %.0fx)",
            r.name(), r.params(), r.jdk(), min, max, r.unit(), r.spread(), maxSpread));
      }
    }
    return problems;
  }
}
