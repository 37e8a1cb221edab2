package dev.obscura.benchmarks.report;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which raw baseline each benchmark method is divided by: the one with the same key size, the
 * same AAD and the same direction, in the same run and JDK. One table for the report and the CI
 * smoke alike.
 */
public final class Baselines {
  /** A baseline: benchmark class (simple name), method, and parameters it must have. */
  public record Ref(String benchmarkClass, String method, Map<String, String> params) {}

  private static final Map<String, Ref> REFS = new HashMap<>();
  private static final Set<String> SEGMENT_METHODS = Set.of(
      "FrameSealBenchmark.segmentSeal", "FrameSealBenchmark.segmentOpen",
      "FrameSealBenchmark.segmentRead", "FrameSealBenchmark.segmentWrite");

  static {
    String f = "FrameSealBenchmark";
    same(f, "sframeSeal", "rawJcaAesGcmAad");
    same(f, "sframeSealFrame", "rawJcaAesGcmAad");
    same(f, "sframeOpen", "rawJcaAesGcmAadOpen");
    same(f, "sframeOpenFrame", "rawJcaAesGcmAadOpen");
    same(f, "segmentSeal", "rawJcaAesGcm");
    same(f, "segmentOpen", "rawJcaAesGcmOpen");
    same(f, "segmentRead", "rawJcaAesGcmOpen");
    same(f, "segmentWrite", "rawJcaAesGcm");
    String c = "FrameSealCtrHmacBenchmark";
    same(c, "sframeSeal", "rawJcaCtrHmac");
    same(c, "sframeSealFrame", "rawJcaCtrHmac");
    same(c, "sframeOpen", "rawJcaCtrHmacOpen");
    same(c, "sframeOpenFrame", "rawJcaCtrHmacOpen");
    Map<String, String> aes256 = Map.of("keyBits", "256");
    for (String m : new String[] {"tinkGcmHkdf4kSeal", "tinkGcmHkdf1mSeal", "bcGcmSeal"}) {
      REFS.put("PeerSealBenchmark." + m, new Ref(f, "rawJcaAesGcm", aes256));
    }
    for (String m : new String[] {"tinkGcmHkdf4kOpen", "tinkGcmHkdf1mOpen", "bcGcmOpen"}) {
      REFS.put("PeerSealBenchmark." + m, new Ref(f, "rawJcaAesGcmOpen", aes256));
    }
  }

  private Baselines() {}

  private static void same(String cls, String method, String baseline) {
    REFS.put(cls + "." + method, new Ref(cls, baseline, Collections.emptyMap()));
  }

  /**
   * The baseline of a method.
   *
   * @param benchmarkClass the benchmark class's simple name
   * @param method the benchmark method
   * @return its baseline, or empty for a baseline itself
   */
  public static Optional<Ref> of(String benchmarkClass, String method) {
    return Optional.ofNullable(REFS.get(benchmarkClass + "." + method));
  }

  /**
   * Whether a method is Obscura's (not a raw baseline, not a peer).
   *
   * @param benchmarkClass the benchmark class's simple name
   * @param method the benchmark method
   * @return true for the Obscura methods
   */
  public static boolean isObscura(String benchmarkClass, String method) {
    return REFS.containsKey(benchmarkClass + "." + method)
        && !benchmarkClass.equals("PeerSealBenchmark");
  }

  /**
   * Whether a method works on C2SP segments, whose ceiling is the raw baseline at 16 KiB.
   *
   * @param benchmarkClass the benchmark class's simple name
   * @param method the benchmark method
   * @return true for segment and chunked-stream methods
   */
  public static boolean isSegment(String benchmarkClass, String method) {
    return SEGMENT_METHODS.contains(benchmarkClass + "." + method);
  }
}
