package dev.obscura.examples.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.transport.s3.S3ProxyServer;
import dev.obscura.transport.s3.S3SegmentStore;
import dev.obscura.transport.spool.SpoolingSegmentStore;
import dev.obscura.transport.testing.KilledChild;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * End to end: a child JVM records the synthetic camera (Segmenters.synthetic, Recorder) through
 * a spool into s3proxy and is SIGKILLed at seeded random points. After each kill, every
 * acknowledged segment must open and the whole stream must verify (chain unbroken) through the
 * spool; at the end the spool drains and the stream verifies from the S3 server alone.
 * {@code -Dobscura.e2e.kills=N} (default 4).
 */
class RecordThroughSpoolKillTest {
  @TempDir Path work;

  static S3SegmentStore remote(int port) {
    return S3SegmentStore.builder()
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .bucket(S3ProxyServer.BUCKET)
        .prefix("e2e")
        .credentials(S3ProxyServer.credentials())
        .pathStyleAccess(true)
        .retryStrategy(S3SegmentStore.retryStrategy(3, BackoffStrategy.exponentialDelay(Duration.ofMillis(20), Duration.ofMillis(200))))
        .build();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES) // hang guard only
  void acknowledgedSegmentsSurviveSigkillAndTheStreamVerifies() throws Exception {
    int kills = Integer.getInteger("obscura.e2e.kills", 4);
    Random random = new Random(Long.getLong("obscura.fault.seed", 20261126L));
    ViewerIdentity viewer = ViewerIdentity.generate();
    Path pub = work.resolve("viewer.pub");
    viewer.publicKey().writeTo(pub);
    Path spoolDir = work.resolve("spool");
    TreeSet<Long> acknowledged = new TreeSet<>();
    try (S3ProxyServer server = new S3ProxyServer(work)) {
      server.start();
      for (int run = 0; run < kills; run++) {
        acknowledged.addAll(runAndKill(spoolDir, server.port(), pub, random));
        try (S3SegmentStore s3 = remote(server.port());
            SpoolingSegmentStore spool = SpoolingSegmentStore.builder(spoolDir, s3).uploading(false).build()) {
          TreeSet<Long> read = readWholeStream(spool, viewer);
          assertTrue(read.containsAll(acknowledged),
              "after kill " + run + " acknowledged " + acknowledged + " but readable " + read);
        }
      }
      try (S3SegmentStore s3 = remote(server.port());
          SpoolingSegmentStore spool = SpoolingSegmentStore.builder(spoolDir, s3).build()) {
        assertTrue(spool.drain(Duration.ofMinutes(2)), "drained: " + spool.stats());
      }
      try (S3SegmentStore s3 = remote(server.port())) {
        TreeSet<Long> read = readWholeStream(s3, viewer);
        assertTrue(read.containsAll(acknowledged), "on the server: " + read);
        System.out.printf("e2e record kill test: %d SIGKILLs, %d acknowledged segments, %d on the"
            + " server, stream verifies%n", kills, acknowledged.size(), read.size());
      }
      assertTrue(acknowledged.size() >= kills, "the recorder should seal segments before being killed");
    }
  }

  /** Reads and verifies the whole stream; returns the sequence numbers read. */
  private static TreeSet<Long> readWholeStream(SegmentStore store, ViewerIdentity viewer)
      throws Exception {
    TreeSet<Long> seqs = new TreeSet<>();
    try (StreamReader reader = StreamReader.open(store, RecordThroughSpoolMain.STREAM,
        new EnvelopeKeyResolver(store, viewer))) {
      for (OpenedSegment s; (s = reader.next()) != null; ) {
        assertNotNull(s.plaintext());
        assertTrue(s.plaintext().length > 0);
        seqs.add(s.header().sequence());
      }
    }
    if (!seqs.isEmpty()) {
      assertEquals(seqs.last() - seqs.first() + 1, seqs.size(), "no gap");
    }
    return seqs;
  }

  private static List<Long> runAndKill(Path spoolDir, int port, Path pub, Random random)
      throws Exception {
    try (KilledChild child = KilledChild.start(line -> line.matches("\\d+"),
        List.of("--enable-native-access=ALL-UNNAMED"), RecordThroughSpoolMain.class,
        spoolDir.toString(), Integer.toString(port), pub.toString())) {
      child.awaitReady(120, "recorder did not start");
      // after the first segment, at a random point (mid-encode, mid-seal, mid-commit, mid-upload)
      child.awaitFirstAck(120, "recorder sealed nothing");
      return child.killAfter(random.nextInt(1500)).stream().map(Long::parseLong).toList();
    }
  }
}
