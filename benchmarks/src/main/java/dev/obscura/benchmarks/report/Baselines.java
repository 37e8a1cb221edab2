package dev.obscura.benchmarks.report;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which raw baseline each benchmark method is divided by: the one with the same key size, the
 * same AAD and the same direction, in the same run and JDK. One table for the report and the CI
 * smoke alike.
 *
 * <p>Segment methods have a second one, their chain baseline ({@link #chainOf}): AES-GCM plus
 * the SHA-256 of the ciphertext that segment format v2 adds to every sealed byte
 * ({@code FrameSealBenchmark.rawJcaAesGcmSha256}/{@code rawJcaAesGcmSha256Open}). The report
 * divides a segment method by three references: the raw baseline at its size, the C2SP ceiling
 * (the raw baseline at 16 KiB, a segment's chunk) and the chain ceiling (the chain baseline at 16
 * KiB: one chunk sealed and hashed, the honest same-thread ceiling of a segment).
 */
public final class Baselines {
  /** A baseline: benchmark class (simple name), method, and parameters it must have. */
  public record Ref(String benchmarkClass, String method, Map<String, String> params) {}

  /** The size of a C2SP chunk, where the segment ceilings are read. */
  public static final int CHUNK_BYTES = 16384;

  private static final Map<String, Ref> REFS = new HashMap<>();
  private static final Map<String, Ref> CHAIN = new HashMap<>();

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
    for (String m : new String[] {"segmentSeal", "segmentWrite"}) {
      CHAIN.put(f + "." + m, new Ref(f, "rawJcaAesGcmSha256", Collections.emptyMap()));
    }
    for (String m : new String[] {"segmentOpen", "segmentRead"}) {
      CHAIN.put(f + "." + m, new Ref(f, "rawJcaAesGcmSha256Open", Collections.emptyMap()));
    }
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
   * The chain baseline of a segment method: raw AES-GCM then SHA-256 over the ciphertext, the
   * same direction, key size and parameters.
   *
   * @param benchmarkClass the benchmark class's simple name
   * @param method the benchmark method
   * @return its chain baseline, or empty for a method that does not build a hash chain
   */
  public static Optional<Ref> chainOf(String benchmarkClass, String method) {
    return Optional.ofNullable(CHAIN.get(benchmarkClass + "." + method));
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
   * Whether a method works on C2SP segments, whose ceilings are the raw and the chain baseline at
   * 16 KiB ({@link #CHUNK_BYTES}).
   *
   * @param benchmarkClass the benchmark class's simple name
   * @param method the benchmark method
   * @return true for segment and chunked-stream methods
   */
  public static boolean isSegment(String benchmarkClass, String method) {
    return CHAIN.containsKey(benchmarkClass + "." + method);
  }
}
