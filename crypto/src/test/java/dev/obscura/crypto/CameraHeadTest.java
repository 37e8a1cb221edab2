package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentId;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.chain.ChainManifest;
import dev.obscura.crypto.chain.ChainVerifier;
import dev.obscura.crypto.testing.ForwardingStore;
import dev.obscura.crypto.testing.MemStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The camera keeps its own chain head and never believes the store's listing: a store truncated
 * behind its back cannot make it reuse a number or overwrite a manifest; what it sealed before a
 * stop is covered by a signed manifest after the restart; a commit cut off midway is settled from
 * what the store holds; and it keeps recording with its pinned roster while the store is away.
 */
class CameraHeadTest {
  @TempDir Path tmp;

  static final String SEGMENTS = ObjectNames.segmentPrefix(Household.STREAM);

  static Recorder recorder(Household h, SegmentStore store, int manifestEvery) throws Exception {
    return Recorder.builder().store(store).stream(Household.STREAM).camera(h.camera).clock(h.clock)
        .chainSigner(h.camera.identity().signingKey(), manifestEvery).build();
  }

  static Map<String, byte[]> manifests(MemStore store) {
    TreeMap<String, byte[]> out = new TreeMap<>();
    store.objects.forEach((k, v) -> {
      if (k.startsWith(Household.STREAM + "/manifests/")) {
        out.put(k, v.clone());
      }
    });
    return out;
  }

  @Test
  void aTruncatedStoreMakesTheCameraReportTheGapAndContinueAbove() throws Exception {
    Household h = new Household(tmp, 1);
    try (Recorder r = recorder(h, h.store, 3)) {
      for (int i = 0; i < 6; i++) {
        r.seal(h.segment());
      }
    }
    Map<String, byte[]> before = manifests(h.store);
    assertEquals(2, before.size(), before.keySet().toString());
    // the store drops the newest segments (and the manifest that lists them) behind the camera's back
    for (long seq = 3; seq < 6; seq++) {
      h.store.objects.remove(ObjectNames.segment(new SegmentId(Household.STREAM, seq)));
    }
    h.store.objects.remove(ChainManifest.objectName(Household.STREAM, 5));
    try (Recorder r = recorder(h, h.store, 3)) {
      assertEquals(3, r.storeGaps(), "the camera reports the acknowledged segments the store lacks");
      assertEquals(6, r.seal(h.segment()).header().sequence(), "no number is reused");
      r.seal(h.segment());
      r.seal(h.segment());
    }
    // no manifest was overwritten: the first is unchanged, the dropped one is not re-signed differently
    assertTrue(java.util.Arrays.equals(before.get(ChainManifest.objectName(Household.STREAM, 2)),
        h.store.objects.get(ChainManifest.objectName(Household.STREAM, 2))));
    assertFalse(h.store.objects.containsKey(ChainManifest.objectName(Household.STREAM, 5)));
    ChainVerifier chain = ChainVerifier.load(h.store, Household.STREAM, h.camera.identity().publicKey());
    for (long seq : new long[] {0, 1, 2, 6, 7, 8}) {
      assertTrue(chain.covers(seq), "segment " + seq + " is covered");
    }
  }

  @Test
  void completenessNamesWhatASignedManifestListsAndTheStoreLacks() throws Exception {
    Household h = new Household(tmp, 10);
    try (Recorder r = recorder(h, h.store, 3)) {
      for (int i = 0; i < 7; i++) {
        r.seal(h.segment());
      }
    }
    dev.obscura.crypto.trust.VerifiedStore view = h.open(h.owner);
    var cameras = view.cameraKeys();
    var whole = view.completeness(Household.STREAM, cameras);
    assertEquals(0, whole.missingCount());
    assertEquals(6, whole.lastCovered(), "closing signed the last run");
    assertEquals(0, whole.uncovered());
    whole.requireNothingMissing(Household.STREAM);
    // the store drops segment 5, which the camera's manifest up to 5 lists
    h.store.objects.remove(ObjectNames.segment(new SegmentId(Household.STREAM, 5)));
    var cut = view.completeness(Household.STREAM, cameras);
    assertEquals(List.of(5L), cut.missing());
    dev.obscura.core.ChainBrokenException e = assertThrows(dev.obscura.core.ChainBrokenException.class,
        () -> cut.requireNothingMissing(Household.STREAM));
    assertTrue(e.getMessage().contains("listed in the camera's signed manifest"), e.getMessage());
    // the store drops the newest manifest too: the segments after the newest left are named
    h.store.objects.remove(ChainManifest.objectName(Household.STREAM, 6));
    h.store.objects.remove(ChainManifest.objectName(Household.STREAM, 5));
    var uncovered = view.completeness(Household.STREAM, cameras);
    assertEquals(2, uncovered.lastCovered());
    assertEquals(3, uncovered.uncovered(), "segments 3, 4 and 6 are after the newest manifest");
    assertTrue(uncovered.uncoveredNote(Household.T0.plusSeconds(100)).orElseThrow().startsWith("3 segment(s)"));
  }

