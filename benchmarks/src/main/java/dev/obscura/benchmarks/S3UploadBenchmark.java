package dev.obscura.benchmarks;

import dev.obscura.transport.SelfVerifying;
import dev.obscura.transport.s3.S3ProxyServer;
import dev.obscura.transport.s3.S3SegmentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Upload throughput of {@link S3SegmentStore} to s3proxy (filesystem backend, full JIT) on
 * loopback: 1 MiB and 8 MiB objects, single PUT against multipart (5 MiB parts). One operation is
 * one object put; MB/s = ops/s x objectBytes / 1e6. The figures of docs/storage.md (this was
 * transport's {@code S3ThroughputHarness}, a test that asserted nothing). The s3proxy jar is
 * copied by this module's build into {@code benchmarks/target/s3proxy/}:
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Dobscura.s3proxy.jar=benchmarks/target/s3proxy/s3proxy.jar \
 *     -jar benchmarks/target/benchmarks.jar S3UploadBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class S3UploadBenchmark {
  private static final int MIB = 1024 * 1024;

  /** The object size in MiB. */
  @Param({"1", "8"})
  public int objectMib;

  /** Whether every object goes up as a multipart upload. */
  @Param({"false", "true"})
  public boolean multipart;

  private Path work;
  private S3ProxyServer server;
  private S3SegmentStore store;
  private byte[] data;
  private long next;

  /** Starts s3proxy in a fresh folder and opens a store on it. */
  @Setup(Level.Trial)
  public void start() throws IOException, InterruptedException {
    work = Files.createTempDirectory("obscura-s3-bench");
    server = new S3ProxyServer(work, true);
    server.start();
    store = server.storeBuilder("bench")
        .tempDirectory(Files.createDirectories(work.resolve("spill")))
        .partSizeBytes(S3SegmentStore.MIN_PART_SIZE_BYTES)
        .multipartThresholdBytes(multipart ? 1 : S3SegmentStore.MAX_PART_SIZE_BYTES)
        .build();
    data = SelfVerifying.make(new Random(objectMib), objectMib * MIB);
  }

  /** One object put. */
  @Benchmark
  public void put() throws IOException {
    store.put(String.format(Locale.ROOT, "cam/segments/%019d.seg", next++), data);
  }

  /** Stops the server and deletes its folder. */
  @TearDown(Level.Trial)
  public void stop() throws IOException, InterruptedException {
    store.close();
    server.close();
    try (var files = Files.walk(work)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
