package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentHeader;
import dev.obscura.crypto.chain.ChainVerifier;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.testing.CountingProvider;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.transport.testing.SecretScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder's frame-level path ({@link Recorder#open}): frames written one by one give the
 * same stored segments and the same verified reads as {@link Recorder#seal(MediaSegment)}, which
 * is a decorator over it; a rotation happens when a segment opens; an aborted or failed segment
 * stores nothing, uses no sequence number, and the next one continues the chain.
 */
class RecorderFrameTest {
  @TempDir Path tmp;

  static Map<String, byte[]> segments(MemStore store) {
    Map<String, byte[]> out = new TreeMap<>();
    store.objects.forEach((k, v) -> {
      if (k.startsWith(ObjectNames.segmentPrefix(Household.STREAM))) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** Writes {@code s} into an open segment in frames of about {@code frame} bytes. */
  static SealedSegmentInfo writeInFrames(Recorder r, MediaSegment s, int frame) throws Exception {
    try (Recorder.OpenSegment open = r.open(s.startTime(), s.durationMicros())) {
      byte[] d = s.data();
      for (int at = 0, n = frame; at < d.length; at += n, n = n % 7000 + frame) {
        open.write(d, at, Math.min(n, d.length - at));
      }
      assertEquals(d.length, open.bytesWritten());
      return open.finish();
    }
  }

  @Test
  void framesWrittenOneByOneStoreAndVerifyAsWholeSegmentsDo() throws Exception {
    // two identical households (same seeds): one seals whole segments, the other writes frames
    Household whole = new Household(java.nio.file.Files.createDirectories(tmp.resolve("a")), 21);
    Household frames = new Household(java.nio.file.Files.createDirectories(tmp.resolve("b")), 21);
    List<SealedSegmentInfo> a = new ArrayList<>();
    List<SealedSegmentInfo> b = new ArrayList<>();
    try (Recorder ra = whole.recorder(3); Recorder rb = frames.recorder(3)) {
      for (int i = 0; i < 7; i++) {
        MediaSegment sa = whole.segment();
        MediaSegment sb = frames.segment();
        a.add(ra.seal(sa));
        b.add(writeInFrames(rb, sb, 1 + 997 * i));
      }
      assertEquals(ra.epochsStarted(), rb.epochsStarted());
      assertEquals(ra.segments(), rb.segments());
      assertEquals(ra.plaintextBytes(), rb.plaintextBytes());
      assertEquals(ra.sealedBytes(), rb.sealedBytes());
    }
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).header(), b.get(i).header(), "segment " + i);
      assertEquals(a.get(i).objectName(), b.get(i).objectName());
      assertEquals(a.get(i).sealedSizeBytes(), b.get(i).sealedSizeBytes());
      assertArrayEquals(a.get(i).digest(), b.get(i).digest(), "segment " + i);
    }
    Map<String, byte[]> sa = segments(whole.store);
    Map<String, byte[]> sb = segments(frames.store);
    assertEquals(7, sa.size());
    assertEquals(sa.keySet(), sb.keySet());
    sa.forEach((name, bytes) -> assertArrayEquals(bytes, sb.get(name), name));
    List<byte[]> readA = whole.read(whole.owner, 0, 10);
    List<byte[]> readB = frames.read(frames.owner, 0, 10);
    assertEquals(7, readB.size());
    for (int i = 0; i < readA.size(); i++) {
      assertArrayEquals(readA.get(i), readB.get(i), "verified segment " + i);
    }
    ChainVerifier chain = ChainVerifier.load(frames.store, Household.STREAM, frames.camera.identity().publicKey());
    assertTrue(chain.covers(6), "the chain manifest is signed after the last finish (at close)");
  }

  @Test
  void aRotationHappensWhenTheSegmentOpens() throws Exception {
    Household h = new Household(tmp, 22);
    try (Recorder r = h.recorder(2)) {
      r.seal(h.segment());
      r.seal(h.segment());
      assertEquals(1, r.epochsStarted());
      MediaSegment s = h.segment();
      try (Recorder.OpenSegment open = r.open(s.startTime(), s.durationMicros())) {
        assertEquals(2, r.epochsStarted(), "the count rotation is done at open, before any frame");
        EpochId epoch = open.header().epoch();
        assertEquals(r.epoch(), epoch);
        assertTrue(h.store.objects.containsKey(ObjectNames.envelope(Household.STREAM, epoch)),
            "the new epoch's envelope is stored before the segment's first byte");
        open.write(s.data(), 0, s.data().length);
        open.finish();
      }
      // a roster change: a new member gets the key of the very next segment, from its open on
      ViewerIdentity tablet = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(5));
      h.enrol(tablet, Roster.Role.VIEWER, "tablet");
      int accepted = h.accepted.size();
      MediaSegment t = h.segment();
      try (Recorder.OpenSegment open = r.open(t.startTime(), t.durationMicros())) {
        assertEquals(accepted + 1, h.accepted.size(), "the listener heard the roster at open");
        assertEquals(3, r.epochsStarted());
        open.write(t.data(), 0, t.data().length);
        open.finish();
      }
    }
    ViewerIdentity tablet = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(5));
    assertEquals(1, h.read(tablet, 3, 3).size(), "the segment after the enrolment is the tablet's");
  }

  @Test
  void anAbortedSegmentStoresNothingAndKeepsItsNumber() throws Exception {
    Household h = new Household(tmp, 23);
    try (Recorder r = h.recorder(0)) {
      r.seal(h.segment());
      MediaSegment s = h.segment();
      Recorder.OpenSegment open = r.open(s.startTime(), s.durationMicros());
      assertEquals(1, open.header().sequence());
      open.write(new byte[40_000], 0, 40_000); // two chunks already handed to the store's writer
      assertThrows(IllegalStateException.class, () -> r.open(s.startTime(), 1), "one open at a time");
      assertThrows(IllegalStateException.class, () -> r.seal(s), "no whole segment while one is open");
      open.close();
      assertThrows(IllegalStateException.class, () -> open.write(new byte[1], 0, 1));
      assertThrows(IllegalStateException.class, open::finish);
      assertEquals(1, segments(h.store).size(), "nothing of the aborted segment is stored");
      assertEquals(1, r.segments());
      SealedSegmentInfo next = r.seal(s);
      assertEquals(1, next.header().sequence(), "the aborted segment's number is used by the next one");
    }
    try (Recorder r = h.recorder(0)) {
      assertEquals(0, r.storeGaps());
      assertEquals(2, r.seal(h.segment()).header().sequence(), "the camera's head never counted the abort");
    }
    assertEquals(3, h.read(h.owner, 0, 10).size());
  }

  @Test
  void aStoreFailureMidWriteAbortsAndTheNextSegmentContinuesTheChain() throws Exception {
    Household h = new Household(tmp, 24);
    CameraHeadTest.DyingStore flaky = new CameraHeadTest.DyingStore(h.store);
    try (Recorder r = Recorder.builder().store(flaky).stream(Household.STREAM).camera(h.camera).clock(h.clock)
        .entropy(EntropySource.insecureDeterministicForTests(3)).build()) {
      SealedSegmentInfo first = r.seal(h.segment());
      MediaSegment s = h.segment();
      flaky.dieAfterBytes = 20_000;
      Recorder.OpenSegment open = r.open(s.startTime(), s.durationMicros());
      open.write(new byte[10_000], 0, 10_000);
      assertThrows(IOException.class, () -> open.write(new byte[30_000], 0, 30_000));
      assertThrows(IllegalStateException.class, () -> open.write(new byte[1], 0, 1), "aborted");
      assertThrows(IllegalStateException.class, open::finish);
      flaky.dieAfterBytes = -1;
      assertEquals(1, segments(h.store).size());
      SealedSegmentInfo next = writeInFrames(r, s, 1500);
      assertEquals(1, next.header().sequence());
      assertArrayEquals(first.digest(), next.header().previousDigest(), "the chain goes on from the last commit");
      assertEquals(2, r.segments());
    }
    assertEquals(2, h.read(h.owner, 0, 10).size(), "verified in order, no gap, no break");
  }

  @Test
  void finishedAndClosedSegmentsRefuseMoreAndBadDurationsDoNothing() throws Exception {
    Household h = new Household(tmp, 25);
    Recorder r = h.recorder(1);
    MediaSegment s = h.segment();
    int epochs = r.epochsStarted();
    assertThrows(IllegalArgumentException.class, () -> r.open(s.startTime(), -1));
    assertThrows(IllegalArgumentException.class,
        () -> r.open(s.startTime(), SegmentHeader.MAX_DURATION_MICROS + 1));
    assertEquals(epochs, r.epochsStarted(), "a refused open starts no epoch");
    Recorder.OpenSegment open = r.open(s.startTime(), s.durationMicros());
    open.write(s.data(), 0, s.data().length);
    SealedSegmentInfo info = open.finish();
    assertThrows(IllegalStateException.class, () -> open.write(new byte[1], 0, 1));
    assertThrows(IllegalStateException.class, open::finish);
    open.close(); // after finish: nothing to abort, the segment stays
    assertTrue(h.store.objects.containsKey(info.objectName()));
    assertThrows(IndexOutOfBoundsException.class, () -> r.open(s.startTime(), 1).write(new byte[1], 1, 1));
    r.close(); // closes (aborts) the one left open by the line above
    assertEquals(1, segments(h.store).size());
    assertThrows(IllegalStateException.class, () -> r.open(s.startTime(), 1));
    assertFalse(r.toString().isEmpty());
    // no window of the camera's signing seed, the epoch key or the segment key in either toString
    var epochKey = new dev.obscura.crypto.envelope.EnvelopeKeyResolver(h.store, h.owner).resolve(Household.STREAM, info.header().epoch());
    var access = dev.obscura.crypto.keys.InsecureSecretAccess.get();
    SecretScan.assertNoLeak(r + "\n" + open, h.camera.identity().signingKey().seed().toByteArray(access),
        epochKey.secret().toByteArray(access), dev.obscura.crypto.segment.SegmentKeys.derive(epochKey, info.header().segmentId(),
            dev.obscura.crypto.segment.SealingSuite.fromId(info.header().suite())).toByteArray(access));
  }

  @Test
  void theRecorderSealsWithTheChosenProvider() throws Exception {
    Household h = new Household(tmp, 26);
    CountingProvider counting = new CountingProvider();
    try (Recorder r = Recorder.builder().store(h.store).stream(Household.STREAM).camera(h.camera).clock(h.clock)
        .provider(counting).segmentsPerEpoch(2).build()) {
      for (int i = 0; i < 5; i++) {
        writeInFrames(r, h.segment(), 4000);
      }
      assertEquals(3, r.epochsStarted());
    }
    assertEquals(1, counting.made("Cipher", "AES"), "one cipher for every segment: " + counting.counts());
    assertEquals(5, h.read(h.owner, 0, 10).size(), "the default provider reads what Bouncy Castle sealed");
  }
}
