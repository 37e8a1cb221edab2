package dev.obscura.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link Lab} run measured and where it wrote it.
 *
 * @param throughput one row per scheme (and the baseline) and frame size
 * @param leakage one row per padding policy
 * @param csv the {@code results.csv} written
 * @param summary the {@code summary.md} written
 * @param charts the PNG charts written
 */
public record LabReport(
    List<ThroughputResult> throughput, List<LeakageResult> leakage, Path csv, Path summary, List<Path> charts) {
  public LabReport {
    throughput = List.copyOf(throughput);
    leakage = List.copyOf(leakage);
    charts = List.copyOf(charts);
  }
}
