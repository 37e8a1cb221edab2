package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.EpochId;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import dev.obscura.core.TamperedSegmentException;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamReaderTest {
  static final StreamId CAM = StreamId.of("front-door");
  static final StreamId YARD = StreamId.of("yard");

  final MemoryStore store = new MemoryStore();
  final Fixtures.Keyring ring = new Fixtures.Keyring();

  /** Seals n segments of stream (segment i has plaintext seed i*100+salt, size 1000+i*5000). */
  void record(MemoryStore into, StreamId stream, int n, long epochSeed) throws Exception {
    try (SegmentSealer s = SegmentSealer.builder().resumeFrom(into).stream(stream)
        .epochKey(ring.create(stream, 0, epochSeed)).build()) {
      for (int i = 0; i < n; i++) {
        long seq = s.nextSequence();
        s.seal(Fixtures.segment(seq, seq * 100 + stream.value().length(), 1000 + (int) seq * 5000));
      }
    }
  }

  static String name(StreamId s, long seq) {
    return ObjectNames.segment(new SegmentId(s, seq));
  }

  List<Long> readAll(StreamReader r) throws Exception {
    List<Long> seqs = new ArrayList<>();
    for (OpenedSegment o; (o = r.next()) != null; ) {
      long seq = o.header().sequence();
      assertArrayEquals(Fixtures.bytes(seq * 100 + o.header().stream().value().length(),
          1000 + (int) seq * 5000), o.plaintext());
      seqs.add(seq);
    }
    return seqs;
  }

  @Test
  void readsAWholeStreamAndRanges() throws Exception {
    record(store, CAM, 6, 1);
    record(store, YARD, 2, 2);
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      assertEquals(6, r.headers().size());
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), readAll(r));
      assertNull(r.next());
    }
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
        .sequenceRange(2, 4).build()) {
      assertEquals(List.of(2L, 3L, 4L), readAll(r));
    }
    // segments start every 4 s from T0: [T0+5s, T0+12s) overlaps segments 1 (4-8 s) and 2 (8-12 s)
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
        .timeRange(Fixtures.T0.plusSeconds(5), Fixtures.T0.plusSeconds(12)).build()) {
      assertEquals(List.of(1L, 2L), readAll(r));
    }
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
        .timeRange(Fixtures.T0.plusSeconds(100), Fixtures.T0.plusSeconds(200)).build()) {
      // after the newest segment's end (T0+24s): nothing, not the newest segment
      assertEquals(List.of(), readAll(r));
    }
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
        .timeRange(Fixtures.T0.minusSeconds(100), Fixtures.T0).build()) {
      assertEquals(List.of(), readAll(r));
    }
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
        .sequenceRange(10, 20).build()) {
      assertEquals(List.of(), readAll(r));
    }
  }

  @Test
  void recordingTwiceMakesOneChainAcrossEpochs() throws Exception {
    record(store, CAM, 2, 1);
    // second run: resumes after the last segment, in a new epoch, with a rotation in between
    try (SegmentSealer s = SegmentSealer.builder().resumeFrom(store).stream(CAM)
        .epochKey(ring.create(CAM, 1, 5)).build()) {
      assertEquals(2, s.nextSequence());
      s.seal(Fixtures.segment(2, 200 + 10, 1000 + 2 * 5000));
      s.rotate(ring.create(CAM, 2, 6));
      s.seal(Fixtures.segment(3, 300 + 10, 1000 + 3 * 5000));
    }
    ring.resolves = 0;
    List<EpochKey> before = new ArrayList<>(ring.handedOut);
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      assertEquals(List.of(0L, 1L, 2L, 3L), readAll(r));
      assertEquals(3, ring.resolves, "one resolve per epoch");
      assertEquals(List.of(EpochId.of(0), EpochId.of(0), EpochId.of(1), EpochId.of(2)),
          r.headers().stream().map(SegmentHeader::epoch).toList());
    }
    for (EpochKey k : ring.handedOut) {
      if (!before.contains(k)) {
        assertTrue(k.secret().isDestroyed(), "reader destroys keys on close");
      }
    }
  }

  @Test
  void droppingTheMiddleSegmentBreaksTheChain() throws Exception {
    record(store, CAM, 5, 1);
    store.objects.remove(name(CAM, 2));
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      assertEquals(0, r.next().header().sequence());
      assertEquals(1, r.next().header().sequence());
      ChainBrokenException e = assertThrows(ChainBrokenException.class, r::next);
      assertTrue(e.getMessage().contains("segment 2 "), e.getMessage());
      assertSame(e, assertThrows(ChainBrokenException.class, r::next), "failure is sticky");
    }
    // a range that starts right after the gap cannot verify its predecessor
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
        .sequenceRange(3, 4).build()) {
      assertThrows(ChainBrokenException.class, r::next);
    }
    // a range that lies inside the gap
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
        .sequenceRange(2, 2).build()) {
      assertThrows(ChainBrokenException.class, r::next);
    }
    // a range that starts in the gap
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
        .sequenceRange(2, 4).build()) {
      assertThrows(ChainBrokenException.class, r::next);
    }
  }

  @Test
  void swappingTwoSegmentsBreaksTheChain() throws Exception {
    record(store, CAM, 4, 1);
    byte[] one = store.get(name(CAM, 1));
    store.set(name(CAM, 1), store.get(name(CAM, 2)));
    store.set(name(CAM, 2), one);
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      r.next();
      ChainBrokenException e = assertThrows(ChainBrokenException.class, r::next);
      assertTrue(e.getMessage().contains("1"), e.getMessage());
    }
  }

  @Test
  void replayingASegmentAtAnotherPositionBreaksTheChain() throws Exception {
    record(store, CAM, 4, 1);
    store.set(name(CAM, 3), store.get(name(CAM, 1)));
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      r.next();
      r.next();
      r.next();
      assertThrows(ChainBrokenException.class, r::next);
    }
  }

  @Test
  void replayingASegmentFromAnotherStreamBreaksTheChain() throws Exception {
    record(store, CAM, 3, 1);
    record(store, YARD, 3, 2);
    store.set(name(CAM, 1), store.get(name(YARD, 1)));
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      r.next();
      ChainBrokenException e = assertThrows(ChainBrokenException.class, r::next);
      assertTrue(e.getMessage().contains("yard"), e.getMessage());
    }
  }

  @Test
  void splicingInASegmentOfAnotherRecordingBreaksTheChain() throws Exception {
    // two recordings of the same stream and epoch key: same names, same keys, different chains
    MemoryStore other = new MemoryStore();
    byte[] k = Fixtures.bytes(77, 32);
    for (MemoryStore s : new MemoryStore[] {store, other}) {
      try (SegmentSealer sealer = SegmentSealer.builder().store(s).stream(CAM)
          .epochKey(new EpochKey(CAM, EpochId.of(0), SecretBytes.copyFrom(k, InsecureSecretAccess.get())))
          .entropy(Fixtures.entropy(s == store ? 1 : 2)).build()) {
        for (int i = 0; i < 3; i++) {
          sealer.seal(Fixtures.segment(i, i * 100 + CAM.value().length(), 1000 + i * 5000));
        }
      }
    }
    ring.keys.put(CAM + "/0", k);
    store.set(name(CAM, 1), other.get(name(CAM, 1)));
    // on its own the spliced segment is authentic
    new SegmentOpener().open(store.get(name(CAM, 1)), ring);
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      // segment 0 is released only if its stored successor names it: here it does not
      ChainBrokenException e = assertThrows(ChainBrokenException.class, r::next);
      assertTrue(e.getMessage().contains("segment 1 "), e.getMessage());
    }
    // and the segment after it does not follow it either
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
        .sequenceRange(2, 2).build()) {
      assertThrows(ChainBrokenException.class, r::next);
    }
  }

  @Test
  void aTamperedOrReKeyedSegmentInTheMiddleIsTyped() throws Exception {
    record(store, CAM, 3, 1);
    byte[] s1 = store.get(name(CAM, 1));
    s1[s1.length - 3] ^= 4;
    store.set(name(CAM, 1), s1);
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      r.next();
      assertThrows(TamperedSegmentException.class, r::next);
      assertThrows(TamperedSegmentException.class, r::next);
    }
    s1[s1.length - 3] ^= 4;
    ring.keys.put(CAM + "/0", Fixtures.bytes(5, 32));
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      assertThrows(KeyMismatchException.class, r::next);
    }
  }

  @Test
  void resumingInTheSameEpochChecksTheLastSegmentsCommitment() throws Exception {
    record(store, CAM, 2, 1);
    // same epoch number, different key bytes: refused instead of forking the chain
    assertThrows(dev.obscura.core.MalformedDataException.class, () -> SegmentSealer.builder()
        .resumeFrom(store).stream(CAM).epochKey(ring.create(CAM, 0, 999)).build());
    ring.create(CAM, 0, 1); // restore the right key in the ring
    // a forged head (commitment changed) is caught too
    byte[] last = store.get(name(CAM, 1)).clone();
    int hl = dev.obscura.core.SegmentHeader.parse(last).length();
    last[hl + 30] ^= 1;
    store.set(name(CAM, 1), last);
    assertThrows(dev.obscura.core.MalformedDataException.class, () -> SegmentSealer.builder()
        .resumeFrom(store).stream(CAM).epochKey(ring.create(CAM, 0, 1)).build());
  }

  @Test
  void aSegmentKeyOpensItsSegmentAndNoOther() throws Exception {
    record(store, CAM, 2, 1);
    EpochKey ek = ring.resolve(CAM, EpochId.of(0));
    SecretBytes k1 = SegmentKeys.derive(ek, new SegmentId(CAM, 1), SealingSuite.AES_256_GCM);
    OpenedSegment o = new SegmentOpener().openWithSegmentKey(store.get(name(CAM, 1)), k1);
    assertEquals(1, o.header().sequence());
    assertThrows(KeyMismatchException.class,
        () -> new SegmentOpener().openWithSegmentKey(store.get(name(CAM, 0)), k1));
    SecretBytes short16 = SegmentKeys.derive(ek, new SegmentId(CAM, 1), SealingSuite.AES_128_GCM);
    assertThrows(IllegalArgumentException.class,
        () -> new SegmentOpener().openWithSegmentKey(store.get(name(CAM, 1)), short16));
  }

  /** Re-encrypts segment seq of CAM with other content under its own key, header and salt. */
  byte[] reencrypt(long seq, byte[] plaintext) throws Exception {
    byte[] sealed = store.get(name(CAM, seq));
    SegmentHeader h = SegmentFormat.parseHeader(sealed);
    EpochKey ek = ring.resolve(CAM, h.epoch());
    SecretBytes sk = SegmentKeys.derive(ek, h.segmentId(), SealingSuite.fromId(h.suite()));
    byte[] salt = java.util.Arrays.copyOfRange(sealed, h.length(), h.length() + 24);
    byte[] ct = dev.obscura.crypto.chunked.ChunkedEncryption.encrypt(
        SealingSuite.fromId(h.suite()).chunkedSuite(), sk, h.toBytes(), plaintext,
        out -> System.arraycopy(salt, 0, out, 0, out.length));
    byte[] forged = java.util.Arrays.copyOf(h.toBytes(), h.length() + ct.length);
    System.arraycopy(ct, 0, forged, h.length(), ct.length);
    // same header, salt and commitment: only the ciphertext differs
    assertArrayEquals(java.util.Arrays.copyOf(sealed, h.length() + 56),
        java.util.Arrays.copyOf(forged, h.length() + 56));
    return forged;
  }

  @Test
  void aKeyHoldersReencryptionIsRefusedAndNoneOfItIsReleased() throws Exception {
    record(store, CAM, 4, 1);
    byte[] evil = new byte[6000];
    java.util.Arrays.fill(evil, (byte) 0x5a);
    store.set(name(CAM, 2), reencrypt(2, evil));
    // it opens on its own: the commitment binds the key, not the message
    assertArrayEquals(evil, new SegmentOpener().open(store.get(name(CAM, 2)), ring).plaintext());
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      List<byte[]> released = new ArrayList<>();
      assertEquals(0, r.next().header().sequence());
      assertEquals(1, r.next().header().sequence());
      assertThrows(ChainBrokenException.class, () -> released.add(r.next().plaintext()));
      assertThrows(ChainBrokenException.class, r::next);
      assertTrue(released.isEmpty());
    }
    // a range that starts right after it: its digest is recomputed from every byte
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
        .sequenceRange(3, 3).build()) {
      assertThrows(ChainBrokenException.class, r::next);
    }
  }

  @Test
  void aRangeInsideAGapOrAfterTheEndSelectsNothing() throws Exception {
    // segments of 4 s at T0+0, T0+4 and, after a gap, T0+20 (so 8..20 s has no footage)
    try (SegmentSealer s = SegmentSealer.builder().store(store).stream(CAM)
        .epochKey(ring.create(CAM, 0, 5)).build()) {
      s.seal(Fixtures.segment(0, 1, 100));
      s.seal(Fixtures.segment(1, 2, 100));
      s.seal(Fixtures.segment(5, 3, 100));
    }
    java.util.function.BiFunction<Integer, Integer, List<Long>> select = (from, to) -> {
      try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring)
          .timeRange(Fixtures.T0.plusSeconds(from), Fixtures.T0.plusSeconds(to)).build()) {
        List<Long> seqs = new ArrayList<>();
        for (OpenedSegment o; (o = r.next()) != null; ) {
          seqs.add(o.header().sequence());
        }
        return seqs;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    assertEquals(List.of(), select.apply(9, 19));   // inside the gap
    assertEquals(List.of(), select.apply(8, 20));   // exactly the gap
    assertEquals(List.of(), select.apply(24, 60));  // after the end
    assertEquals(List.of(1L), select.apply(7, 19)); // ends inside the gap
    assertEquals(List.of(2L), select.apply(19, 21));
    assertEquals(List.of(0L, 1L, 2L), select.apply(0, 24));
  }
}
