package dev.obscura.examples.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.sframe.FileCounterStore;
import dev.obscura.crypto.sframe.SFrameHeader;
import dev.obscura.crypto.sframe.SFrameSender;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.examples.Household;
import dev.obscura.transport.spool.SpoolingSegmentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's recorder (a paired camera, {@link Recorder} with {@link Recorder.Builder#camera})
 * on real full disks, in process, each a tmpfs ({@link SmallDisk}) that fills while recording
 * and then gets space back:
 *
 * <ul>
 *   <li>the store's disk: each failed segment is an {@link IOException} that says the disk is
 *       full, leaves nothing behind (no object, no temporary file) and uses up no sequence
 *       number; the same recorder object goes on when space returns; so does a recorder started
 *       after a stop right at the failure, at the next number; a full disk at close keeps the
 *       last manifest pending in the camera's head, and the next start signs it;
 *   <li>the camera's upload spool ({@link SpoolingSegmentStore}) with the uplink down: as above,
 *       nothing acknowledged dropped, and the reopened spool uploads it all;
 *   <li>the camera's own folder, on one card with the store: a failed write of the chain head
 *       or the epoch counters stops the segment before its number is used; a commit that went
 *       through just before the card filled is kept in the chain, never sealed again (by the same
 *       recorder or after a restart); a camera that cannot write its state refuses to start;
 *   <li>the live camera's SFrame counter file: no counter is used above the stored mark.
 * </ul>
 *
 * Every acknowledged segment is then read back, byte for byte, through the one verification
 * path ({@link VerifiedStore#read}: envelopes, chain, the camera's signed manifests), and
 * nothing else is there.
 */
class DiskFullRecorderTest {
  @TempDir static Path dir;
  static final List<SmallDisk> disks = new ArrayList<>();
  static final StreamId STREAM = StreamId.of("porch");
  static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

  /** Mounts a small disk at {@code dir/name} (or skips the test), unmounted after all tests. */
  static SmallDisk disk(String name, long bytes) throws Exception {
    SmallDisk d = SmallDisk.mount(dir.resolve(name), bytes);
    disks.add(d);
    return d;
  }

  @AfterAll
  static void unmount() throws Exception {
    for (SmallDisk d : disks) {
      d.close();
    }
  }

  /** Acknowledged segments: sequence to plaintext. */
  static final class Acked {
    final TreeMap<Long, byte[]> segments = new TreeMap<>();
    private final SplittableRandom random = new SplittableRandom(20261202L);
    private long index;

    /** The next segment to record: {@code bytes} of noise, one second long. */
    MediaSegment next(int bytes) {
      byte[] data = new byte[bytes];
      random.nextBytes(data);
      long i = index++;
      return new MediaSegment(i, T0.plusSeconds(i), i * 1_000_000L, 1_000_000L, 10, data);
    }

    /** Seals {@code s}; on success the sequence must be the next one after those acknowledged. */
    SealedSegmentInfo seal(Recorder r, MediaSegment s) throws Exception {
      SealedSegmentInfo info = r.seal(s);
      long seq = info.header().sequence();
      assertEquals(segments.isEmpty() ? 0 : segments.lastKey() + 1, seq,
          "sequence numbers go on from the last acknowledged segment: none skipped, none reused");
      segments.put(seq, s.data());
      return info;
    }

    /**
     * Seals segments of {@code bytes} until one fails; returns the failure (checked to say the
     * disk is full) after at least {@code atLeast} went through.
     */
    IOException sealUntilFull(Recorder r, int bytes, int atLeast) throws Exception {
      int before = segments.size();
      for (int i = 0; i < 100; i++) {
        MediaSegment s = next(bytes);
        try {
          seal(r, s);
        } catch (IOException e) {
          assertTrue(segments.size() - before >= atLeast, "only " + (segments.size() - before)
              + " segments fit before the disk was full: " + e);
          assertSaysFull(e);
          return e;
        }
      }
      throw new AssertionError("100 segments of " + bytes + " bytes went onto the small disk");
    }
  }

  static void assertSaysFull(Throwable e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    assertTrue(m.contains("no space left"), () -> "the failure does not say the disk is full: " + e);
  }

  static Recorder recorder(Household h, SegmentStore store, CameraState camera) throws Exception {
    // a rotation every 2 segments and a signed manifest every 3: envelopes and manifests meet
    // the full disk too, not only segments
    return Recorder.builder().store(store).stream(STREAM).camera(camera).segmentsPerEpoch(2)
        .chainSigner(camera.identity().signingKey(), 3).build();
  }

  /** The segments the store lists for the stream. */
  static List<Long> listed(SegmentStore store) throws IOException {
    List<Long> out = new ArrayList<>();
    for (StoredObject o : store.list(ObjectNames.segmentPrefix(STREAM))) {
      ObjectNames.parseSegment(o.name()).ifPresent(id -> out.add(id.sequence()));
    }
    return out;
  }

  /** Temporary files (of a write that failed) left under {@code root}. */
  static List<Path> leftovers(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }
  }

  /**
   * Reads the whole stream on the one verification path, as export does, and checks it holds
   * exactly the acknowledged segments, byte for byte, in order, the camera's manifests covering
   * all of them.
   */
  static List<SegmentHeader> verifyWhole(Household h, Acked acked) throws Exception {
    VerifiedStore view = h.view();
    List<Long> read = new ArrayList<>();
    List<SegmentHeader> headers = new ArrayList<>();
    try (VerifiedStore.Reading reading = view.read(STREAM, h.phone, StreamRange.all(), Instant.now())) {
      for (OpenedSegment s; (s = reading.reader().next()) != null; ) {
        long seq = s.header().sequence();
        assertArrayEquals(acked.segments.get(seq), s.plaintext(), "segment " + seq + " reads back as sealed");
        read.add(seq);
        headers.add(s.header());
      }
      assertEquals(Optional.empty(), reading.note(), "the camera's signed manifests cover every segment");
    }
    assertEquals(new ArrayList<>(acked.segments.keySet()), read, "exactly the acknowledged segments, in order");
    assertEquals(acked.segments.size() - 1, (long) acked.segments.lastKey(), "numbered 0.. without a gap");
    return headers;
  }

  @Test
  void theSameRecorderGoesOnWhenTheStoreDiskHasSpaceAgain() throws Exception {
    // the store on a small disk; the camera's own folder on another
    SmallDisk disk = disk("same/store", 1 << 20);
    Household h = new Household(dir.resolve("same"));
    Acked acked = new Acked();
    IOException full;
    try (Recorder r = recorder(h, h.store, h.camera)) {
      acked.seal(r, acked.next(30_000));
      acked.seal(r, acked.next(30_000));
      disk.fill(300 * 1024);
      // segments of 100 KB fail while written (the store's buffer spills), of 30 KB at commit
      full = acked.sealUntilFull(r, 100_000, 1);
      IOException again = assertThrows(IOException.class, () -> acked.seal(r, acked.next(100_000)),
          "the disk is still too full for that segment");
      assertSaysFull(again);
      disk.fill(0); // now not even a small segment fits: it fails at its commit
      for (int i = 0; i < 2; i++) {
        again = assertThrows(IOException.class, () -> acked.seal(r, acked.next(20_000)), "the disk is full");
        assertSaysFull(again);
      }
      assertEquals(new ArrayList<>(acked.segments.keySet()), listed(h.store), "failed segments left nothing");
      assertEquals(List.of(), leftovers(disk.root), "failed writes left no temporary file taking space");

      disk.free();
      for (int i = 0; i < 5; i++) {
        acked.seal(r, acked.next(60_000)); // checks the number goes on from the last acknowledged
      }
    }
    verifyWhole(h, acked);
    System.out.printf("store disk full: %d segments acknowledged, the same recorder went on; error: %s%n",
        acked.segments.size(), full.getMessage());
  }

  @Test
  void aStopRightAfterTheStoreDiskFilledLosesNothingAndReusesNoNumber() throws Exception {
    SmallDisk disk = disk("stop/store", 1 << 20);
    Household h = new Household(dir.resolve("stop"));
    Acked acked = new Acked();
    Recorder stopped = recorder(h, h.store, h.camera);
    acked.seal(stopped, acked.next(30_000));
    disk.fill(200 * 1024);
    acked.sealUntilFull(stopped, 30_000, 1);
    // the process dies here: the recorder is never closed, no final manifest is written
    disk.free();
    try (Recorder r = recorder(h, h.store, reopen(h))) {
      assertEquals(0, r.storeGaps(), "every segment the camera acknowledged is in the store");
      for (int i = 0; i < 3; i++) {
        acked.seal(r, acked.next(30_000));
      }
    }
    verifyWhole(h, acked);
  }

  @Test
  void aFullDiskAtCloseSaysSoAndTheNextStartSignsTheLastManifest() throws Exception {
    SmallDisk disk = disk("close/store", 1 << 20);
    Household h = new Household(dir.resolve("close"));
    Acked acked = new Acked();
    Recorder r = recorder(h, h.store, h.camera);
    for (int i = 0; i < 5; i++) {
      acked.seal(r, acked.next(30_000)); // a manifest over 0..2; 3 and 4 wait for the next one
    }
    disk.fill(0);
    java.io.UncheckedIOException closing = assertThrows(java.io.UncheckedIOException.class, r::close);
    assertSaysFull(closing);
    assertSaysFull(closing.getCause());
    disk.free();
    try (Recorder next = recorder(h, h.store, reopen(h))) {
      // its start signed the manifest over 3 and 4 (kept pending in the camera's head)
      assertEquals(Optional.empty(), h.view().requireComplete(STREAM, Instant.now()));
      acked.seal(next, acked.next(30_000));
    }
    verifyWhole(h, acked);
  }

  static CameraState reopen(Household h) throws Exception {
    return CameraState.open(h.cameraDir, KeyProtection.platformKey(Path.of(System.getenv("OBSCURA_PLATFORM_KEY"))),
        EntropySource.system());
  }

  /** Pages a file of {@code bytes} takes on the small disk. */
  static long pages(long bytes) {
    return (bytes + SmallDisk.PAGE - 1) / SmallDisk.PAGE;
  }

  @Test
  void aFullCameraDiskStopsEachSegmentBeforeItsNumberIsUsedAndTheSameRecorderGoesOn() throws Exception {
    // one small card holds the store and the camera's own folder (chain head, epochs, pinned roster)
    SmallDisk card = disk("card", 2 << 20);
    Household h = new Household(card.root);
    Acked acked = new Acked();
    long[] envelopeBytes = new long[1];
    Recorder.Listener envelopes = new Recorder.Listener() {
      @Override
      public void epochStarted(EpochId epoch, int recipients, int bytes) {
        envelopeBytes[0] = bytes;
      }
    };
    // a new epoch for every segment: each one also writes the epoch counters and an envelope
    try (Recorder r = Recorder.builder().store(h.store).stream(STREAM).camera(h.camera).segmentsPerEpoch(1)
        .listener(envelopes).build()) {
      SealedSegmentInfo first = acked.seal(r, acked.next(20_000));
      // room for exactly the next epoch's envelope and segment: the commit goes through and takes
      // the last page, so the camera cannot record in its chain head that the segment is stored
      card.fill((pages(envelopeBytes[0]) + pages(first.sealedSizeBytes())) * SmallDisk.PAGE);
      MediaSegment window = acked.next(20_000);
      IOException e = assertThrows(IOException.class, () -> r.seal(window));
      assertSaysFull(e);
      assertEquals(List.of(0L, 1L), listed(h.store), "segment 1 reached the store before the head write failed");
      CameraState.ChainHead head = reopen(h).chainHead(STREAM).orElseThrow();
      assertEquals(1, head.inFlight(), "the camera's head on disk says segment 1 was being committed");
      acked.segments.put(1L, window.data()); // stored: it belongs to the chain (an owner reads it)

      // the disk fills up: neither the epoch counters nor the head can be written, nothing is stored
      card.fill(0);
      for (int i = 0; i < 3; i++) {
        assertSaysFull(assertThrows(IOException.class, () -> r.seal(acked.next(20_000))));
      }
      assertEquals(List.of(0L, 1L), listed(h.store), "no segment is stored without its head");
      card.free();
      for (int i = 0; i < 3; i++) {
        acked.seal(r, acked.next(20_000)); // 2, 3, 4: segment 1's number is not sealed again
      }
    }
    List<Long> epochs = verifyWhole(h, acked).stream().map(x -> x.epoch().value()).toList();
    assertEquals(epochs.stream().distinct().sorted().toList(), epochs, "each segment in an epoch of its own, none reused");
  }

  @Test
  void aStopWhileTheCameraDiskIsFullReusesNoNumberAndRefusesToStartUntilSpaceReturns() throws Exception {
    SmallDisk card = disk("card2", 2 << 20);
    Household h = new Household(card.root);
    Acked acked = new Acked();
    Recorder stopped = Recorder.builder().store(h.store).stream(STREAM).camera(h.camera).build();
    SealedSegmentInfo first = acked.seal(stopped, acked.next(20_000));
    card.fill(pages(first.sealedSizeBytes()) * SmallDisk.PAGE);
    MediaSegment window = acked.next(20_000);
    assertSaysFull(assertThrows(IOException.class, () -> stopped.seal(window)));
    assertEquals(List.of(0L, 1L), listed(h.store));
    acked.segments.put(1L, window.data());
    // the process dies here, with the card full; it starts again while the card is still full
    List<StoredObject> before = h.store.list("");
    CameraState camera = reopen(h);
    IOException refused = assertThrows(IOException.class,
        () -> Recorder.builder().store(h.store).stream(STREAM).camera(camera).build(),
        "a camera that cannot record its state does not start");
    assertSaysFull(refused);
    assertEquals(before, h.store.list(""), "a refused start writes nothing to the store");
    assertEquals(1, camera.chainHead(STREAM).orElseThrow().inFlight(), "the head on disk is unchanged");
    card.free();
    try (Recorder r = Recorder.builder().store(h.store).stream(STREAM).camera(reopen(h)).build()) {
      assertEquals(0, r.storeGaps());
      // segment 1, stored before the stop, is adopted (its digest goes into the camera's manifest)
      for (int i = 0; i < 3; i++) {
        acked.seal(r, acked.next(20_000));
      }
    }
    verifyWhole(h, acked);
  }

  @Test
  void aFullSpoolDiskRefusesEachSegmentAndTheSameRecorderGoesOnWhenSpaceReturns() throws Exception {
    // the camera's local spool on a small disk, in front of the household's store
    SmallDisk disk = disk("spool", 1 << 20);
    Household h = new Household(dir.resolve("spooled"));
    Acked acked = new Acked();
    // the uplink is down: nothing leaves the spool, whose disk fills with footage
    SpoolingSegmentStore offline = SpoolingSegmentStore.builder(disk.root, h.store).uploading(false).build();
    try (Recorder r = recorder(h, offline, h.camera)) {
      acked.seal(r, acked.next(30_000));
      disk.fill(300 * 1024);
      IOException full = acked.sealUntilFull(r, 100_000, 1);
      disk.fill(0);
      for (int i = 0; i < 2; i++) {
        assertSaysFull(assertThrows(IOException.class, () -> acked.seal(r, acked.next(20_000))));
      }
      assertEquals(new ArrayList<>(acked.segments.keySet()), listed(offline), "failed segments left nothing");
      assertEquals(0, offline.stats().dropped(), "nothing acknowledged is dropped");
      assertEquals(List.of(), leftovers(disk.root), "failed writes left no temporary file taking space");
      disk.free();
      for (int i = 0; i < 4; i++) {
        acked.seal(r, acked.next(30_000));
      }
      System.out.printf("spool disk full: %d segments acknowledged, the same recorder went on; error: %s%n",
          acked.segments.size(), full.getMessage());
    }
    offline.close();
    // the uplink is back (the spool opened again, as after a reboot): everything pending goes up
    try (SpoolingSegmentStore online = SpoolingSegmentStore.builder(disk.root, h.store).build()) {
      assertTrue(online.drain(Duration.ofMinutes(2)), () -> "the spool drains: " + online.stats());
      assertEquals(0, online.stats().dropped());
    }
    verifyWhole(h, acked); // from the household's store alone
  }

  /** Seals one live frame; returns its SFrame counter (the nonce's variable part). */
  static long sealFrame(SFrameSender sender) throws Exception {
    byte[] out = new byte[sender.maxSealedLength(100)];
    int n = sender.seal(new byte[100], 0, 100, out, 0);
    return SFrameHeader.decode(out, 0, n).counter();
  }

  @Test
  void liveFrameCountersOnAFullDiskAreNeverUsedBeforeTheyAreStored() throws Exception {
    // the live camera's counter file (FileCounterStore, in the camera folder) on a small disk
    SmallDisk disk = disk("counters", 64 * 1024);
    Path file = disk.root.resolve("live-porch.ctr");
    EpochKey key = EpochKey.generate(STREAM, EpochId.of(0), EntropySource.system());
    List<Long> used = new ArrayList<>();
    try (FileCounterStore counters = FileCounterStore.open(file);
        SFrameSender sender = SFrameSender.builder(key, counters).counterBlockSize(4).build()) {
      for (int i = 0; i < 6; i++) {
        used.add(sealFrame(sender));
        assertTrue(counters.load() > used.get(used.size() - 1), "every counter used is below the mark on disk");
      }
      disk.fill(0);
      // 6 and 7 were reserved with the block 4..7; the block from 8 cannot be stored
      used.add(sealFrame(sender));
      used.add(sealFrame(sender));
      for (int i = 0; i < 3; i++) {
        assertSaysFull(assertThrows(IOException.class, () -> sealFrame(sender)));
      }
      assertEquals(8, counters.load(), "the mark on disk did not move, and no counter above it was used");
      disk.free();
      for (int i = 0; i < 6; i++) {
        used.add(sealFrame(sender));
        assertTrue(counters.load() > used.get(used.size() - 1), "every counter used is below the mark on disk");
      }
    }
    // a restart: a sender on the same file starts above every counter used before
    try (FileCounterStore counters = FileCounterStore.open(file);
        SFrameSender sender = SFrameSender.builder(key, counters).counterBlockSize(4).build()) {
      used.add(sealFrame(sender));
    } finally {
      key.destroy();
    }
    assertEquals(used.stream().distinct().sorted().toList(), used, "counters only grow, none is used twice");
    assertTrue(used.get(used.size() - 1) > used.get(used.size() - 2), "the restart starts above: " + used);
  }
}
