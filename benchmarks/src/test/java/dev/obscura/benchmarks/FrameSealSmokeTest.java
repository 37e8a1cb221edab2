package dev.obscura.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.benchmarks.report.Baselines;
import dev.obscura.benchmarks.report.Report;
import dev.obscura.benchmarks.report.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The CI guard of the hot path: a short JMH run of {@link FrameSealBenchmark} (1 KiB and 16 KiB,
 * AES-256, one fork, short iterations) asserting only what holds on any machine, loaded or not:
 *
 * <ul>
 *   <li>allocation: every Obscura method's {@code gc.alloc.rate.norm} at most {@link
 *       #ALLOC_TOLERANCE} bytes above its baseline's (a coalescing writer that inits its cipher
 *       once per 16 KiB chunk may allocate less than a per-frame init) (plus, for the SFrame
 *       opens, the harness's amortized receiver rebuild, {@link SFrameFixture#REBUILD_BYTES} /
 *       pool size);
 *   <li>a loose throughput floor, for gross regressions only (a short run on a shared 2-core CI
 *       machine spreads widely: clean-clone runs measured {@code segmentRead} at 1 KiB from
 *       0.18x to 0.90x of raw GCM): at least {@link #FLOOR} of the baseline for SFrame, {@link
 *       #SEGMENT_FLOOR} for segment methods; the ratios themselves are measured by {@code
 *       benchmarks/run.sh};
 *   <li>no result whose iterations spread more than {@link Report#MAX_SPREAD}.
 * </ul>
 *
 * <p>A result that fails one of these is measured again once, with its baseline, each in a fork
 * of its own, and fails the test only if it fails again: on a shared machine a fork starved of
 * CPU can run without C2 code for its whole measurement. The retry costs time only when
 * something failed.
 *
 * <p>Baselines: an SFrame method is divided by its raw JCA baseline ({@link Baselines#of}), a
 * segment method by its chain baseline at the same size ({@link Baselines#chainOf}: AES-GCM then
 * SHA-256 over the ciphertext; at 16 KiB that is the report's chain ceiling, one C2SP chunk
 * sealed and hashed), not by raw GCM. Segment format v2 hashes every sealed byte into the chain
 * digest, and SHA-256 costs more than AES-GCM on most CPUs, by a factor that depends on the CPU
 * (SHA extensions or not) and the JDK: against raw GCM a segment's ratio is mostly that factor,
 * so a floor there has to sit very low (0.1x) to hold everywhere and catches little. Against the
 * chain baseline the SHA-256 cost cancels, the ratio is Obscura's own overhead, which does not
 * depend on the CPU, and the floor can be the SFrame one. The chain baselines replace {@code
 * rawJcaAesGcm}/{@code rawJcaAesGcmOpen} in this run (they are excluded), so it measures as
 * many trials as before and takes no longer (about 2 minutes).
 *
 * <p>{@link #ALLOC_NOT_YET} and {@link #FLOOR_NOT_YET} list the methods today's code does not yet
 * hold to it (measured, see the issue); their checks still run and are reported, they only do
 * not fail. Empty them as the buffer-based SFrame and segment paths land. The throughput targets
 * themselves are measured by {@code benchmarks/run.sh}, not asserted here.
 */
class FrameSealSmokeTest {
  static final double ALLOC_TOLERANCE = 16;
  static final double FLOOR = 0.25;
  /**
   * Of the chain baseline at the same size: 10x below what AES-GCM plus SHA-256 allows on this
   * machine, whatever its SHA-256 speed (a run at load 11 on the 2-core machine measured the
   * segment methods from 0.07x to 0.76x of it, the SFrame ones from 0.35x to 1.9x of raw).
   */
  static final double SEGMENT_FLOOR = 0.1;

  /** Methods whose allocation is not yet within tolerance of their baseline. */
  static final Set<String> ALLOC_NOT_YET = Set.of(
      "sframeSeal",          // +80 to +112 B/op over raw with AAD (one-range AAD path; SFrameAllocationTest: +64..+88)
      "sframeSealFrame",     // +81 to +140 B/op (the live-frame prefix update and header)
      "sframeOpen",          // +33 to +120 B/op at 1 and 16 KiB: JDK 17's GCM decrypt allocates 968 or 1080 B/op
                             // per fork (the JIT's choice), for rawJcaAesGcmAadOpen and sframeOpen alike (main's
                             // jar too): a baseline fork at 968 and an sframeOpen fork at 1088 differ by 120
      "sframeOpenFrame",     // +65 to +177 B/op (JDK 17; the live-frame open into LiveFrameBuffer)
      "segmentRead",         // +21 to +133 B/op at 16 KiB over raw, +35 over the chain baseline (one cipher init per chunk)
      "segmentWrite",        // +26 B/op (JDK 17) to +74 B/op (JDK 25) at 16 KiB over raw, +33 over chain (one cipher init per chunk)
      "segmentSeal",         // +5.8 to +6.7 KB per whole segment (key derivation, header, store object)
      "segmentOpen");        // +4.5 to +5.3 KB per whole segment (key derivation, header parse)

  /** Methods not yet above the floor. */
  static final Set<String> FLOOR_NOT_YET = Set.of(
      "segmentSeal",         // one whole 1 KiB segment per op: 0.08x raw, 0.09x chain; its fixed per-segment cost dominates
      "segmentOpen");        // the same on the open side: 0.10x raw, 0.07x chain at 1 KiB (the targets start at 64 KiB)

  @Test
  void obscuraMethodsAllocateLikeTheirBaselineAndStayAboveTheFloor() throws Exception {
    Path dir = Paths.get("target", "jmh-smoke");
    Files.createDirectories(dir);
    Results results = run(dir, "frame-seal-smoke.json", null, "1024", "16384");
    Check first = check(results, null);
    assertTrue(first.checked >= 16, "too few Obscura results: " + first.checked);
    Check verdict = first;
    if (!first.failed.isEmpty()) {
      // A fork starved of CPU on a shared machine can run without C2 code for its whole
      // measurement (measured: segmentWrite at 16 KiB at 0.05x its chain baseline in all three
      // iterations, where other runs measured 0.76x and 0.87x): re-measure what failed, with its
      // baselines, once. A real regression fails twice.
      Set<String> methods = new TreeSet<>();
      Set<String> sizes = new TreeSet<>();
      for (Results.Row r : first.failed) {
        methods.add(r.method());
        baselineOf(results, r).ifPresent(b -> methods.add(b.method()));
        sizes.add(Integer.toString(r.frameBytes()));
      }
      System.out.println("[smoke] re-measuring " + methods + " at " + sizes + " after:\n  "
          + String.join("\n  ", first.failures));
      Set<String> keys = new TreeSet<>();
      first.failed.forEach(r -> keys.add(key(r)));
      verdict = check(run(dir, "frame-seal-smoke-retry.json", methods, sizes.toArray(new String[0])),
          keys);
    }
    assertTrue(verdict.failures.isEmpty(), String.join("\n", verdict.failures));
  }

  /** What a check found: failure messages, the rows that failed, how many Obscura rows it checked. */
  private static final class Check {
    final List<String> failures = new ArrayList<>();
    final List<Results.Row> failed = new ArrayList<>();
    int checked;

    void fail(Results.Row r, String message) {
      failures.add(message);
      if (!failed.contains(r)) {
        failed.add(r);
      }
    }
  }

  /**
   * Runs the smoke: {@code methods} of FrameSealBenchmark (all but the raw GCM baselines when
   * null) at {@code sizes}, AES-256, one short fork each.
   */
  private static Results run(Path dir, String file, Set<String> methods, String... sizes)
      throws Exception {
    Path json = dir.resolve(file);
    OptionsBuilder b = new OptionsBuilder();
    if (methods == null) {
      b.include(FrameSealBenchmark.class.getName() + "\\.");
      b.exclude(FrameSealBenchmark.class.getName() + "\\.(rawJcaAesGcm|rawJcaAesGcmOpen)$");
    } else {
      b.include(FrameSealBenchmark.class.getName() + "\\.(" + String.join("|", methods) + ")$");
    }
    Options opts = b
        .param("frameBytes", sizes)
        .param("keyBits", "256")
        .forks(1)
        .warmupIterations(2)
        .warmupTime(TimeValue.milliseconds(300))
        .measurementIterations(3)
        .measurementTime(TimeValue.milliseconds(300))
        .addProfiler(GCProfiler.class)
        .jvmArgsAppend("-Dobscura.bench.prewarmMillis=800",
            "-Djava.io.tmpdir=" + dir.toAbsolutePath())
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString())
        .shouldFailOnError(true)
        .build();
    new Runner(opts).run();
    return Results.read(Collections.singletonList(json));
  }

  /** An SFrame method's raw baseline, a segment method's chain baseline, at its size. */
  private static Optional<Results.Row> baselineOf(Results results, Results.Row r) {
    return Baselines.isSegment(r.benchmarkClass(), r.method())
        ? results.chainBaseline(r, r.frameBytes()) : results.baseline(r, r.frameBytes());
  }

  private static String key(Results.Row r) {
    return r.method() + "@" + r.frameBytes();
  }

  /**
   * Checks allocation, floor and spread of every result (of those in {@code only}, when given).
   */
  private static Check check(Results results, Set<String> only) {
    Check c = new Check();
    List<String> notYet = new ArrayList<>();
    for (Results.Row r : results.rows()) {
      if (only != null && !only.contains(key(r))) {
        continue;
      }
      if (r.spread() > Report.MAX_SPREAD) {
        c.fail(r, String.format(Locale.ROOT, "spread %s @%d: iterations %s (%.1fx > %.0fx)",
            r.method(), r.frameBytes(), r.iterations(), r.spread(), Report.MAX_SPREAD));
      }
      if (!Baselines.isObscura(r.benchmarkClass(), r.method())) {
        continue;
      }
      Optional<Results.Row> base = baselineOf(results, r);
      assertTrue(base.isPresent(), "no baseline ran for " + r.name() + " " + r.params());
      c.checked++;
      double extra = r.allocNorm() - base.get().allocNorm();
      double tolerance = ALLOC_TOLERANCE + (r.method().startsWith("sframeOpen")
          ? (double) SFrameFixture.REBUILD_BYTES / SFrameFixture.poolSize(r.frameBytes()) : 0);
      String alloc = String.format(Locale.ROOT, "%s @%d: %+.1f B/op over %s (tolerance %.1f)",
          r.method(), r.frameBytes(), extra, base.get().method(), tolerance);
      if (Double.isNaN(extra) || extra > tolerance) { // allocating less than raw is fine
        if (ALLOC_NOT_YET.contains(r.method())) {
          notYet.add("alloc " + alloc);
        } else {
          c.fail(r, "alloc " + alloc);
        }
      } else if (ALLOC_NOT_YET.contains(r.method())) {
        notYet.add("alloc now holds, remove from ALLOC_NOT_YET: " + alloc);
      }
      double ratio = r.opsPerSecond() / base.get().opsPerSecond();
      double floor = Baselines.isSegment(r.benchmarkClass(), r.method()) ? SEGMENT_FLOOR : FLOOR;
      String speed = String.format(Locale.ROOT, "%s @%d: %.2fx %s (floor %.2f)", r.method(),
          r.frameBytes(), ratio, base.get().method(), floor);
      if (ratio < floor) {
        if (FLOOR_NOT_YET.contains(r.method())) {
          notYet.add("floor " + speed);
        } else {
          c.fail(r, "floor " + speed);
        }
      } else if (FLOOR_NOT_YET.contains(r.method())) {
        notYet.add("floor now holds, remove from FLOOR_NOT_YET: " + speed);
      }
      System.out.println("[smoke] " + alloc + "; " + speed);
    }
    notYet.forEach(s -> System.out.println("[smoke, not yet] " + s));
    return c;
  }
}
