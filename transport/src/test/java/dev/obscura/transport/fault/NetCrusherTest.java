package dev.obscura.transport.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.StoredObject;
import dev.obscura.transport.SelfVerifying;
import dev.obscura.transport.s3.S3ProxyServer;
import dev.obscura.transport.s3.S3SegmentStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * A NetCrusher TCP proxy between the S3 store and s3proxy cuts connections mid-transfer,
 * freezes them past the socket timeout, and closes the listening port for a while, at seeded
 * random moments, while objects are written and read back. The store's retries must recover,
 * and no torn object may ever be visible: every read either fails or returns a whole object.
 */
class NetCrusherTest {
  private static final int MIB = 1024 * 1024;

  @TempDir Path work;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // hang guard only
  void cutFrozenAndClosedConnectionsAreRetriedAndNothingTornIsVisible() throws Exception {
    long seed = Long.getLong("obscura.fault.seed", 20261126L);
    int chaosSteps = Integer.getInteger("obscura.crusher.steps", 10);
    Random random = new Random(seed);
    Random chaosRandom = new Random(seed + 1);
    Map<String, byte[]> committed = new LinkedHashMap<>();
    AtomicInteger cuts = new AtomicInteger();
    AtomicInteger faultsDuringAPut = new AtomicInteger();
    AtomicInteger freezes = new AtomicInteger();
    AtomicInteger closures = new AtomicInteger();
    int surfacedWriteFailures = 0;
    int surfacedReadFailures = 0;
    int reads = 0;
    try (S3ProxyServer server = new S3ProxyServer(work);
        NioReactor reactor = new NioReactor()) {
      server.start();
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        port = s.getLocalPort();
      }
      TcpCrusher crusher =
          TcpCrusherBuilder.builder()
              .withReactor(reactor)
              .withBindAddress("127.0.0.1", port)
              .withConnectAddress("127.0.0.1", server.port())
              .buildAndOpen();
      AtomicBoolean chaosDone = new AtomicBoolean();
      AtomicBoolean putInFlight = new AtomicBoolean();
      Thread chaos =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < chaosSteps; i++) {
                    // each fault hits a transfer: wait (bounded) until a put is in flight, then
                    // a random moment into it
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (!putInFlight.get()) {
                      if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no put started within 60 s");
                      }
                      Thread.sleep(2);
                    }
                    Thread.sleep(chaosRandom.nextInt(300));
                    if (putInFlight.get()) {
                      faultsDuringAPut.incrementAndGet();
                    }
                    switch (chaosRandom.nextInt(3)) {
                      case 0 -> { // reset every connection, mid-transfer or idle in the pool
                        crusher.closeAllPairs();
                        cuts.incrementAndGet();
                      }
                      case 1 -> { // stall past the socket timeout
                        crusher.freeze();
                        Thread.sleep(1_200 + chaosRandom.nextInt(600));
                        crusher.unfreeze();
                        freezes.incrementAndGet();
                      }
                      default -> { // nobody listening for a while: connection refused
                        crusher.close();
                        Thread.sleep(200 + chaosRandom.nextInt(500));
                        crusher.open();
                        closures.incrementAndGet();
                      }
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  chaosDone.set(true);
                }
              },
              "netcrusher-chaos");
      S3SegmentStore.Builder viaCrusher =
          S3SegmentStore.builder()
              .endpoint(URI.create("http://127.0.0.1:" + port))
              .bucket(S3ProxyServer.BUCKET)
              .prefix("crushed")
              .credentials(S3ProxyServer.credentials())
              .pathStyleAccess(true)
              .partSizeBytes(S3SegmentStore.MIN_PART_SIZE_BYTES)
              .multipartThresholdBytes(S3SegmentStore.MIN_PART_SIZE_BYTES)
              .tempDirectory(Files.createDirectories(work.resolve("spill")))
              .connectTimeout(Duration.ofSeconds(1))
              .socketTimeout(Duration.ofSeconds(1))
              .retryStrategy(S3SegmentStore.retryStrategy(10, BackoffStrategy.exponentialDelay(Duration.ofMillis(20), Duration.ofMillis(400))));
      try (S3SegmentStore store = viaCrusher.build()) {
        chaos.start();
        for (int i = 0; !chaosDone.get() || i < 20; i++) {
          String name = String.format("cam1/segments/%019d.seg", i);
          int size = i % 9 == 4 ? 11 * MIB : 20_000 + random.nextInt(MIB + MIB / 2);
          byte[] b = SelfVerifying.make(random, size);
          for (int attempt = 0; ; attempt++) {
            try {
              putInFlight.set(true);
              try {
                store.put(name, b);
              } finally {
                putInFlight.set(false);
              }
              break;
            } catch (IOException e) {
              // the policy ran out during a long stall: the caller (the spool) tries again
              surfacedWriteFailures++;
              assertTrue(attempt < 10, "write keeps failing: " + e.getMessage());
            }
          }
          committed.put(name, b);
          // read back something already written, through the chaos: whole or an error
          String probe = List.copyOf(committed.keySet()).get(random.nextInt(committed.size()));
          try {
            byte[] got = store.readAll(probe, 20 * MIB);
            reads++;
            assertTrue(SelfVerifying.verify(got), "torn read of " + probe);
            assertArrayEquals(committed.get(probe), got);
          } catch (NoSuchObjectException e) {
            throw new AssertionError("committed object missing: " + probe, e);
          } catch (IOException e) {
            surfacedReadFailures++;
          }
        }
        chaos.join(60_000);
      } finally {
        crusher.close();
      }
      // verify on the server directly, without the proxy
      try (S3SegmentStore direct = server.storeBuilder("crushed").build()) {
        List<String> names = direct.list("").stream().map(StoredObject::name).collect(Collectors.toList());
        assertEquals(List.copyOf(committed.keySet()), names);
        for (Map.Entry<String, byte[]> e : committed.entrySet()) {
          assertArrayEquals(e.getValue(), direct.readAll(e.getKey(), 20 * MIB), e.getKey());
        }
      }
    }
    System.out.printf(
        "netcrusher test: %d objects written, %d whole reads; chaos (%d of its faults while a put"
            + " was in flight): %d cuts, %d freezes, %d"
            + " closures; failures that outlasted the retry policy: %d writes, %d reads%n",
        committed.size(), reads, faultsDuringAPut.get(), cuts.get(), freezes.get(), closures.get(),
        surfacedWriteFailures, surfacedReadFailures);
    assertEquals(chaosSteps, cuts.get() + freezes.get() + closures.get());
    assertTrue(faultsDuringAPut.get() >= 1, "no fault met a transfer in flight");
  }
}
