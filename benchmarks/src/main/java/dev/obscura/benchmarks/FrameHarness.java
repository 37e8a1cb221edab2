package dev.obscura.benchmarks;

import java.lang.reflect.Field;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The harness every frame benchmark shares ({@link FrameSealBenchmark}, {@link
 * FrameSealCtrHmacBenchmark}, {@link PeerSealBenchmark}): the JMH settings (throughput, one
 * fork, 3 warm-up and 5 measured iterations of 1 s), the {@code frameBytes} parameter, one
 * random key and frame, the output buffers, the counter nonces of the raw baselines, the pool
 * of sealed frames their opens walk, and the warm-up in {@code @Setup}.
 *
 * <p>One operation is one frame of {@code frameBytes}; bytes/s = ops/s x frameBytes. A subclass
 * builds only what the running method needs ({@link #prepare}), so pools are not built for
 * nothing. The setup warms the running method first at 1 KiB in a twin (a new instance with the
 * same {@code @Param} values but {@code frameBytes}), then at its own size ({@link Prewarm}), so
 * no method, the raw baselines above all, is measured cold.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class FrameHarness {
  /** The frame (or whole segment) size of one operation. */
  @Param({"1024", "16384", "65536", "1048576"})
  int frameBytes;

  /** The benchmark's one key: 32 random bytes (a suite takes the first 16 or all 32). */
  byte[] key32;
  /** The frame: {@code frameBytes} random bytes. */
  byte[] plaintext;
  /** Where seals write: {@code frameBytes + 64}. */
  byte[] out;
  /** Where opens write: {@code frameBytes + 64}. */
  byte[] opened;
  /** A 12-byte GCM nonce, rewritten by {@link #counterNonce} for every operation. */
  final byte[] nonce = new byte[12];
  /** The last counter a seal used (nonces are never reused under the one key). */
  long counter;
  /** Distinct sealed frames for a raw open baseline, frame {@code i} sealed with counter i + 1. */
  byte[][] rawPool;
  private int rawNext;

  /** Seals the pooled frame of one counter. */
  @FunctionalInterface
  interface PoolSealer {
    byte[] seal(long counter) throws Exception;
  }

  /**
   * Builds what the running benchmark needs and warms it: first at 1 KiB in a twin, then at this
   * size.
   *
   * @param params JMH's, for the method name
   * @throws Exception from the setup or the warm-up
   */
  @Setup
  public final void setup(BenchmarkParams params) throws Exception {
    String method = Prewarm.method(params.getBenchmark());
    long millis = Prewarm.millis();
    if (frameBytes > 1024) {
      FrameHarness small = twin();
      small.frameBytes = 1024;
      small.init(method);
      Prewarm.run(small, method, millis / 2);
      small.release();
    }
    init(method);
    Prewarm.run(this, method, millis);
  }

  /**
   * Releases what {@link #prepare} built (keys, senders, receivers).
   *
   * @throws Exception from a close
   */
  @TearDown
  public final void tearDown() throws Exception {
    release();
  }

  /** The key, the frame and the buffers, then the subclass's part. */
  final void init(String method) throws Exception {
    SplittableRandom r = new SplittableRandom(1);
    key32 = new byte[32];
    r.nextBytes(key32);
    plaintext = new byte[frameBytes];
    r.nextBytes(plaintext);
    out = new byte[frameBytes + 64];
    opened = new byte[frameBytes + 64];
    counter = 0;
    prepare(method, r);
  }

  /**
   * Builds what {@code method} needs, after {@link #key32}, {@link #plaintext} and the buffers.
   *
   * @param method the running JMH method
   * @param random the generator that drew the key and frame, for any further bytes
   * @throws Exception from the setup
   */
  abstract void prepare(String method, SplittableRandom random) throws Exception;

  /**
   * A new instance of the benchmark class (not JMH's generated subclass of it) with this one's
   * {@code @Param} values, not yet initialised.
   */
  private FrameHarness twin() throws ReflectiveOperationException {
    Class<?> c = getClass();
    while (!c.getPackageName().equals(FrameHarness.class.getPackageName())) {
      c = c.getSuperclass(); // JMH runs a generated subclass in a package of its own
    }
    FrameHarness t = (FrameHarness) c.getDeclaredConstructor().newInstance();
    for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (f.isAnnotationPresent(Param.class)) {
          f.setAccessible(true);
          f.set(t, f.get(this));
        }
      }
    }
    return t;
  }

  /**
   * Releases what {@link #prepare} built; the default releases nothing.
   *
   * @throws Exception from a close
   */
  void release() throws Exception {}

  /**
   * Fills {@link #rawPool} with {@link SFrameFixture#poolSize} distinct frames: frame {@code i}
   * sealed with counter {@code i + 1}, so the open baselines read their input from the same
   * memory level as the SFrame opens.
   *
   * @param sealer seals one frame under a counter
   * @throws Exception from the sealer
   */
  final void fillRawPool(PoolSealer sealer) throws Exception {
    rawPool = new byte[SFrameFixture.poolSize(frameBytes)][];
    for (int i = 0; i < rawPool.length; i++) {
      rawPool[i] = sealer.seal(i + 1);
    }
    rawNext = 0;
  }

  /**
   * The index of the next pooled frame, wrapping at the end; its counter is index + 1.
   *
   * @return an index into {@link #rawPool}
   */
  final int nextPooled() {
    if (rawNext == rawPool.length) {
      rawNext = 0;
    }
    return rawNext++;
  }

  /**
   * Writes {@code c} big-endian into bytes 4 to 11 of {@code nonce} (a GCM nonce, or the nonce
   * part of a 16-byte CTR IV) and returns it.
   *
   * @param nonce the nonce or IV, at least 12 bytes; bytes 0 to 3 are left as they are
   * @param c the counter
   * @return {@code nonce}
   */
  static byte[] counterNonce(byte[] nonce, long c) {
    for (int i = 11; i >= 4; i--) {
      nonce[i] = (byte) c;
      c >>>= 8;
    }
    return nonce;
  }
}
