package dev.obscura.transport.nats;

import dev.obscura.core.EpochId;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.StreamId;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load harness, not part of the test suite (a main class; surefire runs only tests): N cameras
 * at 30 fps and 2 Mbit/s (a keyframe every 30 frames, four times the size of a delta frame),
 * each watched by M viewers, on a three-node loopback cluster; cameras on node {@code c % 3},
 * their viewers on the two other nodes in turn, so every frame crosses a cluster route.
 *
 * <p>Reports per run: streams sustained (every viewer got at least 99% of the frames with no
 * skip), frames per second delivered to viewers, added latency p50/p99 (publish call to {@code
 * next} returning, one clock: same JVM), CPU seconds per second of the three servers and of the
 * client JVM, and CPU per stream.
 *
 * <pre>
 * mvn -B -q -pl transport -am test-compile -Dobscura.javadoc.skip=true
 * java -cp "transport/target/test-classes:transport/target/classes:$(cat cp.txt)" \
 *   dev.obscura.transport.nats.NatsLoadHarness 4,8,16 2 15
 * </pre>
 *
 * Arguments: camera counts (comma-separated), viewers per camera, seconds per run.
 */
public final class NatsLoadHarness {
  static final int FPS = 30;
  static final int GOP = 30;
  static final int BITRATE = 2_000_000;

  private NatsLoadHarness() {}

