package dev.obscura.benchmarks;

import dev.obscura.benchmarks.report.RelayRun;
import dev.obscura.core.StreamId;
import dev.obscura.transport.relay.JdkWebSocketClient;
import dev.obscura.transport.relay.RelayClientConfig;
import dev.obscura.transport.relay.RelayConfig;
import dev.obscura.transport.relay.RelayFrame;
import dev.obscura.transport.relay.RelayMessage;
import dev.obscura.transport.relay.RelayPublisher;
import dev.obscura.transport.relay.RelayServer;
import dev.obscura.transport.relay.RelayStats;
import dev.obscura.transport.relay.RelayStreams;
import dev.obscura.transport.relay.RelaySubscriber;
import dev.obscura.transport.relay.RelayToken;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Harness benchmark of the live relay on loopback (not JMH: latency percentiles of a networked
 * pipeline need a paced open-loop sender, which JMH does not model). Run by hand, never in the
 * test suite:
 *
 * <pre>
 * mvn -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.obscura.benchmarks.RelayBenchmark [--json FILE] [seconds [frameBytes [viewers,...]]]
 * </pre>
 *
 * <p>Frames default to 16,666 bytes, the mean frame of a 30 fps, 4 Mbit/s stream; viewers to
 * 1, 4, 16 and 64; seconds to 10. {@code --json FILE} also writes the figures as a {@link
 * RelayRun}, which {@code benchmarks/run.sh} renders into its report.
 *
 * <p><b>Viewers per core</b>: the JVM's CPU time during each run (relay, camera and viewers
 * together: an upper bound on the relay's own cost) gives viewers per core = viewers / cores
 * busy in the paced run, and 30 fps viewer streams delivered per busy core in the throughput run.
 *
 * <p><b>Latency</b>: a camera sends 30 frames per second (a keyframe every 30), each
 * carrying {@code System.nanoTime()} in its first bytes; every viewer records arrival minus send
 * time. This is the whole publisher → relay → viewer path over loopback in one JVM (two
 * WebSocket hops, both JDK clients, the relay's fan-out); relay, camera and viewers share the
 * machine's cores. Reported as p50 / p99 / max over all viewers, for each viewer count.
 *
 * <p><b>Throughput</b>: the camera sends frames of that size as fast as the relay takes them; viewers
 * read as fast as they can. Reported: frames the relay received per second, MB/s delivered to
 * all viewers together, and skipped frames (a viewer that falls behind is skipped to the next
 * keyframe, so throughput never blocks the camera).
 */
public final class RelayBenchmark {
  private static final StreamId STREAM = StreamId.of("bench");
  private static final String PUB = "bench-publish-token-0123456789";
  private static final String SUB = "bench-subscribe-token-0123456789";
  /** Mean frame of a 30 fps, 4 Mbit/s stream; the first argument after the seconds overrides it. */
  private static int FRAME_BYTES = 4_000_000 / 8 / 30;
  private static final int FPS = 30;

  private RelayBenchmark() {}

  /**
   * Runs the paced and the unpaced run for each viewer count and prints them.
   *
   * @param args {@code [--json FILE] [seconds [frameBytes [viewers,...]]]}
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    String json = null;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--json")) {
        json = args[++i];
      } else {
        rest.add(args[i]);
      }
    }
    int seconds = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 10;
    if (rest.size() > 1) {
      FRAME_BYTES = Integer.parseInt(rest.get(1));
    }
    int[] counts = rest.size() > 2
        ? Arrays.stream(rest.get(2).split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 4, 16, 64};
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT, "relay benchmark: loopback, %d-byte frames, %d s per run, "
        + "JDK %s, %d cores%n", FRAME_BYTES, seconds, System.getProperty("java.version"), cores);
    List<RelayRun.Latency> latency = new ArrayList<>();
    for (int viewers : counts) {
      latency.add(latency(viewers, seconds));
    }
    List<RelayRun.Throughput> throughput = new ArrayList<>();
    for (int viewers : counts) {
      throughput.add(throughput(viewers, seconds));
    }
    if (json != null) {
      new RelayRun(RelayRun.KIND, System.getProperty("java.version"), cores, FRAME_BYTES, seconds,
          latency, throughput).write(Paths.get(json));
    }
  }

  private static RelayServer relay() throws IOException {
    return RelayServer.start(RelayConfig.builder().build(),
        RelayStreams.builder().add(STREAM.value(), PUB, SUB).build());
  }

  private static List<RelaySubscriber> viewers(RelayServer relay, int n) throws Exception {
    HttpClient shared = HttpClient.newHttpClient();
    List<RelaySubscriber> subs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      subs.add(RelaySubscriber.connect(relay.uri(), STREAM, RelayToken.of(SUB),
          RelayClientConfig.builder().webSocketClient(JdkWebSocketClient.create(shared))
              .receiveQueueMessages(64).build()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (relay.stats().stream(STREAM).orElseThrow().viewers().size() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("viewers did not register");
      }
      Thread.sleep(5);
    }
    return subs;
  }

  private static byte[] frame(SplittableRandom random) {
    byte[] b = new byte[FRAME_BYTES];
    random.nextBytes(b);
    return b;
  }

  private static RelayRun.Latency latency(int viewerCount, int seconds) throws Exception {
    try (RelayServer relay = relay()) {
      List<RelaySubscriber> subs = viewers(relay, viewerCount);
      int frames = seconds * FPS;
      int warmup = Math.min(FPS * 2, frames / 4);
      long[][] lat = new long[viewerCount][frames];
      int[] counts = new int[viewerCount];
      long cpu0;
      double busyCores;
      CountDownLatch done = new CountDownLatch(viewerCount);
      for (int v = 0; v < viewerCount; v++) {
        final int idx = v;
        Thread t = new Thread(() -> {
          try {
            RelaySubscriber s = subs.get(idx);
            while (true) {
              RelayMessage m = s.next(Duration.ofSeconds(10));
              if (m instanceof RelayFrame f) {
                long now = System.nanoTime();
                long sent = ByteBuffer.wrap(f.payload()).getLong(0);
                if (f.sequence() >= warmup) {
                  lat[idx][counts[idx]++] = now - sent;
                }
                if (f.sequence() == frames - 1) {
                  break;
                }
              }
            }
          } catch (IOException e) {
            System.err.println("viewer " + idx + ": " + e);
          } finally {
            done.countDown();
          }
        }, "viewer-" + v);
        t.setDaemon(true);
        t.start();
      }
      SplittableRandom random = new SplittableRandom(1);
      byte[][] payloads = new byte[8][];
      for (int i = 0; i < payloads.length; i++) {
        payloads[i] = frame(random);
      }
      try (RelayPublisher cam = RelayPublisher.connect(relay.uri(), STREAM, RelayToken.of(PUB),
          RelayClientConfig.defaults())) {
        cam.sendEnvelope(0, new byte[512]);
        long start = System.nanoTime();
        cpu0 = cpuNanos();
        long interval = TimeUnit.SECONDS.toNanos(1) / FPS;
        for (int i = 0; i < frames; i++) {
          long due = start + i * interval;
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          byte[] p = payloads[i % payloads.length].clone();
          ByteBuffer.wrap(p).putLong(0, System.nanoTime());
          cam.sendFrame(0, i % FPS == 0, p);
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
          System.err.println("viewers did not finish");
        }
        busyCores = (cpuNanos() - cpu0) / (double) (System.nanoTime() - start);
      }
      long[] all = new long[Arrays.stream(counts).sum()];
      int k = 0;
      for (int v = 0; v < viewerCount; v++) {
        System.arraycopy(lat[v], 0, all, k, counts[v]);
        k += counts[v];
      }
      Arrays.sort(all);
      RelayStats stats = relay.stats();
      RelayRun.Latency r = new RelayRun.Latency(viewerCount, all.length, ms(pct(all, 0.50)),
          ms(pct(all, 0.99)), ms(all.length == 0 ? 0 : all[all.length - 1]), stats.skippedFrames(),
          busyCores, viewerCount / Math.max(busyCores, 1e-9));
      System.out.printf(Locale.ROOT, "latency   viewers=%2d  30 fps x %d B  samples=%6d  "
              + "p50=%7.3f ms  p99=%7.3f ms  max=%7.3f ms  skipped=%d  cpu=%.2f cores  "
              + "viewers/core=%.0f%n",
          viewerCount, FRAME_BYTES, r.samples(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.skippedFrames(),
          r.cpuCores(), r.viewersPerCore());
      for (RelaySubscriber s : subs) {
        s.close();
      }
      return r;
    }
  }

  private static RelayRun.Throughput throughput(int viewerCount, int seconds) throws Exception {
    try (RelayServer relay = relay()) {
      List<RelaySubscriber> subs = viewers(relay, viewerCount);
      long[] bytes = new long[viewerCount];
      CountDownLatch done = new CountDownLatch(viewerCount);
      for (int v = 0; v < viewerCount; v++) {
        final int idx = v;
        Thread t = new Thread(() -> {
          try {
            RelaySubscriber s = subs.get(idx);
            for (RelayMessage m; (m = s.next(Duration.ofSeconds(10))) != null; ) {
              if (m instanceof RelayFrame f && f.sequence() == Long.MAX_VALUE) {
                break;
              }
              bytes[idx] += m.payload().length;
            }
          } catch (IOException e) {
            // the end of the run closes the relay
          } finally {
            done.countDown();
          }
        }, "viewer-" + v);
        t.setDaemon(true);
        t.start();
      }
      byte[] payload = frame(new SplittableRandom(2));
      long sent = 0;
      long start;
      long elapsed;
      long cpu0;
      long cpu;
      RelayStats before;
      try (RelayPublisher cam = RelayPublisher.connect(relay.uri(), STREAM, RelayToken.of(PUB),
          RelayClientConfig.defaults())) {
        cam.sendEnvelope(0, new byte[512]);
        before = relay.stats();
        start = System.nanoTime();
        cpu0 = cpuNanos();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
          cam.sendFrame(0, sent % FPS == 0, payload);
          sent++;
        }
        cam.flush();
        elapsed = System.nanoTime() - start;
        cpu = cpuNanos() - cpu0;
      }
      RelayStats after = relay.stats();
      double secs = elapsed / 1e9;
      double deliveredMb = (after.bytesOut() - before.bytesOut()) / 1e6;
      double viewerStreams = deliveredMb * 1e6 / FRAME_BYTES / FPS / secs;
      double busy = cpu / (double) elapsed;
      RelayRun.Throughput r = new RelayRun.Throughput(viewerCount,
          (after.framesIn() - before.framesIn()) / secs,
          (after.bytesIn() - before.bytesIn()) / 1e6 / secs, deliveredMb / secs,
          after.skippedFrames(), after.skipEvents(), busy, viewerStreams / Math.max(busy, 1e-9));
      System.out.printf(Locale.ROOT, "throughput viewers=%2d  %d B frames  in=%7.0f frames/s "
              + "(%6.1f MB/s)  delivered=%7.1f MB/s to all viewers  skipped=%d frames in %d "
              + "events  cpu=%.2f cores  30fps-viewer-streams/core=%.0f%n",
          viewerCount, FRAME_BYTES, r.framesInPerSecond(), r.mbInPerSecond(),
          r.deliveredMbPerSecond(), r.skippedFrames(), r.skipEvents(), r.cpuCores(),
          r.viewerStreamsPerCore());
      relay.close();
      done.await(10, TimeUnit.SECONDS);
      return r;
    }
  }

  /** CPU time of the whole JVM, in nanoseconds. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
