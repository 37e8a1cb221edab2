package dev.obscura.examples.cli;

import dev.obscura.codec.SyntheticScene;
import dev.obscura.core.Outcome;
import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.padding.PaddingPolicy;
import dev.obscura.crypto.scheme.SchemeSet;
import dev.obscura.crypto.scheme.SealingScheme;
import dev.obscura.lab.FrameSizes;
import dev.obscura.lab.Lab;
import dev.obscura.lab.LabReport;
import dev.obscura.lab.LeakageResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code obscura lab}: parses the flags and runs {@link Lab}. The figures are the lab's timed
 * rounds, not JMH (the benchmarks module's JMH suite guards the hot path).
 */
@Command(
    name = "lab",
    description = {
      "Compare sealing schemes and padding policies, and write results.csv, PNG charts and summary.md into --out.",
      "Schemes: seal and open throughput and overhead bytes, against a raw JCA AES-256-GCM baseline of the same run.",
      "Policies: how well classifiers still tell motion from idle from sizes and times, and the bandwidth it costs.",
      "Throughput figures are the lab's timed rounds, not JMH: compare them within one run."
    })
final class LabCommand implements Callable<Integer> {
  /** The policies {@code all} names, with their defaults. */
  static final List<String> ALL_POLICIES = List.of("none", "buckets", "cbr", "interval");

  @Option(names = "--schemes", paramLabel = "LIST", defaultValue = "all",
      description = "Comma-separated scheme names, or all (default: ${DEFAULT-VALUE}): ${COMPLETION-CANDIDATES}.",
      completionCandidates = SchemeNames.class)
  String schemes;

  @Option(names = "--sizes", paramLabel = "LIST", defaultValue = "1KiB,16KiB,1MiB",
      description = "Mean frame sizes, e.g. 1KiB,16KiB,1MiB or plain bytes (default: ${DEFAULT-VALUE}).")
  String sizes;

  @Option(names = "--policies", paramLabel = "LIST", defaultValue = "all",
      description = {"Comma-separated padding policies, or all = none,buckets,cbr,interval with their defaults",
        "(default: ${DEFAULT-VALUE}); with parameters: buckets:1.25, cbr:125000, interval:2s:262144.",
        "An empty list measures no leakage (and --schemes '' no throughput)."})
  String policies;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Folder for results.csv, the charts and summary.md (must be empty or new, unless --force).")
  Path out;

  @CommandLine.Mixin OutputGuard output;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Timed rounds per scheme and size (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--round-ms", paramLabel = "MS", defaultValue = "300", description = "Least time of one round (default: ${DEFAULT-VALUE}).")
  long roundMillis;

  @Option(names = "--warmup-ms", paramLabel = "MS", defaultValue = "1000", description = "Warm-up per scheme and size (default: ${DEFAULT-VALUE}).")
  long warmupMillis;

  @Option(names = "--window-seconds", paramLabel = "S", defaultValue = "8",
      description = "Seconds per feature window (default: ${DEFAULT-VALUE}).")
  int windowSeconds;

  @Option(names = "--scene-seconds", paramLabel = "S", defaultValue = "96",
      description = "Seconds of each recorded scene; the first half trains, the second tests (default: ${DEFAULT-VALUE}).")
  int sceneSeconds;

  @Option(names = "--idle-scenes", paramLabel = "SCENE", split = ",",
      description = "Scenes labelled idle (default: IDLE): ${COMPLETION-CANDIDATES}.")
  List<SyntheticScene> idleScenes;

  @Option(names = "--motion-scenes", paramLabel = "SCENE", split = ",",
      description = "Scenes labelled motion (default: SLOW_MOTION,PERSON_CROSSING,BUSY_STREET).")
  List<SyntheticScene> motionScenes;

  @Option(names = "--held-out-scenes", paramLabel = "SCENE", split = ",",
      description = "Scenes only tested on, never trained on (default: PERSON_CROSSING; with --idle-scenes or"
          + " --motion-scenes: none).")
  List<SyntheticScene> heldOutScenes;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The schemes {@code --schemes} chooses from. */
  SchemeSet schemeSet() {
    return SchemeSet.builtIn();
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<SealingScheme> chosen = usage(() -> schemes.isBlank() ? List.<SealingScheme>of() : schemeSet().select(schemes));
    List<Integer> frameSizes = usage(() -> FrameSizes.parse(sizes));
    List<PaddingPolicy> chosenPolicies = usage(() -> policies(policies));
    output.refuseNonEmptyDir(out);
    for (String w : Lab.warnings(chosen)) {
      err.println("obscura: warning: " + w);
    }
    err.flush();
    Path created = OutputGuard.firstMissing(out);
    boolean ok = false;
    boolean terminal = System.console() != null;
    try (ProgressBar bar = terminal
        ? new ProgressBarBuilder().setTaskName("lab").setInitialMax(1).setStyle(ProgressBarStyle.ASCII).build()
        : null) {
      Lab lab = usage(() -> scenes(Lab.builder())
          .schemes(chosen)
          .frameSizes(frameSizes)
          .policies(chosenPolicies)
          .outputDir(out)
          .rounds(rounds)
          .roundTime(Duration.ofMillis(roundMillis))
          .warmup(Duration.ofMillis(warmupMillis))
          .sceneSeconds(sceneSeconds)
          .windowSeconds(windowSeconds)
          .commandLine(commandLine())
          .progress((what, done, total) -> {
            if (bar != null) {
              bar.maxHint(total);
              bar.stepTo(done);
              bar.setExtraMessage(what);
            }
          })
          .build());
      LabReport report = lab.run();
      ok = true;
      log.printf("wrote %s, %s and %d charts (%d scheme rows, %d policy rows)%n", report.csv(), report.summary(),
          report.charts().size(), report.throughput().size(), report.leakage().size());
      for (LeakageResult r : report.leakage()) {
        log.printf(Locale.ROOT, "  %-28s accuracy %.2f / %.2f (chance %.2f), bandwidth %.2fx%n", r.describe(),
            r.logisticAccuracy(), r.forestAccuracy(), r.chance(), r.bandwidthCost());
      }
      log.println("(lab figures, not JMH: the benchmarks module's JMH suite guards the hot path)");
    } finally {
      if (!ok) {
        OutputGuard.removeIfEmpty(created);
      }
    }
    // the warning again after the table, so it is not scrolled away
    for (String w : Lab.warnings(chosen)) {
      err.println("obscura: warning: " + w);
    }
    return 0;
  }

  private Lab.Builder scenes(Lab.Builder b) {
    if (idleScenes == null && motionScenes == null && heldOutScenes == null) {
      return b;
    }
    if (idleScenes == null || motionScenes == null) {
      throw new IllegalArgumentException("give both --idle-scenes and --motion-scenes, or neither");
    }
    return b.scenes(idleScenes, motionScenes, heldOutScenes == null ? List.of() : heldOutScenes);
  }

  static List<PaddingPolicy> policies(String list) {
    if (list.isBlank()) {
      return List.of();
    }
    List<String> specs = list.trim().equalsIgnoreCase("all") ? ALL_POLICIES : Arrays.asList(list.split(",", -1));
    List<PaddingPolicy> out = new ArrayList<>();
    for (String s : specs) {
      out.add(PaddingPolicies.parse(s.trim()));
    }
    return out;
  }

  private String commandLine() {
    StringBuilder s = new StringBuilder("obscura lab");
    s.append(" --schemes ").append(quote(schemes)).append(" --sizes ").append(quote(sizes))
        .append(" --policies ").append(quote(policies)).append(" --rounds ").append(rounds)
        .append(" --round-ms ").append(roundMillis).append(" --warmup-ms ").append(warmupMillis)
        .append(" --scene-seconds ").append(sceneSeconds).append(" --window-seconds ").append(windowSeconds);
    scenes(s, "--idle-scenes", idleScenes);
    scenes(s, "--motion-scenes", motionScenes);
    scenes(s, "--held-out-scenes", heldOutScenes);
    s.append(" --out ").append(quote(out.toString()));
    return s.toString();
  }

  private static void scenes(StringBuilder s, String option, List<SyntheticScene> scenes) {
    if (scenes != null) {
      List<String> names = new ArrayList<>();
      scenes.forEach(x -> names.add(x.name()));
      s.append(' ').append(option).append(' ').append(String.join(",", names));
    }
  }

  private static String quote(String s) {
    return s.isEmpty() || !s.matches("[A-Za-z0-9_.,:/=+-]+") ? "'" + s.replace("'", "'\\''") + "'" : s;
  }

  private interface Parse<T> {
    T get();
  }

  /** A bad value (unknown name, malformed size, out of range) is a usage error, exit 2. */
  private static <T> T usage(Parse<T> p) {
    try {
      return p.get();
    } catch (IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, e.getMessage());
    }
  }

  /** The built-in schemes' names, for help and completion. */
  static final class SchemeNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    SchemeNames() {
      super(SchemeSet.builtIn().names());
    }
  }
}
