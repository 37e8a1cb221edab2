package dev.obscura.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Warms a benchmark's operation in {@code @Setup} so that no method, the raw baselines above all,
 * is still on the interpreter's or C1's path when JMH starts counting. A 1 MiB frame is called
 * only a few thousand times per second, so JMH's own warm-up iterations can end before C2 has
 * compiled the JCA's AES/GHASH loops (their intrinsics are used only from compiled code): the
 * operation is first run at a small size (many calls, quick compilation), then at its own.
 *
 * <p>The duration is {@code -Dobscura.bench.prewarmMillis} (default 1500 ms per size), so the CI
 * smoke and {@code benchmarks/run.sh --quick} can shorten it.
 */
final class Prewarm {
  /** One call of the operation being warmed. */
  @FunctionalInterface
  interface Op {
    void run() throws Exception;
  }

  /** Default warm-up per size, in milliseconds. */
  static final long DEFAULT_MILLIS = 1500;

  private Prewarm() {}

  /** The warm-up per size: {@code obscura.bench.prewarmMillis}, else {@link #DEFAULT_MILLIS}. */
  static long millis() {
    return Long.getLong("obscura.bench.prewarmMillis", DEFAULT_MILLIS);
  }

  /**
   * Runs {@code op} for {@code millis} ms (and at least 1000 times).
   *
   * @param op the operation
   * @param millis how long
   * @throws Exception from the operation
   */
  static void run(Op op, long millis) throws Exception {
    long end = System.nanoTime() + millis * 1_000_000L;
    long n = 0;
    while (n < 1000 || System.nanoTime() < end) {
      op.run();
      n++;
    }
  }

  /**
   * Runs the benchmark method {@code method} of {@code target} (public, no arguments) for
   * {@code millis} ms, and at least 1000 times.
   *
   * @param target the benchmark state
   * @param method the JMH method name
   * @param millis how long
   * @throws Exception from the method, unwrapped
   */
  static void run(Object target, String method, long millis) throws Exception {
    Method m;
    try {
      m = target.getClass().getMethod(method);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("no benchmark " + method + " in " + target.getClass(), e);
    }
    run(() -> {
      try {
        m.invoke(target);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
    }, millis);
  }

  /**
   * The JMH method name of a benchmark label such as {@code dev.obscura.benchmarks.X.method}.
   *
   * @param benchmark the full label from {@code BenchmarkParams.getBenchmark()}
   * @return the part after the last dot
   */
  static String method(String benchmark) {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }
}
