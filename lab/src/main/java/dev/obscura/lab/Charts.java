package dev.obscura.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The lab's PNG charts, rendered headless with XChart. */
final class Charts {
  static final String THROUGHPUT = "throughput.png";
  static final String OVERHEAD = "overhead.png";
  static final String LEAKAGE = "leakage.png";

  private Charts() {}

  /** Seal throughput (median MB/s) per scheme, grouped by frame size. */
  static Path throughput(List<ThroughputResult> rows, Path dir) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(1100).height(650)
        .title("Seal throughput per scheme and frame size (median MB/s; lab rounds, not JMH)")
        .xAxisTitle("mean frame size").yAxisTitle("MB/s").build();
    style(chart.getStyler());
    perScheme(rows, chart, ThroughputResult::sealMedianMBps);
    return save(chart, dir.resolve(THROUGHPUT));
  }

  /** Overhead bytes per hour of video per scheme, grouped by frame size. */
  static Path overhead(List<ThroughputResult> rows, Path dir) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(1100).height(650)
        .title("Overhead per hour of video (MB; sealed bytes minus video bytes)")
        .xAxisTitle("mean frame size").yAxisTitle("MB per hour").build();
    style(chart.getStyler());
    perScheme(rows, chart, r -> r.overheadBytesPerHour() / 1e6);
    return save(chart, dir.resolve(OVERHEAD));
  }

  /** Leakage: best classifier accuracy against bandwidth cost, one point per policy. */
  static Path leakage(List<LeakageResult> rows, Path dir) throws IOException {
    XYChart chart = new XYChartBuilder().width(1000).height(650)
        .title("Motion vs idle from sizes and times: accuracy against bandwidth cost")
        .xAxisTitle("bandwidth cost (bytes sent / bytes of 'none')")
        .yAxisTitle("best classifier accuracy").build();
    style(chart.getStyler());
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(12);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.05);
    double maxCost = 1;
    for (LeakageResult r : rows) {
      chart.addSeries(r.describe(), new double[] {r.bandwidthCost()}, new double[] {r.bestAccuracy()});
      maxCost = Math.max(maxCost, r.bandwidthCost());
    }
    if (!rows.isEmpty()) {
      double chance = rows.get(0).chance();
      XYSeries line = chart.addSeries("chance", new double[] {0, maxCost * 1.1}, new double[] {chance, chance});
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      line.setMarker(SeriesMarkers.NONE);
    }
    return save(chart, dir.resolve(LEAKAGE));
  }

  private interface Value {
    double of(ThroughputResult r);
  }

  private static void perScheme(List<ThroughputResult> rows, CategoryChart chart, Value value) {
    List<String> sizes = new ArrayList<>();
    Map<String, Map<String, Double>> byScheme = new LinkedHashMap<>();
    for (ThroughputResult r : rows) {
      String size = FrameSizes.format(r.frameBytes());
      if (!sizes.contains(size)) {
        sizes.add(size);
      }
      byScheme.computeIfAbsent(r.scheme(), k -> new LinkedHashMap<>()).put(size, value.of(r));
    }
    for (Map.Entry<String, Map<String, Double>> s : byScheme.entrySet()) {
      List<Double> y = new ArrayList<>();
      for (String size : sizes) {
        y.add(s.getValue().getOrDefault(size, 0.0));
      }
      chart.addSeries(s.getKey(), sizes, y);
    }
  }

  private static void style(Styler s) {
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setChartBackgroundColor(java.awt.Color.WHITE);
  }

  private static Path save(IChart chart, Path png) throws IOException {
    try (OutputStream out = Files.newOutputStream(png)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
    return png;
  }
}
