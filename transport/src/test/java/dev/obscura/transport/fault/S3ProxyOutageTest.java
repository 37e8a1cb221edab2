package dev.obscura.transport.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.StoredObject;
import dev.obscura.transport.SelfVerifying;
import dev.obscura.transport.s3.S3ProxyServer;
import dev.obscura.transport.s3.S3SegmentStore;
import dev.obscura.transport.spool.SpoolListener;
import dev.obscura.transport.spool.SpoolStats;
import dev.obscura.transport.spool.SpoolingSegmentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The S3 server is SIGKILLed while the spool is uploading (a multipart upload is in flight),
 * objects keep being committed while it is down, and it is started again on the same data: the
 * spool must have kept everything and must finish, every object on the server byte-identical to
 * what was committed. Two outages per run.
 */
class S3ProxyOutageTest {
  private static final int MIB = 1024 * 1024;

  @TempDir Path work;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // hang guard only
  void serverKilledAndRestartedMidUploadLosesNothing() throws Exception {
    Random random = new Random(Long.getLong("obscura.fault.seed", 20261126L));
    Map<String, byte[]> committed = new LinkedHashMap<>();
    AtomicInteger failures = new AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
    List<String> failedSteps = new java.util.ArrayList<>();
    java.util.Set<String> started = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicReference<String> inFlight = new java.util.concurrent.atomic.AtomicReference<>();
    try (S3ProxyServer server = new S3ProxyServer(work)) {
      server.start();
      S3SegmentStore.Builder sb =
          server.storeBuilder("outage")
              .partSizeBytes(S3SegmentStore.MIN_PART_SIZE_BYTES)
              .multipartThresholdBytes(S3SegmentStore.MIN_PART_SIZE_BYTES)
              .tempDirectory(Files.createDirectories(work.resolve("spill")))
              .retryStrategy(S3SegmentStore.retryStrategy(2, BackoffStrategy.exponentialDelay(Duration.ofMillis(20), Duration.ofMillis(100))));
      int outages = 0;
      int killedWithUploadInFlight = 0;
      try (S3SegmentStore s3 = sb.build();
          SpoolingSegmentStore spool =
              SpoolingSegmentStore.builder(work.resolve("spool"), s3)
                  .backoff(BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(50), Duration.ofMillis(400)))
                  .listener(new SpoolListener() {
                    @Override
                    public void uploadStarted(String name, long bytes) {
                      started.add(name);
                      inFlight.set(name);
                    }

                    @Override
                    public void uploaded(String name, long bytes) {
                      inFlight.set(null);
                    }

                    @Override
                    public void uploadFailed(String name, java.io.IOException error) {
                      inFlight.set(null);
                      // "S3 UPLOAD-PART 2 s3://..." -> "UPLOAD-PART 2"
                      String m = String.valueOf(error.getMessage());
                      int at = m.indexOf(" s3://");
                      firstFailure.compareAndSet(null, m.startsWith("S3 ") && at > 0 ? m.substring(3, at) : m);
                      failures.incrementAndGet();
                    }
                  })
                  .build()) {
        int next = 0;
        for (int outage = 0; outage < 2; outage++) {
          // a big (multipart) object, then small ones behind it
          next = commit(spool, committed, random, next, 12 * MIB + 123);
          for (int i = 0; i < 4; i++) {
            next = commit(spool, committed, random, next, 50_000 + random.nextInt(2 * MIB));
          }
          // kill while the big object is going up: the uploader first copies it into the S3
          // writer (a local temp file), then sends its parts; aim somewhere in there
          String big = String.format("cam1/segments/%019d.seg", next - 5);
          waitFor(() -> started.contains(big), "the upload of " + big + " to start");
          Thread.sleep(150 + random.nextInt(500));
          if (inFlight.get() != null) {
            killedWithUploadInFlight++;
          }
          server.kill();
          outages++;
          int failuresBefore = failures.get();
          firstFailure.set(null);
          // acknowledged while the server is down
          for (int i = 0; i < 5; i++) {
            next = commit(spool, committed, random, next, 10_000 + random.nextInt(MIB));
          }
          waitFor(() -> failures.get() >= failuresBefore + 2, "the uploader to notice the outage");
          failedSteps.add(firstFailure.get());
          SpoolStats down = spool.stats();
          assertTrue(down.pending() >= 5, "pending while down: " + down);
          // what is still spooled reads back from the spool while the server is down
          String last = List.copyOf(committed.keySet()).get(committed.size() - 1);
          assertArrayEquals(committed.get(last), spool.readAll(last, 20 * MIB));
          server.start();
        }
        assertTrue(spool.drain(Duration.ofSeconds(120)), "drained after restart: " + spool.stats());
        SpoolStats st = spool.stats();
        assertEquals(committed.size(), st.uploaded());
        assertEquals(0, st.dropped());
        System.out.printf(
            "s3proxy outage test: %d objects (%d MiB), %d outages (%d with an upload in flight;"
                + " first failed step per outage: %s), %d failed upload attempts, all uploaded%n",
            committed.size(), committed.values().stream().mapToLong(b -> b.length).sum() / MIB,
            outages, killedWithUploadInFlight, failedSteps, failures.get());
      }
      // check through a fresh client: the server's view, not the spool's
      try (S3SegmentStore check = sb.build()) {
        List<String> names = check.list("").stream().map(StoredObject::name).collect(Collectors.toList());
        // s3proxy's filesystem backend writes NAME-UUID and renames it; a SIGKILL of the server
        // can leave that temp file, which its listing then shows. It is the server's debris, not
        // an object of ours (no reader parses the name), and it must be nothing but that.
        List<String> debris = names.stream()
            .filter(n -> n.matches(".*\\.seg-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
            .collect(Collectors.toList());
        names.removeAll(debris);
        assertTrue(debris.size() <= outages, "more server temp files than server kills: " + debris);
        assertEquals(committed.keySet().stream().sorted().collect(Collectors.toList()), names);
        for (Map.Entry<String, byte[]> e : committed.entrySet()) {
          byte[] got = check.readAll(e.getKey(), 20 * MIB);
          assertArrayEquals(e.getValue(), got, e.getKey());
          assertTrue(SelfVerifying.verify(got));
        }
      }
    }
  }

  private static int commit(SpoolingSegmentStore spool, Map<String, byte[]> committed, Random r,
      int n, int size) throws Exception {
    String name = String.format("cam1/segments/%019d.seg", n);
    byte[] b = SelfVerifying.make(r, size);
    spool.put(name, b);
    committed.put(name, b);
    return n + 1;
  }

  static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // hang guard
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }
}
