package dev.obscura.transport.s3;

import dev.obscura.transport.SelfVerifying;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload throughput of {@link S3SegmentStore} to s3proxy (filesystem backend) on loopback:
 * 1 MiB and 8 MiB objects, single PUT vs multipart (5 MiB parts). A measurement, not a test:
 * it runs only on request and asserts nothing.
 *
 * <pre>
 * mvn -q -B -pl transport -am test -Dtest=S3ThroughputHarness -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dobscura.bench=true [-Dobscura.bench.mib=200]
 * </pre>
 */
@EnabledIfSystemProperty(named = "obscura.bench", matches = "true")
class S3ThroughputHarness {
  private static final int MIB = 1024 * 1024;

  @TempDir Path work;

  @Test
  void measure() throws Exception {
    int totalMib = Integer.getInteger("obscura.bench.mib", 160);
    try (S3ProxyServer server = new S3ProxyServer(work, true)) {
      server.start();
      Path spill = Files.createDirectories(work.resolve("spill"));
      System.out.printf("%-10s %-10s %8s %8s %10s%n", "object", "mode", "objects", "MiB", "MB/s");
      for (int round = 0; round < 2; round++) { // round 0 warms up the JIT and the server
        for (int size : new int[] {MIB, 8 * MIB}) {
          for (boolean multipart : new boolean[] {false, true}) {
            try (S3SegmentStore store = server.storeBuilder("bench")
                .tempDirectory(spill)
                .partSizeBytes(S3SegmentStore.MIN_PART_SIZE_BYTES)
                .multipartThresholdBytes(multipart ? 1 : S3SegmentStore.MAX_PART_SIZE_BYTES)
                .build()) {
              byte[] data = SelfVerifying.make(new Random(size), size);
              int n = Math.max(4, (round == 0 ? totalMib / 4 : totalMib) * MIB / size);
              long start = System.nanoTime();
              for (int i = 0; i < n; i++) {
                store.put(String.format("cam/segments/%019d.seg", i), data);
              }
              double seconds = (System.nanoTime() - start) / 1e9;
              if (round > 0) {
                System.out.printf("%-10s %-10s %8d %8d %10.1f%n", size / MIB + " MiB",
                    multipart ? "multipart" : "single", n, (long) n * size / MIB,
                    (double) n * size / 1e6 / seconds);
              }
            }
          }
        }
      }
    }
  }
}