  @Test
  void segmentsSealedBeforeAStopAreCoveredByAManifestAfterTheRestart() throws Exception {
    Household h = new Household(tmp, 2);
    Recorder stopped = recorder(h, h.store, 30);
    for (int i = 0; i < 4; i++) {
      stopped.seal(h.segment());
    }
    // the process dies: close() never runs, no manifest was written
    assertTrue(manifests(h.store).isEmpty());
    try (Recorder r = recorder(h, h.store, 30)) {
      ChainVerifier chain = ChainVerifier.load(h.store, Household.STREAM, h.camera.identity().publicKey());
      for (long seq = 0; seq < 4; seq++) {
        assertTrue(chain.covers(seq), "segment " + seq + " sealed before the stop is covered at restart");
      }
      assertEquals(4, r.seal(h.segment()).header().sequence());
    }
  }

  /**
   * A store whose next segment commit dies: before the commit (nothing stored) or just after it;
   * or whose segment writers die once they were handed more than {@code dieAfterBytes} bytes.
   */
  static final class DyingStore extends ForwardingStore {
    boolean dieBefore;
    boolean dieAfter;
    long dieAfterBytes = -1;

    DyingStore(MemStore inner) {
      super(inner);
    }

    @Override
    public ObjectWriter create(String name) throws IOException {
      ObjectWriter w = inner.create(name);
      boolean segment = ObjectNames.parseSegment(name).isPresent();
      long limit = segment ? dieAfterBytes : -1;
      return new ForwardingStore.Writer(w) {
        long written;

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          written += len;
          if (limit >= 0 && written > limit) {
            throw new IOException("killed after " + limit + " bytes of the segment");
          }
          super.write(b, off, len);
        }

        @Override
        public void commit() throws IOException {
          if (segment && dieBefore) {
            throw new IOException("killed before the commit");
          }
          super.commit();
          if (segment && dieAfter) {
            throw new IOException("killed after the commit");
          }
        }
      };
    }
  }

  @Test
  void aCommitCutOffAfterTheStoreHadItIsAdoptedNotSealedAgain() throws Exception {
    Household h = new Household(tmp, 3);
    DyingStore dying = new DyingStore(h.store);
    Recorder r1 = recorder(h, dying, 30);
    r1.seal(h.segment());
    dying.dieAfter = true;
    assertThrows(IOException.class, () -> r1.seal(h.segment()));
    byte[] stored = h.store.objects.get(ObjectNames.segment(new SegmentId(Household.STREAM, 1))).clone();
    assertEquals(1, h.camera.chainHead(Household.STREAM).orElseThrow().inFlight(), "the head knew 1 was in flight");
    try (Recorder r2 = recorder(h, h.store, 30)) {
      assertEquals(2, r2.seal(h.segment()).header().sequence(), "segment 1 is the camera's: the chain goes on after it");
    }
    assertTrue(java.util.Arrays.equals(stored,
        h.store.objects.get(ObjectNames.segment(new SegmentId(Household.STREAM, 1)))), "segment 1 not overwritten");
    assertEquals(3, Household.read(h.open(h.owner), h.owner, 0, 2).size(), "the stream reads whole");
    ChainVerifier chain = ChainVerifier.load(h.store, Household.STREAM, h.camera.identity().publicKey());
    assertTrue(chain.covers(1), "the adopted segment is in a signed manifest");
  }

  @Test
  void aSegmentInFlightThatASignedManifestCoversIsNeverSealedAgainEvenIfTheStoreLostIt() throws Exception {
    Household h = new Household(tmp, 41);
    try (Recorder r = recorder(h, h.store, 1)) { // a manifest after every segment
      for (int i = 0; i < 3; i++) {
        r.seal(h.segment());
      }
    }
    // the stop came after the manifest over segment 2 was stored and before the head said so;
    // then the store lost segment 2
    byte[] digest1 = dev.obscura.crypto.chain.ChainVerifier.load(h.store, Household.STREAM,
        h.camera.identity().publicKey()).digestOf(1).orElseThrow();
    h.camera.saveChainHead(Household.STREAM, new CameraState.ChainHead(2, digest1, 2, 2, List.of()));
    String seg2 = ObjectNames.segment(new SegmentId(Household.STREAM, 2));
    h.store.delete(seg2);
    String manifest2 = dev.obscura.crypto.chain.ChainManifest.objectName(Household.STREAM, 2);
    byte[] signed = h.store.objects.get(manifest2).clone();
    try (Recorder r = recorder(h, h.store, 1)) {
      assertEquals(1, r.storeGaps(), "the lost segment is reported");
      assertEquals(3, r.seal(h.segment()).header().sequence(), "its number is not sealed again");
    }
    assertFalse(h.store.objects.containsKey(seg2));
    assertArrayEquals(signed, h.store.objects.get(manifest2), "the signed manifest over it is not rewritten");
  }

  @Test
  void aCommitCutOffBeforeTheStoreHadItIsSealedAgainUnderItsNumber() throws Exception {
    Household h = new Household(tmp, 4);
    DyingStore dying = new DyingStore(h.store);
    Recorder r1 = recorder(h, dying, 30);
    r1.seal(h.segment());
    dying.dieBefore = true;
    assertThrows(IOException.class, () -> r1.seal(h.segment()));
    assertFalse(h.store.objects.containsKey(ObjectNames.segment(new SegmentId(Household.STREAM, 1))));
    try (Recorder r2 = recorder(h, h.store, 30)) {
      // segment 1 was never acknowledged and nothing refers to it
      assertEquals(1, r2.seal(h.segment()).header().sequence());
    }
    assertEquals(2, Household.read(h.open(h.owner), h.owner, 0, 1).size());
  }

  @Test
  void aCameraWithoutAHeadRefusesAStreamItDidNotSeal() throws Exception {
    Household h = new Household(tmp, 5);
    try (Recorder r = recorder(h, h.store, 30)) {
      r.seal(h.segment());
    }
    Files.delete(h.cameraDir.resolve("chain-" + Household.STREAM));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> recorder(h, h.store, 30));
    assertTrue(e.getMessage().contains("did not seal"), e.getMessage());
  }

  @Test
  void aDamagedHeadIsRefusedNotReset() throws Exception {
    Household h = new Household(tmp, 6);
    try (Recorder r = recorder(h, h.store, 30)) {
      r.seal(h.segment());
    }
    Files.writeString(h.cameraDir.resolve("chain-" + Household.STREAM), "obscura-camera-chain v1\nnext x\n");
    IOException e = assertThrows(IOException.class, () -> recorder(h, h.store, 30));
    assertTrue(e.getMessage().contains("damaged"), e.getMessage());
  }

  @Test
  void manifestsAreSignedOnATimeCadenceToo() throws Exception {
    Household h = new Household(tmp, 7);
    try (Recorder r = Recorder.builder().store(h.store).stream(Household.STREAM).camera(h.camera).clock(h.clock)
        .chainSigner(h.camera.identity().signingKey(), 1000).chainEvery(Duration.ofSeconds(60)).build()) {
      r.seal(h.segment());
      h.clock.advance(Duration.ofSeconds(30));
      r.seal(h.segment());
      assertTrue(manifests(h.store).isEmpty(), "neither count nor time reached");
      h.clock.advance(Duration.ofSeconds(31));
      r.seal(h.segment());
      assertEquals(1, manifests(h.store).size(), "60 s since the start: a manifest");
      assertEquals(0, r.chainPendingSegments());
    }
  }

  /** A spool-like store: commits always work (locally); reading and listing fail while away. */
  static final class AwayStore extends ForwardingStore {
    boolean away;

    AwayStore(MemStore inner) {
      super(inner);
    }

    @Override
    public InputStream open(String name) throws IOException {
      if (away) {
        throw new IOException("connection refused");
      }
      return inner.open(name);
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
      if (away) {
        throw new IOException("connection refused");
      }
      return inner.list(prefix);
    }
  }

  @Test
  void thePairedCameraRecordsWhileTheStoreIsAwayAndARosterChangeLaterStartsAnEpoch() throws Exception {
    Household h = new Household(tmp, 8);
    AwayStore store = new AwayStore(h.store);
    try (Recorder r = recorder(h, store, 30)) {
      r.seal(h.segment()); // pairs with the store present
    }
    store.away = true;
    long epochBefore;
    dev.obscura.crypto.keys.ViewerIdentity tablet = dev.obscura.crypto.keys.ViewerIdentity.generate();
    try (Recorder r = recorder(h, store, 30)) {
      for (int i = 0; i < 3; i++) {
        r.seal(h.segment());
      }
      epochBefore = r.epoch().value();
      // the owner enrols a tablet meanwhile; the store comes back
      store.away = false;
      h.enrol(tablet, dev.obscura.crypto.roster.Roster.Role.VIEWER, "tablet");
      r.seal(h.segment());
      assertTrue(r.epoch().value() > epochBefore, "the roster change starts a new epoch");
    }
    assertEquals(5, Household.read(h.open(h.owner), h.owner, 0, 4).size(), "everything reads, in order");
    assertEquals(1, Household.read(h.open(tablet), tablet, 4, 4).size());
  }

  @Test
  void theHeadFileHoldsNumbersAndPublicDigestsOnly() throws Exception {
    Household h = new Household(tmp, 9);
    try (Recorder r = recorder(h, h.store, 30)) {
      r.seal(h.segment());
      r.seal(h.segment());
    }
    List<String> lines = Files.readAllLines(h.cameraDir.resolve("chain-" + Household.STREAM));
    assertEquals("obscura-camera-chain v1", lines.get(0));
    CameraState.ChainHead head = h.camera.chainHead(Household.STREAM).orElseThrow();
    assertEquals(2, head.nextSequence());
    assertEquals(-1, head.inFlight());
    for (String l : lines.subList(1, lines.size())) {
      assertTrue(l.startsWith("#") || l.matches("(next \\d+|digest [0-9a-f]{64}|inflight (-|\\d+)|pending \\d+( [0-9a-f]{64})*)"),
          "only numbers and digests: " + l);
    }
  }
}
