package dev.obscura.transport.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.StoredObject;
import dev.obscura.transport.SelfVerifying;
import dev.obscura.transport.s3.S3ProxyServer;
import dev.obscura.transport.s3.S3SegmentStore;
import dev.obscura.transport.spool.SpoolingSegmentStore;
import dev.obscura.transport.testing.KilledChild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM records through a spool in front of s3proxy and is SIGKILLed at seeded random
 * moments (mid-write, mid-commit, mid-upload). After each kill the spool is reopened: every
 * acknowledged object must be readable and whole, and nothing torn may be visible in the spool
 * or on the server. At the end the spool drains and every acknowledged object must be on the
 * server, whole.
 *
 * <p>{@code -Dobscura.spool.kills=N} (default 50) sets the number of kills;
 * {@code transport/scripts/soak-spool-kill.sh} runs 50 or more. {@code -Dobscura.fault.seed}
 * changes the seed.
 */
class SpoolKillTest {
  private static final int MAX = 16 * 1024 * 1024;

  @TempDir Path work;

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES) // hang guard only; scales with kills
  void everyAcknowledgedObjectSurvivesSigkillAndEndsUpUploaded() throws Exception {
    int kills = Integer.getInteger("obscura.spool.kills", 50);
    long seed = Long.getLong("obscura.fault.seed", 20261126L);
    Random random = new Random(seed);
    Path spoolDir = work.resolve("spool");
    Set<String> acknowledged = new LinkedHashSet<>();
    Set<String> verified = new java.util.HashSet<>();
    int tornLeftovers = 0;
    long pendingAtRestarts = 0;
    try (S3ProxyServer server = new S3ProxyServer(work)) {
      server.start();
      for (int run = 0; run < kills; run++) {
        List<String> acks = runAndKill(spoolDir, server.port(), run, random);
        acknowledged.addAll(acks);
        tornLeftovers += tempFiles(spoolDir.resolve("queue")).size();
        // reopen without uploading and look at everything
        try (S3SegmentStore s3 = SpoolWriterMain.remote(server.port(), work.resolve("spill"));
            SpoolingSegmentStore spool =
                SpoolingSegmentStore.builder(spoolDir, s3).uploading(false).build()) {
          assertEquals(List.of(), tempFiles(spoolDir.resolve("queue")), "torn writes are swept");
          pendingAtRestarts += spool.stats().pending();
          // Every visible object is read whole once, the first time it is seen (names are never
          // reused here, so a verified object cannot change); the final check reads all again.
          Set<String> visible = new LinkedHashSet<>();
          for (StoredObject o : spool.list("")) {
            if (!obscuraName(o.name())) {
              // s3proxy lists the staging copy of an upload a kill cut off, until it removes it:
              // a foreign name, which no reader takes for an object of the stream
              continue;
            }
            if (verified.add(o.name())) {
              byte[] b = spool.readAll(o.name(), MAX);
              assertEquals(o.sizeBytes(), b.length, o.name());
              assertTrue(SelfVerifying.verify(b), "torn object visible after kill " + run + ": " + o.name());
            }
            visible.add(o.name());
          }
          for (String name : acknowledged) {
            assertTrue(visible.contains(name), "acknowledged object lost after kill " + run + ": " + name);
          }
        }
      }
      // the last restart: drain everything
      try (S3SegmentStore s3 = SpoolWriterMain.remote(server.port(), work.resolve("spill"));
          SpoolingSegmentStore spool = SpoolingSegmentStore.builder(spoolDir, s3).build()) {
        assertTrue(spool.drain(Duration.ofMinutes(3)), "drained: " + spool.stats());
      }
      int onServer = 0;
      try (S3SegmentStore check = SpoolWriterMain.remote(server.port(), work.resolve("spill"))) {
        Set<String> present = new LinkedHashSet<>();
        for (StoredObject o : check.list("")) {
          if (!obscuraName(o.name())) {
            continue; // a staging copy s3proxy has not removed yet (see above)
          }
          byte[] b = check.readAll(o.name(), MAX);
          assertTrue(SelfVerifying.verify(b), "torn object on the server: " + o.name());
          present.add(o.name());
          onServer++;
        }
        for (String name : acknowledged) {
          assertTrue(present.contains(name), "acknowledged object never uploaded: " + name);
        }
      }
      System.out.printf(
          "spool kill test: %d SIGKILLs, %d acknowledged objects, all on the server (%d objects"
              + " there); %d kills left a torn spool write (swept), %d objects pending across"
              + " restarts%n",
          kills, acknowledged.size(), onServer, tornLeftovers, pendingAtRestarts);
      assertTrue(acknowledged.size() > kills, "the child should commit objects before being killed");
    }
  }

  private static List<String> runAndKill(Path spoolDir, int port, int run, Random random)
      throws Exception {
    // a name is printed (and flushed as one line) only after its commit returned
    try (KilledChild child = KilledChild.start(line -> true, List.of("-Xmx256m"), SpoolWriterMain.class,
        spoolDir.toString(), Integer.toString(port), Integer.toString(run), Long.toString(random.nextLong()))) {
      child.awaitReady(60, "child did not start");
      child.awaitFirstAck(60, "child committed nothing in run " + run); // a kill after an acknowledgement
      return child.killAfter(random.nextInt(700)); // SIGKILL at a random point after it
    }
  }

  private static List<Path> tempFiles(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
    }
  }

  /** Whether {@code name} is a segment or envelope name as Obscura writes them. */
  static boolean obscuraName(String name) {
    return dev.obscura.core.ObjectNames.parseSegment(name).isPresent()
        || dev.obscura.core.ObjectNames.parseEnvelope(name).isPresent();
  }
}
