package dev.obscura.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link SegmentStore} must have. Extend it and implement {@link #newStore()}
 * to check your own store; it is published in the {@code obscura-transport} test-jar.
 */
public abstract class SegmentStoreContract {
  /** A fresh, empty store. Called before every test. */
  protected abstract SegmentStore newStore() throws IOException;

  protected SegmentStore store;

  /**
   * The longest name element {@link #validNamesAreAccepted} writes. The name rules allow 255;
   * a store in front of a server with a lower limit of its own may lower this (say why).
   */
  protected int longestElementTested() {
    return 255;
  }

  @BeforeEach
  void setUpStore() throws IOException {
    store = newStore();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private byte[] read(String name) throws IOException {
    try (InputStream in = store.open(name)) {
      return in.readAllBytes();
    }
  }

  private List<String> names(String prefix) throws IOException {
    return store.list(prefix).stream().map(StoredObject::name).collect(Collectors.toList());
  }

  @Test
  void objectIsInvisibleUntilCommitThenWhole() throws IOException {
    try (ObjectWriter w = store.create("cam/segments/1.seg")) {
      w.write(bytes("hello "));
      w.flush();
      assertThrows(NoSuchObjectException.class, () -> store.open("cam/segments/1.seg"));
      assertEquals(List.of(), store.list(""));
      w.write(bytes("world"));
      w.commit();
    }
    assertArrayEquals(bytes("hello world"), read("cam/segments/1.seg"));
    assertEquals(List.of(new StoredObject("cam/segments/1.seg", 11)), store.list(""));
  }

  @Test
  void closeWithoutCommitLeavesNothing() throws IOException {
    try (ObjectWriter w = store.create("a/b")) {
      w.write(new byte[100_000]);
    }
    assertThrows(NoSuchObjectException.class, () -> store.open("a/b"));
    assertEquals(List.of(), store.list(""));
  }

  @Test
  void writesAfterCommitOrCloseFail() throws IOException {
    ObjectWriter w = store.create("x");
    w.write(1);
    w.commit();
    assertThrows(IOException.class, () -> w.write(2));
    assertThrows(IOException.class, w::commit);
    w.close();
    w.close(); // idempotent
    ObjectWriter v = store.create("y");
    v.close();
    assertThrows(IOException.class, () -> v.write(new byte[3]));
    assertThrows(IOException.class, v::commit);
    assertArrayEquals(new byte[] {1}, read("x"));
  }

  @Test
  void emptyAndLargeObjects() throws IOException {
    store.put("empty", new byte[0]);
    assertArrayEquals(new byte[0], read("empty"));
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new Random(1).nextBytes(big);
    try (ObjectWriter w = store.create("big")) {
      // odd-sized writes, single bytes and a large one, to cross buffer boundaries
      w.write(big, 0, 1);
      w.write(big[1]);
      w.write(big, 2, 70_001);
      w.write(big, 70_003, big.length - 70_003);
      w.commit();
    }
    assertArrayEquals(big, read("big"));
    assertEquals(List.of(new StoredObject("big", big.length), new StoredObject("empty", 0)), store.list(""));
  }

  @Test
  void commitReplacesAtomically() throws IOException {
    store.put("s/obj", bytes("old"));
    try (ObjectWriter w = store.create("s/obj")) {
      w.write(bytes("new, longer"));
      w.flush();
      assertArrayEquals(bytes("old"), read("s/obj"));
      w.commit();
    }
    assertArrayEquals(bytes("new, longer"), read("s/obj"));
    try (ObjectWriter w = store.create("s/obj")) {
      w.write(bytes("aborted"));
    }
    assertArrayEquals(bytes("new, longer"), read("s/obj"));
    assertEquals(List.of(new StoredObject("s/obj", 11)), store.list(""));
  }

  @Test
  void listIsSortedRecursiveAndFilteredByPrefix() throws IOException {
    List<String> all =
        new ArrayList<>(
            List.of(
                "cam1/epochs/0000000000000000000.env",
                "cam1/segments/0000000000000000000.seg",
                "cam1/segments/0000000000000000001.seg",
                "cam1/segments/0000000000000000010.seg",
                "cam10/segments/0000000000000000000.seg",
                "cam2/segments/0000000000000000000.seg",
                "top",
                "a/b/c/d/e"));
    List<String> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new Random(7));
    for (String n : shuffled) {
      store.put(n, bytes(n));
    }
    Collections.sort(all);
    assertEquals(all, names(""));
    assertEquals(
        List.of(
            "cam1/segments/0000000000000000000.seg",
            "cam1/segments/0000000000000000001.seg",
            "cam1/segments/0000000000000000010.seg"),
        names("cam1/segments/"));
    assertEquals(
        List.of("cam1/epochs/0000000000000000000.env", "cam1/segments/0000000000000000000.seg",
            "cam1/segments/0000000000000000001.seg", "cam1/segments/0000000000000000010.seg",
            "cam10/segments/0000000000000000000.seg"),
        names("cam1"));
    assertEquals(List.of("cam1/segments/0000000000000000010.seg"), names("cam1/segments/" + "0".repeat(17) + "1"));
    assertEquals(List.of(), names("cam3/"));
    assertEquals(List.of(), names("zzz"));
    assertEquals(List.of(), names("../"));
    assertEquals(List.of("a/b/c/d/e"), names("a/b/"));
    for (StoredObject o : store.list("")) {
      assertEquals(o.name().length(), o.sizeBytes());
    }
  }

  @Test
  void missingObject() {
    assertThrows(NoSuchObjectException.class, () -> store.open("no/such/object"));
    assertThrows(NoSuchObjectException.class, () -> store.readAll("nothing", 10));
  }

  @Test
  void readAllIsBounded() throws Exception {
    store.put("o", new byte[100]);
    assertEquals(100, store.readAll("o", 100).length);
    assertThrows(MalformedDataException.class, () -> store.readAll("o", 99));
  }

  @Test
  void deleteRemovesAnObjectAndIsIdempotent() throws IOException {
    store.put("cam/segments/0000000000000000000.seg", bytes("zero"));
    store.put("cam/segments/0000000000000000001.seg", bytes("one"));
    store.put("cam/epochs/0000000000000000000.env", bytes("env"));
    store.delete("cam/segments/0000000000000000000.seg");
    assertThrows(NoSuchObjectException.class, () -> store.open("cam/segments/0000000000000000000.seg"));
    assertEquals(List.of("cam/epochs/0000000000000000000.env", "cam/segments/0000000000000000001.seg"), names(""));
    // idempotent: a second delete, and a delete of a name that never existed, succeed
    store.delete("cam/segments/0000000000000000000.seg");
    store.delete("never/existed");
    // a "directory" of other objects is not an object: deleting it deletes nothing
    store.delete("cam/segments");
    assertEquals(List.of("cam/epochs/0000000000000000000.env", "cam/segments/0000000000000000001.seg"), names(""));
    assertArrayEquals(bytes("one"), read("cam/segments/0000000000000000001.seg"));
    // the name can be written again
    store.put("cam/segments/0000000000000000000.seg", bytes("again"));
    assertArrayEquals(bytes("again"), read("cam/segments/0000000000000000000.seg"));
  }

  @Test
  void deleteOfEverythingLeavesAnEmptyListing() throws IOException {
    for (int i = 0; i < 5; i++) {
      store.put("s/segments/" + String.format("%019d", i) + ".seg", new byte[10 + i]);
    }
    for (StoredObject o : store.list("s/")) {
      store.delete(o.name());
    }
    assertEquals(List.of(), store.list(""));
  }

  @Test
  void deleteDuringAnOpenWriterLetsTheWriterCommitAfter() throws IOException {
    store.put("w/obj", bytes("old"));
    try (ObjectWriter w = store.create("w/obj")) {
      w.write(bytes("new"));
      store.delete("w/obj");
      assertThrows(NoSuchObjectException.class, () -> store.open("w/obj"));
      w.commit();
    }
    assertArrayEquals(bytes("new"), read("w/obj"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "/abs", "/", "a//b", "a/", "../x", "a/../b", "..", ".", "a/./b", ".hidden",
        "a/.tmp-123", "a b", "a\\b", "C:x", "a\u00fc", "a\nb", "a/b/", "//", "a\u0000"
      })
  void invalidNamesAreRejected(String name) {
    assertThrows(IllegalArgumentException.class, () -> store.create(name));
    assertThrows(IllegalArgumentException.class, () -> store.open(name));
    assertThrows(IllegalArgumentException.class, () -> store.put(name, new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> store.delete(name));
  }

  @Test
  void overlongNamesAreRejected() {
    String element = "x".repeat(256);
    assertThrows(IllegalArgumentException.class, () -> store.create(element));
    String name = ("y".repeat(99) + "/").repeat(11);
    assertThrows(IllegalArgumentException.class, () -> store.create(name.substring(0, name.length() - 1)));
  }

  @Test
  void validNamesAreAccepted() throws IOException {
    for (String n : List.of("a", "A-_.9", "x/y.z/w..v", "_under", "-dash", "x".repeat(longestElementTested()))) {
      store.put(n, bytes(n));
      assertArrayEquals(bytes(n), read(n));
    }
  }

  @Test
  void concurrentWritersAndReaders() throws Exception {
    int threads = 6;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean done = new AtomicBoolean();
      List<Future<?>> futures = new ArrayList<>();
      // A reader checks that the shared object is always one whole version.
      Future<Integer> reader =
          pool.submit(
              () -> {
                start.await();
                int reads = 0;
                while (!done.get()) {
                  try {
                    byte[] b = read("shared/obj");
                    assertWholeVersion(b);
                    reads++;
                  } catch (NoSuchObjectException e) {
                    // not written yet
                  }
                }
                return reads;
              });
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  Random r = new Random(id);
                  for (int i = 0; i < perThread; i++) {
                    store.put("t" + id + "/obj-" + String.format("%04d", i), version(id, i, r.nextInt(5000)));
                    store.put("shared/obj", version(id, i, 1000 + r.nextInt(70_000)));
                    if (i % 7 == 0) {
                      try (ObjectWriter w = store.create("shared/obj")) {
                        w.write(new byte[10]); // aborted: never visible
                      }
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      done.set(true);
      reader.get(60, TimeUnit.SECONDS);
      List<StoredObject> listed = store.list("");
      assertEquals(threads * perThread + 1, listed.size());
      for (StoredObject o : listed) {
        byte[] b = read(o.name());
        assertEquals(o.sizeBytes(), b.length);
        assertWholeVersion(b);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A self-describing object: writer id, index, filler length, then a filler byte pattern. */
  private static byte[] version(int writer, int index, int fill) {
    byte[] b = new byte[12 + fill];
    java.nio.ByteBuffer.wrap(b).putInt(writer).putInt(index).putInt(fill);
    for (int i = 0; i < fill; i++) {
      b[12 + i] = (byte) (writer * 31 + index + i);
    }
    return b;
  }

  private static void assertWholeVersion(byte[] b) {
    assertTrue(b.length >= 12, "object too short");
    java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b);
    int writer = h.getInt();
    int index = h.getInt();
    int fill = h.getInt();
    assertEquals(12 + fill, b.length, "object length does not match its header");
    for (int i = 0; i < fill; i++) {
      if (b[12 + i] != (byte) (writer * 31 + index + i)) {
        throw new AssertionError("mixed or corrupt object at byte " + (12 + i));
      }
    }
  }
}
