package dev.obscura.crypto.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.segment.SealedSegmentHead;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.segment.SegmentFormat;
import dev.obscura.crypto.segment.SegmentSealer;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.testing.MemStore;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChainManifestTest {
  static final StreamId CAM = StreamId.of("porch");
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  final SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(1));
  final SigningKey other = SigningKey.generate(EntropySource.insecureDeterministicForTests(2));

  static List<byte[]> digests(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] d = new byte[32];
      r.nextBytes(d);
      out.add(d);
    }
    return out;
  }

  @Test
  void signsParsesAndVerifies() throws Exception {
    List<byte[]> ds = digests(5, 7);
    ChainManifest m = ChainManifest.sign(CAM, 10, ds, camera);
    assertEquals(10, m.firstSequence());
    assertEquals(14, m.lastSequence());
    assertEquals("porch/manifests/0000000000000000014.man", m.objectName());
    byte[] enc = m.encode();
    assertEquals(6 + 5 + 16 + 16 + 5 * 32 + 64, enc.length);
    ChainManifest p = ChainManifest.parse(enc);
    p.verify(camera.verifyingKey());
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(ds.get(i), p.digestOf(10 + i));
    }
    assertTrue(p.covers(10));
    assertFalse(p.covers(15));
    assertThrows(IllegalArgumentException.class, () -> p.digestOf(9));
    assertArrayEquals(enc, p.encode());
    assertEquals(14L, ChainManifest.parseObjectName(CAM, m.objectName()).orElseThrow());
    assertTrue(ChainManifest.parseObjectName(StreamId.of("yard"), m.objectName()).isEmpty());
    assertTrue(ChainManifest.parseObjectName(CAM, "porch/manifests/9999999999999999999.man").isEmpty());
  }

  @Test
  void wrongCameraIsRefused() throws Exception {
    ChainManifest m = ChainManifest.sign(CAM, 0, digests(2, 1), camera);
    assertThrows(IntegrityException.class, () -> m.verify(other.verifyingKey()));
  }

  @Test
  void everyBitFlipIsRejected() throws Exception {
    byte[] enc = ChainManifest.sign(CAM, 3, digests(2, 3), camera).encode();
    int rejected = 0;
    for (int i = 0; i < enc.length * 8; i++) {
      byte[] t = enc.clone();
      t[i / 8] ^= (byte) (1 << (i % 8));
      try {
        ChainManifest.parse(t).verify(camera.verifyingKey());
        fail("bit " + i + " flipped and still accepted");
      } catch (MalformedDataException | IntegrityException expected) {
        rejected++;
      }
    }
    assertEquals(enc.length * 8, rejected);
  }

  @Test
  void everyTruncationAndExtensionIsRejected() throws Exception {
    byte[] enc = ChainManifest.sign(CAM, 3, digests(2, 3), camera).encode();
    for (int n = 0; n < enc.length; n++) {
      byte[] t = java.util.Arrays.copyOf(enc, n);
      assertThrows(MalformedDataException.class, () -> ChainManifest.parse(t));
    }
    assertThrows(MalformedDataException.class,
        () -> ChainManifest.parse(java.util.Arrays.copyOf(enc, enc.length + 1)));
  }

  @Test
  void hostileCountsAreRefusedBeforeAllocation() {
    // a 60-byte manifest claiming 2^62 segments, or 100001, or a reversed range
    for (long[] range : new long[][] {{0, 1L << 62}, {0, ChainManifest.MAX_DIGESTS}, {5, 4},
        {-1, 3}}) {
      ByteBuffer b = ByteBuffer.allocate(6 + 5 + 16 + 16 + 64);
      b.put(new byte[] {'O', 'B', 'S', 'M', 1, 5}).put(CAM.toBytes());
      b.putLong(range[0]).putLong(range[1]);
      byte[] bytes = b.array();
      MalformedDataException e =
          assertThrows(MalformedDataException.class, () -> ChainManifest.parse(bytes));
      assertTrue(e.getMessage().contains("range") || e.getMessage().contains("length"),
          e.getMessage());
    }
    assertThrows(MalformedDataException.class,
        () -> ChainManifest.parse(new byte[ChainManifest.MAX_ENCODED_BYTES + 1]));
    assertThrows(IllegalArgumentException.class,
        () -> ChainManifest.sign(CAM, 0, List.of(), camera));
    assertThrows(IllegalArgumentException.class,
        () -> ChainManifest.sign(CAM, 0, List.of(new byte[31]), camera));
  }

  // --- with real sealed segments ---

  record Recording(MemStore store, List<SealedSegmentInfo> infos) {}

  static Recording record(int n, SigningKey camera, int every) throws Exception {
    MemStore store = new MemStore();
    List<SealedSegmentInfo> infos = new ArrayList<>();
    try (SegmentSealer sealer = SegmentSealer.builder().store(store).stream(CAM)
            .epochKey(EpochKey.generate(CAM, EpochId.of(0), EntropySource.insecureDeterministicForTests(9)))
            .entropy(EntropySource.insecureDeterministicForTests(10)).build();
        ChainSigner chain = new ChainSigner(store, camera, every)) {
      for (int i = 0; i < n; i++) {
        byte[] data = new byte[300 + i];
        new SplittableRandom(i).nextBytes(data);
        SealedSegmentInfo info = sealer.seal(new MediaSegment(i, T0.plusSeconds(2L * i),
            i * 2_000_000L, 2_000_000L, 30, data));
        chain.accept(info);
        infos.add(info);
      }
    }
    return new Recording(store, infos);
  }

  static SealedSegmentHead head(MemStore store, long seq) throws Exception {
    // the whole object: the chain digest covers every sealed byte
    return SegmentFormat.headOfWhole(
        store.objects.get(ObjectNames.segment(new SegmentId(CAM, seq))));
  }

  static List<SealedSegmentHead> heads(MemStore store, long... seqs) throws Exception {
    List<SealedSegmentHead> out = new ArrayList<>();
    for (long s : seqs) {
      out.add(head(store, s));
    }
    return out;
  }

  @Test
  void signerWritesEveryNAndAtClose() throws Exception {
    Recording r = record(7, camera, 3);
    List<String> names = new ArrayList<>(r.store().objects.keySet());
    names.removeIf(n -> !n.startsWith(ChainManifest.prefix(CAM)));
    assertEquals(List.of(ChainManifest.objectName(CAM, 2), ChainManifest.objectName(CAM, 5),
        ChainManifest.objectName(CAM, 6)), names);
    ChainVerifier v = ChainVerifier.load(r.store(), CAM, camera.verifyingKey());
    assertEquals(3, v.manifests().size());
    assertEquals(6, v.lastCovered());
    for (SealedSegmentInfo info : r.infos()) {
      assertArrayEquals(info.digest(), v.digestOf(info.header().sequence()).orElseThrow());
    }
    v.checkRange(heads(r.store(), 0, 1, 2, 3, 4, 5, 6), 0, 6);
    v.checkRange(heads(r.store(), 2, 3, 4), 2, 4);
  }

  @Test
  void signerKeepsDigestsPendingWhenTheStoreFails() throws Exception {
    Recording r = record(2, camera, 100);
    MemStore store = new MemStore();
    ChainSigner chain = new ChainSigner(store, camera, 2);
    chain.accept(r.infos().get(0));
    store.failWrites = true;
    assertThrows(java.io.IOException.class, () -> chain.accept(r.infos().get(1)));
    assertEquals(2, chain.pendingSegments());
    store.failWrites = false;
    ChainManifest m = chain.flush().orElseThrow();
    assertEquals(0, m.firstSequence());
    assertEquals(1, m.lastSequence());
    assertEquals(0, chain.pendingSegments());
    assertTrue(chain.flush().isEmpty());
  }

  @Test
  void rangeCheckDetectsDropInsertReorderModifyAndUncovered() throws Exception {
    Recording r = record(6, camera, 4); // manifests 0..3, 4..5
    ChainVerifier v = ChainVerifier.load(r.store(), CAM, camera.verifyingKey());
    MemStore s = r.store();
    // dropped
    assertThrows(ChainBrokenException.class, () -> v.checkRange(heads(s, 1, 3, 4), 1, 4));
    // tail dropped
    assertThrows(ChainBrokenException.class, () -> v.checkRange(heads(s, 1, 2, 3), 1, 4));
    // reordered
    assertThrows(ChainBrokenException.class, () -> v.checkRange(heads(s, 1, 3, 2, 4), 1, 4));
    // duplicated / inserted
    assertThrows(ChainBrokenException.class, () -> v.checkRange(heads(s, 1, 2, 2, 3, 4), 1, 4));
    // extra after the range
    assertThrows(ChainBrokenException.class, () -> v.checkRange(heads(s, 1, 2, 3, 4, 5), 1, 4));
    // modified header (the start time moved): the digest no longer matches
    SealedSegmentHead h2 = head(s, 2);
    dev.obscura.core.SegmentHeader moved = new dev.obscura.core.SegmentHeader(
        h2.header().suite(), h2.header().segmentId(), h2.header().epoch(),
        h2.header().startTime().plusSeconds(1), h2.header().durationMicros(),
        h2.header().previousDigest());
    byte[] sealed2 = s.objects.get(ObjectNames.segment(new SegmentId(CAM, 2)));
    byte[] forgedBytes = sealed2.clone();
    System.arraycopy(moved.toBytes(), 0, forgedBytes, 0, moved.length());
    SealedSegmentHead forged = SegmentFormat.headOfWhole(forgedBytes);
    List<SealedSegmentHead> withForged = heads(s, 1);
    withForged.add(forged);
    withForged.addAll(heads(s, 3, 4));
    assertThrows(ChainBrokenException.class, () -> v.checkRange(withForged, 1, 4));
    // not covered: a segment sealed after the last manifest
    ChainVerifier partial = ChainVerifier.of(CAM, camera.verifyingKey(),
        List.of(v.manifests().get(0)));
    assertThrows(ChainBrokenException.class, () -> partial.checkRange(heads(s, 3, 4), 3, 4));
    partial.checkRange(heads(s, 3), 3, 3);
  }

  @Test
  void forgedOrForkedManifestsAreRefused() throws Exception {
    Recording r = record(3, camera, 3);
    ChainManifest real = ChainVerifier.load(r.store(), CAM, camera.verifyingKey()).manifests().get(0);
    // a manifest by another key, planted by the store
    ChainManifest planted = ChainManifest.sign(CAM, 0, digests(3, 5), other);
    assertThrows(IntegrityException.class,
        () -> ChainVerifier.of(CAM, camera.verifyingKey(), List.of(real, planted)));
    // the camera itself signing two different digests for one segment
    ChainManifest fork = ChainManifest.sign(CAM, 2, digests(1, 5), camera);
    assertThrows(IntegrityException.class,
        () -> ChainVerifier.of(CAM, camera.verifyingKey(), List.of(real, fork)));
    // another stream's manifest
    ChainManifest yard = ChainManifest.sign(StreamId.of("yard"), 0, digests(1, 5), camera);
    assertThrows(ChainBrokenException.class,
        () -> ChainVerifier.of(CAM, camera.verifyingKey(), List.of(yard)));
    // a manifest stored under the wrong name
    r.store().objects.put(ChainManifest.objectName(CAM, 7), real.encode());
    assertThrows(MalformedDataException.class,
        () -> ChainVerifier.load(r.store(), CAM, camera.verifyingKey()));
  }

  @Test
  void toStringShowsNoSecrets() {
    ChainManifest m = ChainManifest.sign(CAM, 0, digests(1, 1), camera);
    assertTrue(m.toString().startsWith("ChainManifest[porch 0..0"));
    ChainSigner signer = new ChainSigner(new MemStore(), camera, 2);
    byte[] seed = camera.seed().toByteArray(dev.obscura.crypto.keys.InsecureSecretAccess.get());
    dev.obscura.transport.testing.SecretScan.assertNoLeak(m + "\n" + signer + "\n" + camera, seed);
  }
}
