package dev.obscura.transport.fault;

import dev.obscura.transport.SelfVerifying;
import dev.obscura.transport.s3.S3ProxyServer;
import dev.obscura.transport.s3.S3SegmentStore;
import dev.obscura.transport.spool.SpoolingSegmentStore;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Child process of {@link SpoolKillTest}: records self-verifying objects through a spool in
 * front of s3proxy until it is killed, printing each name after its commit returned (that is,
 * once acknowledged). Arguments: spool directory, s3proxy port, run number, seed.
 */
public final class SpoolWriterMain {
  private SpoolWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path spoolDir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int run = Integer.parseInt(args[2]);
    Random random = new Random(Long.parseLong(args[3]));
    S3SegmentStore s3 = remote(port, Files.createDirectories(spoolDir.resolveSibling("spill")));
    SpoolingSegmentStore spool =
        SpoolingSegmentStore.builder(spoolDir, s3)
            .backoff(BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(20), Duration.ofMillis(200)))
            .build();
    PrintStream out = new PrintStream(System.out, false, "US-ASCII");
    out.println("READY");
    out.flush();
    for (int i = 0; ; i++) {
      String name =
          i % 10 == 0
              ? String.format("cam1/epochs/%019d.env", run * 1000L + i / 10)
              : String.format("cam1/segments/%019d.seg", run * 1_000_000L + i);
      // mostly segment-sized objects; now and then one large enough for a multipart upload
      int size = i % 20 == 7 ? 6 * 1024 * 1024 + random.nextInt(100_000) : 1_000 + random.nextInt(600_000);
      byte[] b = SelfVerifying.make(random, size);
      try (var w = spool.create(name)) {
        int off = 0;
        while (off < b.length) { // several writes, so a kill can land inside one object
          int n = Math.min(b.length - off, 1 + random.nextInt(100_000));
          w.write(b, off, n);
          off += n;
        }
        w.commit();
      }
      out.println(name);
      out.flush();
      Thread.sleep(random.nextInt(20));
    }
  }

  static S3SegmentStore remote(int port, Path spill) {
    return S3SegmentStore.builder()
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .bucket(S3ProxyServer.BUCKET)
        .prefix("killed")
        .credentials(S3ProxyServer.credentials())
        .pathStyleAccess(true)
        .partSizeBytes(S3SegmentStore.MIN_PART_SIZE_BYTES)
        .multipartThresholdBytes(S3SegmentStore.MIN_PART_SIZE_BYTES)
        .tempDirectory(spill)
        .retryStrategy(S3SegmentStore.retryStrategy(3, BackoffStrategy.exponentialDelay(Duration.ofMillis(20), Duration.ofMillis(200))))
        .build();
  }
}