  /**
   * Runs the harness.
   *
   * @param args camera counts, viewers per camera, seconds per run
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int[] cameras = Arrays.stream((args.length > 0 ? args[0] : "4,8,16").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int viewers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    if (NatsCluster.binary() == null) {
      System.err.println("nats-server is not installed");
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("obscura-nats-load");
    NatsCredentials authority = NatsCredentials.createOperator("obscura-load");
    StringBuilder table = new StringBuilder(
        "| cameras | viewers each | sustained | frames/s out | Mbit/s in | latency p50 ms | p99 ms"
            + " | servers CPU s/s | clients CPU s/s | CPU ms/s per stream |\n"
            + "|---|---|---|---|---|---|---|---|---|---|\n");
    try (NatsCluster cluster = NatsCluster.start(dir, authority, List.of("load"))) {
      for (int n : cameras) {
        table.append(run(cluster, authority, n, viewers, seconds)).append('\n');
        System.out.println(table);
      }
    }
    System.out.println(table);
  }

  static String run(NatsCluster cluster, NatsCredentials authority, int n, int m, int seconds)
      throws Exception {
    int delta = BITRATE / 8 / FPS * GOP / (GOP + 3); // keyframe = 4 deltas, mean = bitrate
    List<NatsLivePublisher> pubs = new ArrayList<>();
    List<NatsLiveSubscriber> subs = new ArrayList<>();
    List<long[]> latencies = new ArrayList<>();
    long[] counts = new long[n * m];
    List<Thread> threads = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean measuring = new AtomicBoolean();
    long[] published = new long[n];
    String run = "run" + System.nanoTime();
    try {
      for (int c = 0; c < n; c++) {
        StreamId cam = StreamId.of(run + "-c" + c);
        pubs.add(NatsLivePublisher.connect(config(cluster.url(c % 3),
            authority.camera("load", cam)), "load", cam));
        pubs.get(c).publishEnvelope(EpochId.of(0), new byte[200]);
        for (int v = 0; v < m; v++) {
          int node = (c + 1 + v % 2) % 3;
          subs.add(NatsLiveSubscriber.connect(config(cluster.url(node),
              authority.viewer("load", "v" + c + "-" + v + "-" + System.nanoTime())), "load", cam));
          latencies.add(new long[FPS * (seconds + 5)]);
        }
      }
      for (int i = 0; i < subs.size(); i++) {
        final int idx = i;
        NatsLiveSubscriber s = subs.get(i);
        Thread t = new Thread(() -> {
          long[] lat = latencies.get(idx);
          while (!stop.get()) {
            LiveMessage msg;
            try {
              msg = s.next(Duration.ofMillis(200));
            } catch (SocketTimeoutException e) {
              continue;
            } catch (Exception e) {
              return;
            }
            if (msg == null) {
              return;
            }
            if (msg instanceof LiveMessage.Frame f && measuring.get()) {
              long sent = ByteBuffer.wrap(f.payload()).getLong();
              int k = (int) counts[idx]++;
              if (k < lat.length) {
                lat[k] = System.nanoTime() - sent;
              }
            }
          }
        }, "load-viewer-" + i);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
      for (int c = 0; c < n; c++) {
        final int cam = c;
        NatsLivePublisher p = pubs.get(c);
        Thread t = new Thread(() -> {
          byte[] key = new byte[delta * 4];
          byte[] d = new byte[delta];
          long start = System.nanoTime() + cam * (1_000_000_000L / FPS) / n;
          for (long i = 0; !stop.get(); i++) {
            long due = start + i * 1_000_000_000L / FPS;
            long sleep = due - System.nanoTime();
            if (sleep > 0) {
              try {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
              } catch (InterruptedException e) {
                return;
              }
            }
            byte[] buf = i % GOP == 0 ? key : d;
            ByteBuffer.wrap(buf).putLong(System.nanoTime());
            try {
              p.publishFrame(EpochId.of(0), i % GOP == 0, buf, 0, buf.length);
              if (measuring.get()) {
                published[cam]++;
              }
            } catch (Exception e) {
              return;
            }
          }
        }, "load-camera-" + c);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
      Thread.sleep(2000); // warm up: every viewer past its first keyframe
      Arrays.fill(counts, 0);
      long cpu0 = clientCpu();
      long srv0 = serverCpu(cluster);
      long t0 = System.nanoTime();
      measuring.set(true);
      Thread.sleep(seconds * 1000L);
      measuring.set(false);
      long elapsed = System.nanoTime() - t0;
      long cpu1 = clientCpu();
      long srv1 = serverCpu(cluster);
      stop.set(true);
      for (Thread t : threads) {
        t.join(2000);
      }
      int sustained = 0;
      long delivered = 0;
      List<Long> all = new ArrayList<>();
      for (int c = 0; c < n; c++) {
        boolean ok = true;
        for (int v = 0; v < m; v++) {
          int i = c * m + v;
          delivered += counts[i];
          NatsLiveStats st = subs.get(i).stats();
          if (counts[i] < published[c] * 0.99 || st.skipEvents() > 0) {
            ok = false;
          }
          long[] lat = latencies.get(i);
          for (int k = 0; k < Math.min(counts[i], lat.length); k++) {
            all.add(lat[k]);
          }
        }
        if (ok) {
          sustained++;
        }
      }
      all.sort(null);
      double secs = elapsed / 1e9;
      double p50 = all.isEmpty() ? 0 : all.get(all.size() / 2) / 1e6;
      double p99 = all.isEmpty() ? 0 : all.get((int) (all.size() * 0.99)) / 1e6;
      double srv = (srv1 - srv0) / 1e9 / secs;
      double cli = (cpu1 - cpu0) / 1e9 / secs;
      double mbitIn = n * (double) BITRATE / 1e6;
      return String.format("| %d | %d | %d/%d | %.0f | %.0f | %.1f | %.1f | %.2f | %.2f | %.1f |",
          n, m, sustained, n, delivered / secs, mbitIn, p50, p99, srv, cli,
          (srv + cli) * 1000 / n);
    } finally {
      stop.set(true);
      for (NatsLiveSubscriber s : subs) {
        s.close();
      }
      for (NatsLivePublisher p : pubs) {
        p.close();
      }
    }
  }

  static NatsLiveConfig config(URI server, NatsUserCreds creds) {
    return NatsLiveConfig.builder(List.of(server), creds).build();
  }

  static long clientCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of the three nats-server processes, in nanoseconds (Linux /proc). */
  static long serverCpu(NatsCluster cluster) throws Exception {
    long ticks = 0;
    for (long pid : cluster.pids()) {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    return ticks * 10_000_000L; // USER_HZ = 100
  }
}
