package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender persists its counter before use: no CTR is ever reused across crashes. */
class CounterPersistenceTest {
  @TempDir Path dir;

  private static final EpochKey KEY = EpochKey.generate(StreamId.of("porch"), EpochId.of(0),
      EntropySource.insecureDeterministicForTests(7));

  private static long ctrOf(byte[] sealed) throws Exception {
    return SFrameHeader.decode(sealed, 0, sealed.length).counter();
  }

  /** Counts the writes that reach the wrapped store. */
  private static final class CountingStore implements CounterStore {
    final CounterStore inner;
    int stores;
    boolean failNext;

    CountingStore(CounterStore inner) {
      this.inner = inner;
    }

    @Override
    public long load() throws IOException {
      return inner.load();
    }

    @Override
    public void store(long highWaterMark) throws IOException {
      if (failNext) {
        failNext = false;
        throw new IOException("disk full (simulated)");
      }
      stores++;
      inner.store(highWaterMark);
    }
  }

  @Test
  void fileStoreBasics() throws IOException {
    Path f = dir.resolve("a.ctr");
    try (FileCounterStore s = FileCounterStore.open(f)) {
      assertEquals(0, s.load());
      s.store(1024);
      assertEquals(1024, s.load());
      assertThrows(IllegalArgumentException.class, () -> s.store(1000));
      s.store(2048);
      assertFalse(Files.exists(dir.resolve("a.ctr.tmp")), "temp file left behind");
      // a second store on the same file is refused while the first is open
      IOException busy = assertThrows(IOException.class, () -> FileCounterStore.open(f));
      assertTrue(busy.getMessage().contains("in use"));
    }
    try (FileCounterStore s = FileCounterStore.open(f)) {
      assertEquals(2048, s.load());
    }
    assertEquals(20, Files.size(f));
  }

  @Test
  void damagedFileIsReportedNeverReadAsZero() throws IOException {
    Path f = dir.resolve("b.ctr");
    try (FileCounterStore s = FileCounterStore.open(f)) {
      s.store(4096);
    }
    byte[] b = Files.readAllBytes(f);
    b[12] ^= 1; // inside the value: checksum fails
    Files.write(f, b);
    try (FileCounterStore s = FileCounterStore.open(f)) {
      assertThrows(IOException.class, s::load);
      assertThrows(IOException.class, () -> SFrameSender.builder(KEY, s).build());
    }
    Files.write(f, new byte[] {1, 2, 3});
    try (FileCounterStore s = FileCounterStore.open(f)) {
      assertThrows(IOException.class, s::load);
    }
  }

  @Test
  void oneDurableWritePerBlockNotPerFrame() throws Exception {
    CountingStore store = new CountingStore(CounterStore.inMemoryForTests());
    try (SFrameSender s = SFrameSender.builder(KEY, store).counterBlockSize(1024).build()) {
      for (int i = 0; i < 3000; i++) {
        assertEquals(i, ctrOf(s.seal(new EncodedFrame(i, false, new byte[8]))));
      }
    }
    assertEquals(3, store.stores);
    assertEquals(3072, store.inner.load());
  }

  @Test
  void failedReservationSealsNothingAndUsesNoCounter() throws Exception {
    CountingStore store = new CountingStore(CounterStore.inMemoryForTests());
    try (SFrameSender s = SFrameSender.builder(KEY, store).counterBlockSize(4).build()) {
      for (int i = 0; i < 4; i++) {
        s.seal(new EncodedFrame(i, false, new byte[8]));
      }
      store.failNext = true;
      assertThrows(IOException.class, () -> s.seal(new EncodedFrame(4, false, new byte[8])));
      assertEquals(4, ctrOf(s.seal(new EncodedFrame(4, false, new byte[8]))));
    }
  }

  @Test
  void restartsOnTheSameFileNeverReuseACounter() throws Exception {
    Path f = dir.resolve("porch.ctr");
    SplittableRandom r = new SplittableRandom(1);
    Set<Long> used = new HashSet<>();
    long lastMax = -1;
    int block = 100;
    for (int run = 0; run < 8; run++) {
      FileCounterStore store = FileCounterStore.open(f);
      SFrameSender s = SFrameSender.builder(KEY, store).counterBlockSize(block).build();
      int frames = r.nextInt(1, 350);
      for (int i = 0; i < frames; i++) {
        long ctr = ctrOf(s.seal(new EncodedFrame(i, false, new byte[16])));
        assertTrue(used.add(ctr), "CTR reused after restart: " + ctr);
        if (i == 0) {
          assertTrue(ctr > lastMax, "restart went back: " + ctr + " <= " + lastMax);
          assertEquals(0, ctr % block, "a restart resumes at a block boundary");
        }
        lastMax = Math.max(lastMax, ctr);
      }
      // "crash": the sender is abandoned without close(); only the lock goes with the process
      store.close();
    }
  }

  @Test
  void sigkilledChildProcessesNeverReuseACounter() throws Exception {
    Path f = dir.resolve("child.ctr");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Set<Long> used = new HashSet<>();
    List<String> report = new ArrayList<>();
    long lastMax = -1;
    int block = 64;
    SplittableRandom r = new SplittableRandom(9);
    for (int run = 0; run < 3; run++) {
      ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          CounterCrashChild.class.getName(), f.toString(), Integer.toString(block));
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process child = pb.start();
      int want = r.nextInt(100, 2000);
      int got = 0;
      long first = -1;
      long previousMax = lastMax;
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while (got < want && (line = in.readLine()) != null) {
          long ctr = Long.parseLong(line.trim());
          if (first < 0) {
            first = ctr;
          }
          assertTrue(used.add(ctr), "CTR reused after SIGKILL: " + ctr);
          lastMax = Math.max(lastMax, ctr);
          got++;
        }
        child.destroyForcibly(); // SIGKILL on POSIX: no shutdown hooks, no close()
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
      }
      assertEquals(want, got, "child stopped early");
      assertTrue(first > previousMax, "restart after SIGKILL went back to " + first);
      assertEquals(0, first % block, "a restart resumes at a reserved block boundary");
      report.add("run " + run + ": " + got + " frames from ctr " + first);
    }
    assertTrue(used.size() > 300, report.toString());
  }
}
