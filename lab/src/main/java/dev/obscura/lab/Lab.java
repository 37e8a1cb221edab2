package dev.obscura.lab;

import dev.obscura.codec.SyntheticScene;
import dev.obscura.codec.VideoSettings;
import dev.obscura.crypto.padding.PaddingPolicy;
import dev.obscura.crypto.scheme.SealingScheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The scheme lab: one run measures
 *
 * <ol>
 *   <li><b>throughput and overhead</b> of each scheme at each mean frame size: realistic segments
 *       (30 fps, one keyframe {@value ThroughputBench#KEYFRAME_RATIO} times a P-frame per
 *       two-second segment) sealed and opened through the scheme's sealer and opener, warmed up,
 *       then timed rounds (median and spread in MB/s), and the overhead bytes per frame and per
 *       hour of video; plus a raw JCA AES-256-GCM row ({@value #BASELINE}) measured the same way in
 *       the same run, so ratios are honest;
 *   <li><b>leakage</b> of each padding policy: scripted scenes of the synthetic camera, encoded to
 *       real H.264, are passed through the policy's shaper; a logistic regression and a random
 *       forest (Tribuo) learn to tell motion from idle from per-second byte features of the sends
 *       (what a relay or store sees), trained and tested on different recordings. Reported:
 *       accuracy of each, chance, bandwidth cost against the video's own bytes, added latency;
 * </ol>
 *
 * and writes {@code results.csv}, PNG charts and {@code summary.md} into the output folder.
 *
 * <p><b>Restrictions:</b> the throughput figures are the lab's own timed rounds, not JMH: compare
 * schemes within one run. The JMH suite in the {@code benchmarks} module guards the hot path.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * LabReport report = Lab.builder()
 *     .schemes(SchemeSet.builtIn().with(new MyScheme()).all())
 *     .frameSizes(FrameSizes.parse("1KiB,16KiB,1MiB"))
 *     .policies(List.of(PaddingPolicies.none(), PaddingPolicies.cbr(60_000)))
 *     .outputDir(Path.of("lab-out"))
 *     .build()
 *     .run();
 * }</pre>
 */
public final class Lab {
  /** The name of the raw JCA AES-256-GCM baseline row. */
  public static final String BASELINE = "jca-aes-256-gcm";
  /** Frame rate of the throughput segments. */
  public static final int THROUGHPUT_FPS = 30;
  /** Seconds per throughput segment (one keyframe each). */
  public static final int SEGMENT_SECONDS = 2;
  /**
   * The camera of the leakage scenes by default: 320x240 at 15 fps with an 800 kbit/s target, at
   * which the scripted scenes span about 18 KB/s (idle) to 100 KB/s (busy street) with openh264,
   * below the 125 KB/s default of {@code cbr} (at 300 kbit/s rate control squeezes them together).
   */
  public static final VideoSettings DEFAULT_LEAKAGE_VIDEO =
      VideoSettings.QVGA_240P15.toBuilder().bitrateBitsPerSecond(800_000).build();
  private static final Duration KEYFRAME_INTERVAL = Duration.ofSeconds(2);
  private static final int DRAIN_SECONDS = 60;

  /** Hears how far a run has got; called on the running thread. */
  @FunctionalInterface
  public interface Progress {
    /**
     * One step is done.
     *
     * @param what what was just measured (for example {@code chunked 16KiB} or {@code scene IDLE})
     * @param done steps done so far
     * @param total steps of the whole run
     */
    void step(String what, int done, int total);

    /**
     * A listener that ignores everything.
     *
     * @return the listener
     */
    static Progress none() {
      return (what, done, total) -> {};
    }
  }

  private final Builder b;

  private Lab(Builder b) {
    this.b = b;
  }

  /**
   * A builder with the defaults: frame sizes 1 KiB, 16 KiB, 1 MiB; 5 rounds of 300 ms after 1 s of
   * warm-up; scenes of 96 s from {@link #DEFAULT_LEAKAGE_VIDEO}; 8-second windows (a person crosses
   * once every 8 s); no scheme, no policy.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The warnings of the {@link SealingScheme.Protection#WEAK} schemes among {@code schemes}, one
   * line each ({@code name: warning}), for a tool to print whenever one is used.
   *
   * @param schemes the schemes of a run
   * @return the warnings, possibly none
   */
  public static List<String> warnings(List<SealingScheme> schemes) {
    List<String> out = new ArrayList<>();
    for (SealingScheme s : schemes) {
      if (s.protection() == SealingScheme.Protection.WEAK || !s.warning().isEmpty()) {
        out.add(s.name() + ": " + s.warning());
      }
    }
    return out;
  }

  /**
   * Runs every measurement and writes the results into the output folder (created if needed;
   * files of the same names are replaced).
   *
   * @return what was measured and the files written
   * @throws IOException if a scheme fails, encoding fails or a file cannot be written
   */
  public LabReport run() throws IOException {
    Files.createDirectories(b.outputDir);
    double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    int total = (b.schemes.isEmpty() ? 0 : (b.schemes.size() + 1) * b.frameSizes.size())
        + (b.policies.isEmpty() ? 0 : scenes().size() + b.policies.size());
    int[] done = {0};
    List<ThroughputResult> throughput = new ArrayList<>();
    if (!b.schemes.isEmpty()) {
      ThroughputBench bench = new ThroughputBench(THROUGHPUT_FPS, THROUGHPUT_FPS * SEGMENT_SECONDS, b.rounds,
          b.roundTime.toNanos(), b.warmup.toNanos(), b.seed);
      List<SealingScheme> all = new ArrayList<>();
      List<String> protections = new ArrayList<>();
      all.add(new JcaGcmBaseline());
      protections.add("BASELINE");
      for (SealingScheme s : b.schemes) {
        all.add(s);
        protections.add(s.protection().name());
      }
      List<ThroughputResult> bySize = new ArrayList<>();
      for (int size : b.frameSizes) {
        for (ThroughputResult r : bench.measure(all, protections, size)) {
          bySize.add(r);
          b.progress.step(r.scheme() + " " + FrameSizes.format(size), ++done[0], total);
        }
      }
      // rows by scheme (the baseline first), then by size
      for (SealingScheme s : all) {
        for (ThroughputResult r : bySize) {
          if (r.scheme().equals(s.name())) {
            throughput.add(r);
          }
        }
      }
    }
    List<LeakageResult> leakage = b.policies.isEmpty() ? List.of() : leakage(done, total);

    List<Path> charts = new ArrayList<>();
    if (!throughput.isEmpty()) {
      charts.add(Charts.throughput(throughput, b.outputDir));
      charts.add(Charts.overhead(throughput, b.outputDir));
    }
    if (!leakage.isEmpty()) {
      charts.add(Charts.leakage(leakage, b.outputDir));
    }
    Path csv = Reports.csv(throughput, leakage, b.outputDir);
    List<String> chartNames = new ArrayList<>();
    for (Path c : charts) {
      chartNames.add(c.getFileName().toString());
    }
    List<String> schemeLines = new ArrayList<>();
    schemeLines.add("`" + BASELINE + "`: " + new JcaGcmBaseline().description());
    for (SealingScheme s : b.schemes) {
      schemeLines.add("`" + s.name() + "` (" + s.protection() + "): " + s.description());
    }
    double loadAfter = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    int cpus = Runtime.getRuntime().availableProcessors();
    String cpu = cpu() + (loadBefore < 0 ? "" : String.format(Locale.ROOT,
        "; load average %.1f at the start, %.1f at the end%s", loadBefore, loadAfter,
        Math.max(loadBefore, loadAfter) > cpus
            ? " (more than the CPUs: the machine was busy with other work, so MB/s are low and noisy)" : ""));
    Reports.Context context = new Reports.Context(b.commandLine, jdk(), cpu, schemeLines, warnings(b.schemes),
        String.format(Locale.ROOT, "Segments of %d s at %d fps (one keyframe %dx a P-frame, mean frame = the size"
            + " shown, each one H.264 Annex B slice NAL unit of random bytes); %s warm-up, then %d rounds of at least %d ms each, every scheme once per"
            + " round (interleaved, so load changes fall on all alike); MB/s counts video bytes"
            + " (10^6 B/s). Overhead per hour = overhead per frame x %d fps x 3600.",
            SEGMENT_SECONDS, THROUGHPUT_FPS, ThroughputBench.KEYFRAME_RATIO, b.warmup.toMillis() + " ms",
            b.rounds, b.roundTime.toMillis(), THROUGHPUT_FPS),
        leakageSetup(), chartNames);
    Path summary = Reports.summary(throughput, leakage, context, b.outputDir);
    return new LabReport(throughput, leakage, csv, summary, charts);
  }

  private List<LeakageResult> leakage(int[] done, int total) throws IOException {
    Map<SyntheticScene, Leakage.Trace> traces = new LinkedHashMap<>();
    for (Map.Entry<SyntheticScene, Boolean> e : scenes().entrySet()) {
      SyntheticScene scene = e.getKey();
      traces.put(scene, Leakage.record(b.video, scene, e.getValue(), b.heldOutScenes.contains(scene),
          b.sceneSeconds, KEYFRAME_INTERVAL));
      b.progress.step("scene " + scene, ++done[0], total);
    }
    int half = b.sceneSeconds / 2;
    List<LeakageResult> out = new ArrayList<>();
    for (PaddingPolicy policy : b.policies) {
      List<Leakage.Window> train = new ArrayList<>();
      List<Leakage.Window> test = new ArrayList<>();
      long sent = 0;
      long video = 0;
      double latencySum = 0;
      long latencyMax = 0;
      long latencyCount = 0;
      for (Leakage.Trace t : traces.values()) {
        Leakage.Shaped shaped = Leakage.shape(t, policy, DRAIN_SECONDS);
        if (!t.heldOut()) {
          train.addAll(Leakage.windows(shaped, t.motion(), 0, half, b.windowSeconds));
        }
        test.addAll(Leakage.windows(shaped, t.motion(), half, b.sceneSeconds, b.windowSeconds));
        sent += shaped.bytesInRecording();
        video += t.videoBytes();
        for (long l : shaped.latenciesMicros()) {
          latencySum += l;
          latencyMax = Math.max(latencyMax, l);
          latencyCount++;
        }
      }
      train = Leakage.balance(train, b.seed);
      test = Leakage.balance(test, b.seed + 1);
      if (train.isEmpty() || test.isEmpty()) {
        throw new IllegalStateException("no windows of both classes: give idle and motion scenes");
      }
      Classifiers.Accuracies acc = Classifiers.trainAndTest(train, test, b.seed);
      out.add(new LeakageResult(policy.name(), policy.describe(), acc.logistic(), acc.forest(),
          Leakage.chance(test), video == 0 ? 0 : sent / (double) video,
          latencyCount == 0 ? 0 : latencySum / latencyCount / 1000.0, latencyMax / 1000.0,
          train.size(), test.size()));
      b.progress.step("policy " + policy.describe(), ++done[0], total);
    }
    return out;
  }

  private Map<SyntheticScene, Boolean> scenes() {
    Map<SyntheticScene, Boolean> m = new LinkedHashMap<>();
    for (SyntheticScene s : b.idleScenes) {
      m.put(s, false);
    }
    for (SyntheticScene s : b.motionScenes) {
      m.put(s, true);
    }
    return m;
  }

  private String leakageSetup() {
    return String.format(Locale.ROOT, "Scenes (real H.264 from the synthetic camera, %dx%d, %d fps, %d kbit/s target,"
        + " a keyframe every %d s, %d s each): idle %s, motion %s; held out (test only) %s. A provider's view:"
        + " each send's time and size. Features per %d-second window (sliding by 1 s): mean, std, max, min of"
        + " per-second bytes, bytes in the window, number of sends. Trained on the first half of each scene that is"
        + " not held out, tested on the second half of every scene; both sets balanced; chance is the test set's"
        + " larger class. Bandwidth cost = bytes sent during the recordings / video bytes. Latency: frame ready to"
        + " its last byte sent.",
        b.video.width(), b.video.height(), b.video.fps(), b.video.bitrateBitsPerSecond() / 1000,
        KEYFRAME_INTERVAL.getSeconds(), b.sceneSeconds, b.idleScenes, b.motionScenes, b.heldOutScenes,
        b.windowSeconds);
  }

  private static String jdk() {
    return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + " (" + System.getProperty("java.vendor") + ")";
  }

  private static String cpu() {
    String model = null;
    try {
      Path info = java.nio.file.Paths.get("/proc/cpuinfo");
      if (Files.isReadable(info)) {
        for (String line : Files.readAllLines(info)) {
          if (line.startsWith("model name")) {
            model = line.substring(line.indexOf(':') + 1).trim();
            break;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      model = null;
    }
    return (model == null ? System.getProperty("os.arch") : model) + ", "
        + Runtime.getRuntime().availableProcessors() + " logical CPUs, " + System.getProperty("os.name");
  }

  /**
   * Builds a {@link Lab}; everything is validated in {@link #build()}. Lists are copied.
   */
  public static final class Builder {
    private List<SealingScheme> schemes = List.of();
    private List<Integer> frameSizes = List.of(1024, 16 * 1024, 1024 * 1024);
    private List<PaddingPolicy> policies = List.of();
    private Path outputDir;
    private Progress progress = Progress.none();
    private int rounds = 5;
    private Duration roundTime = Duration.ofMillis(300);
    private Duration warmup = Duration.ofSeconds(1);
    private VideoSettings video = DEFAULT_LEAKAGE_VIDEO;
    private int sceneSeconds = 96;
    private int windowSeconds = 8;
    private List<SyntheticScene> idleScenes;
    private List<SyntheticScene> motionScenes;
    private List<SyntheticScene> heldOutScenes;
    private long seed = 20261201L;
    private String commandLine = "Lab.builder()...run() (programmatic run)";

    private Builder() {}

    /**
     * The schemes to measure, in order (the baseline row is added by the lab).
     *
     * @param schemes for example {@code SchemeSet.builtIn().all()}
     * @return this builder
     */
    public Builder schemes(List<SealingScheme> schemes) {
      this.schemes = List.copyOf(schemes);
      return this;
    }

    /**
     * Mean frame sizes in bytes, 1 B to {@link FrameSizes#MAX_FRAME_BYTES}.
     *
     * @param sizes for example {@code FrameSizes.parse("1KiB,16KiB,1MiB")}
     * @return this builder
     */
    public Builder frameSizes(List<Integer> sizes) {
      this.frameSizes = List.copyOf(sizes);
      return this;
    }

    /**
     * The padding policies whose leakage to measure, in order.
     *
     * @param policies for example {@code none} and {@code cbr}
     * @return this builder
     */
    public Builder policies(List<PaddingPolicy> policies) {
      this.policies = List.copyOf(policies);
      return this;
    }

    /**
     * Where to write {@code results.csv}, the charts and {@code summary.md} (required).
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder outputDir(Path dir) {
      this.outputDir = dir;
      return this;
    }

    /**
     * Who hears of each finished step (default: nobody).
     *
     * @param progress the listener
     * @return this builder
     */
    public Builder progress(Progress progress) {
      this.progress = progress;
      return this;
    }

    /**
     * Timed rounds per scheme and size, seal and open each (default 5; at least 1).
     *
     * @param rounds how many
     * @return this builder
     */
    public Builder rounds(int rounds) {
      this.rounds = rounds;
      return this;
    }

    /**
     * The least time of one timed round (default 300 ms; a round seals at least one segment).
     *
     * @param roundTime how long
     * @return this builder
     */
    public Builder roundTime(Duration roundTime) {
      this.roundTime = roundTime;
      return this;
    }

    /**
     * Warm-up per scheme and size before the timed rounds, seal and open each (default 1 s).
     *
     * @param warmup how long
     * @return this builder
     */
    public Builder warmup(Duration warmup) {
      this.warmup = warmup;
      return this;
    }

    /**
     * The camera settings of the leakage scenes (default {@link #DEFAULT_LEAKAGE_VIDEO}); the
     * scene is set per recording.
     *
     * @param video size, rate and target bitrate
     * @return this builder
     */
    public Builder leakageVideo(VideoSettings video) {
      this.video = video;
      return this;
    }

    /**
     * Seconds of each recorded scene (default 96): the first half trains, the second tests.
     *
     * @param seconds at least {@code 2 * windowSeconds + 2}
     * @return this builder
     */
    public Builder sceneSeconds(int seconds) {
      this.sceneSeconds = seconds;
      return this;
    }

    /**
     * Seconds per feature window (default 8).
     *
     * @param seconds 1 to 60
     * @return this builder
     */
    public Builder windowSeconds(int seconds) {
      this.windowSeconds = seconds;
      return this;
    }

    /**
     * The scenes of the leakage measurement: labelled idle, labelled motion, and which of them
     * are held out (tested on, never trained on). Default: idle {@code IDLE}; motion {@code
     * SLOW_MOTION, PERSON_CROSSING, BUSY_STREET}; held out {@code PERSON_CROSSING}.
     *
     * @param idle scenes labelled idle
     * @param motion scenes labelled motion
     * @param heldOut scenes among them used only for testing
     * @return this builder
     */
    public Builder scenes(List<SyntheticScene> idle, List<SyntheticScene> motion, List<SyntheticScene> heldOut) {
      this.idleScenes = List.copyOf(idle);
      this.motionScenes = List.copyOf(motion);
      this.heldOutScenes = List.copyOf(heldOut);
      return this;
    }

    /**
     * The seed of the frame contents, the balancing and the classifiers (default fixed).
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The command line that reproduces the run, for the summary.
     *
     * @param commandLine for example {@code obscura lab --schemes all --out lab-out}
     * @return this builder
     */
    public Builder commandLine(String commandLine) {
      this.commandLine = Objects.requireNonNull(commandLine, "commandLine");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the lab
     * @throws IllegalArgumentException if a value is out of range, a list repeats a name or the
     *     scenes do not give both classes
     * @throws NullPointerException if the output folder is not set
     */
    public Lab build() {
      Objects.requireNonNull(outputDir, "outputDir");
      Objects.requireNonNull(progress, "progress");
      Objects.requireNonNull(video, "leakageVideo");
      if (rounds < 1 || rounds > 1000) {
        throw new IllegalArgumentException("rounds must be 1..1000: " + rounds);
      }
      if (roundTime.isNegative() || warmup.isNegative()) {
        throw new IllegalArgumentException("round time and warm-up must not be negative");
      }
      if (windowSeconds < 1 || windowSeconds > 60) {
        throw new IllegalArgumentException("windowSeconds must be 1..60: " + windowSeconds);
      }
      if (sceneSeconds < 2 * windowSeconds + 2 || sceneSeconds > 3600) {
        throw new IllegalArgumentException("sceneSeconds must be 2 * windowSeconds + 2 .. 3600: " + sceneSeconds);
      }
      for (int size : frameSizes) {
        if (size < 1 || size > FrameSizes.MAX_FRAME_BYTES) {
          throw new IllegalArgumentException("frame size must be 1 B..16 MiB: " + size);
        }
      }
      if (!schemes.isEmpty() && frameSizes.isEmpty()) {
        throw new IllegalArgumentException("schemes need at least one frame size");
      }
      List<String> names = new ArrayList<>();
      for (SealingScheme s : schemes) {
        if (names.contains(s.name()) || s.name().equals(BASELINE)) {
          throw new IllegalArgumentException("scheme name " + s.name() + " is repeated or the baseline's");
        }
        names.add(s.name());
      }
      names.clear();
      for (PaddingPolicy p : policies) {
        if (names.contains(p.describe())) {
          throw new IllegalArgumentException("policy " + p.describe() + " is listed twice");
        }
        names.add(p.describe());
      }
      if (idleScenes == null) {
        idleScenes = List.of(SyntheticScene.IDLE);
        motionScenes = List.of(SyntheticScene.SLOW_MOTION, SyntheticScene.PERSON_CROSSING, SyntheticScene.BUSY_STREET);
        heldOutScenes = List.of(SyntheticScene.PERSON_CROSSING);
      }
      if (!policies.isEmpty() && (idleScenes.isEmpty() || motionScenes.isEmpty())) {
        throw new IllegalArgumentException("the leakage measurement needs idle and motion scenes");
      }
      for (SyntheticScene s : idleScenes) {
        if (motionScenes.contains(s)) {
          throw new IllegalArgumentException("scene " + s + " is labelled both idle and motion");
        }
      }
      List<SyntheticScene> trained = new ArrayList<>(idleScenes);
      trained.addAll(motionScenes);
      trained.removeAll(heldOutScenes);
      if (!policies.isEmpty() && (!trained.stream().anyMatch(idleScenes::contains)
          || !trained.stream().anyMatch(motionScenes::contains))) {
        throw new IllegalArgumentException("every class needs a scene that is not held out");
      }
      return new Lab(this);
    }
  }

  @Override
  public String toString() {
    return "Lab[schemes=" + b.schemes.size() + ", sizes=" + Arrays.toString(b.frameSizes.toArray())
        + ", policies=" + b.policies.size() + ", out=" + b.outputDir + "]";
  }
}
