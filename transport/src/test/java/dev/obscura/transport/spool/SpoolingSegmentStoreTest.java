package dev.obscura.transport.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EpochId;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentId;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.transport.SegmentStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.retries.api.BackoffStrategy;

class SpoolingSegmentStoreTest extends SegmentStoreContract {
  private static final Duration HANG_GUARD = Duration.ofSeconds(30);
  private static final StreamId CAM = new StreamId("cam1");

  @TempDir Path dir;
  private final List<SpoolingSegmentStore> opened = new ArrayList<>();

  @Override
  protected SegmentStore newStore() throws IOException {
    SpoolingSegmentStore s = SpoolingSegmentStore.builder(dir.resolve("contract"), new SwitchableStore()).build();
    opened.add(s);
    return s;
  }

  private SpoolingSegmentStore open(SegmentStore remote, java.util.function.UnaryOperator<SpoolingSegmentStore.Builder> config)
      throws IOException {
    SpoolingSegmentStore s = config.apply(SpoolingSegmentStore.builder(dir.resolve("spool"), remote)
        .backoff(BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(5), Duration.ofMillis(50)))).build();
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(SpoolingSegmentStore::close);
  }

  private static String seg(long n) {
    return ObjectNames.segment(new SegmentId(CAM, n));
  }

  private static String env(long n) {
    return ObjectNames.envelope(CAM, new EpochId(n));
  }

  @Test
  void queuesWhileRemoteIsDownAndDrainsInOrderWhenItReturns() throws Exception {
    SwitchableStore remote = new SwitchableStore();
    remote.up = false;
    java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
    SpoolingSegmentStore s = open(remote, b -> b.listener(new SpoolListener() {
      @Override
      public void uploadFailed(String name, java.io.IOException error) {
        failed.countDown();
      }
    }));
    List<String> names = new ArrayList<>();
    names.add(env(0));
    for (int i = 0; i < 20; i++) {
      names.add(seg(i));
    }
    for (String n : names) {
      s.put(n, n.getBytes()); // acknowledged while the remote is down
    }
    assertEquals(names.size(), s.stats().pending());
    assertArrayEquals(seg(3).getBytes(), s.readAll(seg(3), 100), "spooled objects are readable");
    // wait for the uploader's failed attempt itself (its listener event), not for a time window
    assertTrue(failed.await(HANG_GUARD.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), "an upload was attempted");
    assertFalse(s.drain(Duration.ZERO), "nothing drains while the remote is down");
    assertTrue(s.stats().consecutiveFailures() > 0);
    assertTrue(s.stats().lastError().contains("remote is down"));
    remote.up = true;
    assertTrue(s.drain(HANG_GUARD));
    assertEquals(names, remote.commits(), "uploaded in commit order, each once");
    SpoolStats st = s.stats();
    assertEquals(0, st.pending());
    assertEquals(names.size(), st.uploaded());
    assertEquals(0, st.dropped());
    assertEquals(names, s.list("").stream().map(StoredObject::name).collect(Collectors.toList()));
    assertArrayEquals(seg(3).getBytes(), s.readAll(seg(3), 100), "now read from the remote");
    assertEquals(List.of(), queueFiles(s));
  }

  @Test
  void deleteOfAPendingObjectKeepsItFromEverBeingUploaded() throws Exception {
    SwitchableStore remote = new SwitchableStore();
    // no uploader in the first run: the delete meets the objects pending, deterministically
    SpoolingSegmentStore s = open(remote, b -> b.uploading(false));
    s.put(seg(0), "old version".getBytes());
    s.put(seg(0), "new version".getBytes()); // two spooled versions of one name
    s.put(seg(1), "one".getBytes());
    assertEquals(3, s.stats().pending());
    s.delete(seg(0));
    assertEquals(1, s.stats().pending(), "both spooled versions of the deleted name are gone");
    s.close();
    // the next run uploads what is left, and never the deleted name
    SpoolingSegmentStore again = open(remote, b -> b);
    assertTrue(again.drain(HANG_GUARD));
    assertEquals(List.of(seg(1)), remote.commits(), "a deleted name is never uploaded");
    assertEquals(List.of(seg(1)), again.list("").stream().map(StoredObject::name).collect(Collectors.toList()));
    assertEquals(0, again.stats().pending());
    assertEquals(List.of(), queueFiles(again));
    // and an uploaded object is deleted from the remote
    again.delete(seg(1));
    assertEquals(List.of(), remote.inner.list(""));
  }

  @Test
  void restartResumesInTheSameOrder() throws Exception {
    SwitchableStore remote = new SwitchableStore();
    SpoolingSegmentStore s = open(remote, b -> b.uploading(false));
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      names.add(i % 5 == 0 ? env(i) : seg(i));
    }
    List<String> shuffled = new ArrayList<>(names);
    Collections.shuffle(shuffled, new java.util.Random(4)); // commit order is not name order
    for (String n : shuffled) {
      s.put(n, n.getBytes());
    }
    // an aborted write leaves nothing behind
    try (ObjectWriter w = s.create(seg(99))) {
      w.write(new byte[1000]);
    }
    s.close();
    assertEquals(List.of(), remote.commits());
    SpoolingSegmentStore again = open(remote, b -> b);
    assertTrue(again.drain(HANG_GUARD));
    assertEquals(shuffled, remote.commits());
    assertThrows(NoSuchObjectException.class, () -> again.open(seg(99)));
  }

  @Test
  void overTheCapTheOldestSegmentsAreDroppedCountedAndReportedButNeverEnvelopes() throws Exception {
    SwitchableStore remote = new SwitchableStore();
    remote.up = false;
    List<String> droppedNames = Collections.synchronizedList(new ArrayList<>());
    List<String> rejectedNames = Collections.synchronizedList(new ArrayList<>());
    SpoolingSegmentStore s =
        open(remote, b -> b.maxObjects(4).maxBytes(1000).listener(new SpoolListener() {
          @Override
          public void dropped(String name, long bytes) {
            droppedNames.add(name);
          }

          @Override
          public void rejected(String name, long bytes) {
            rejectedNames.add(name);
          }
        }));
    s.put(env(0), new byte[10]);
    s.put(seg(0), new byte[100]);
    s.put(seg(1), new byte[100]);
    s.put(env(1), new byte[10]);
    s.put(seg(2), new byte[100]); // 5 objects > 4: seg 0 goes
    assertEquals(List.of(seg(0)), droppedNames);
    s.put(seg(3), new byte[700]); // 10+100+10+100+700 = 920 bytes, 5 objects: seg 1 goes
    assertEquals(List.of(seg(0), seg(1)), droppedNames);
    s.put(seg(4), new byte[900]); // bytes: seg 2 and seg 3 go
    assertEquals(List.of(seg(0), seg(1), seg(2), seg(3)), droppedNames);
    // only envelopes and the newest segment are pending; more envelopes push that segment out
    s.put(env(2), new byte[10]);
    s.put(env(3), new byte[10]); // 5 objects: seg 4 goes
    assertEquals(5, droppedNames.size());
    SpoolFullException full = assertThrows(SpoolFullException.class, () -> s.put(env(4), new byte[10]));
    assertTrue(full.getMessage().contains("nothing it may drop"), full.getMessage());
    assertThrows(SpoolFullException.class, () -> s.put(seg(5), new byte[1001]));
    assertEquals(List.of(env(4), seg(5)), rejectedNames);
    SpoolStats st = s.stats();
    assertEquals(5, st.dropped());
    assertEquals(100 + 100 + 100 + 700 + 900, st.droppedBytes());
    assertEquals(2, st.rejected());
    assertEquals(4, st.pending());
    List<String> log = Files.readAllLines(s.directory().resolve("drops.log"));
    assertEquals(5, log.size());
    assertTrue(log.get(0).endsWith(" " + seg(0) + " 100"), log.get(0));
    remote.up = true;
    assertTrue(s.drain(HANG_GUARD));
    assertEquals(List.of(env(0), env(1), env(2), env(3)), remote.commits());
    assertThrows(NoSuchObjectException.class, () -> s.open(env(4)), "a refused object is not there");
    assertThrows(NoSuchObjectException.class, () -> s.open(seg(0)), "a dropped one neither");
  }

  @Test
  void aReplacedObjectIsUploadedOnceInItsNewestVersion() throws Exception {
    SwitchableStore remote = new SwitchableStore();
    SpoolingSegmentStore s = open(remote, b -> b.uploading(false));
    s.put("m/manifest", new byte[] {1});
    s.put(seg(0), new byte[] {2});
    s.put("m/manifest", new byte[] {3});
    assertArrayEquals(new byte[] {3}, s.readAll("m/manifest", 10));
    s.close();
    SpoolingSegmentStore again = open(remote, b -> b);
    assertArrayEquals(new byte[] {3}, again.readAll("m/manifest", 10), "newest version after restart");
    assertTrue(again.drain(HANG_GUARD));
    assertEquals(List.of(seg(0), "m/manifest"), remote.commits());
    assertArrayEquals(new byte[] {3}, remote.inner.rawBytes("m/manifest"));
    assertEquals(1, again.stats().superseded());
  }

  @Test
  void oneProcessPerSpoolDirectory() throws Exception {
    open(new SwitchableStore(), b -> b);
    IOException e = assertThrows(IOException.class, () -> open(new SwitchableStore(), b -> b));
    assertTrue(e.getMessage().contains("in use"), e.getMessage());
  }

  @Test
  void builderValidates() {
    SwitchableStore r = new SwitchableStore();
    assertThrows(IllegalArgumentException.class, () -> SpoolingSegmentStore.builder(dir, r).maxBytes(0).build());
    assertThrows(NullPointerException.class, () -> SpoolingSegmentStore.builder(dir, r).backoff(null));
  }

  private static List<String> queueFiles(SpoolingSegmentStore s) throws IOException {
    try (var st = Files.list(s.directory().resolve("queue"))) {
      return st.map(p -> p.getFileName().toString()).collect(Collectors.toList());
    }
  }
}
