package dev.obscura.crypto;

import static dev.obscura.crypto.RetentionRecording.DAY;
import static dev.obscura.crypto.RetentionRecording.range;
import static dev.obscura.crypto.RetentionRecording.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.ObjectNames;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.audit.PruneRecord;
import dev.obscura.crypto.chain.ChainManifest;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.retention.Pruner;
import dev.obscura.crypto.retention.RetentionPolicy;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.segment.StreamStart;
import dev.obscura.crypto.testing.ForwardingStore;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.crypto.trust.EnrolmentException;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention through the SDK, and the store playing the hostile provider around it. Five epochs of
 * four segments (0..19, segment i from T0+2i s for 2 s), chain manifests every three segments
 * (0..2, 3..5, 6..8, ...: the manifest 6..8 straddles the first cut at 8). Every read goes through
 * the one verification path: {@link VerifiedStore#reader} and {@link VerifiedStore#completeness}.
 */
class RetentionTest {
  @TempDir Path tmp;

  Household h;
  ViewerIdentity tablet;
  RetentionRecording rec;

  @BeforeEach
  void record() throws Exception {
    h = new Household(tmp, 9);
    tablet = RetentionRecording.enrolTablet(h, 77);
    rec = new RetentionRecording(h);
  }

  static String man(long last) {
    return ChainManifest.objectName(Household.STREAM, last);
  }

  TreeMap<String, byte[]> copy() {
    return new TreeMap<>(h.store.objects);
  }

  /** Every stored object's name and bytes (hex), comparable by content. */
  TreeMap<String, String> contents() {
    TreeMap<String, String> out = new TreeMap<>();
    h.store.objects.forEach((k, v) -> out.put(k, java.util.HexFormat.of().formatHex(v)));
    return out;
  }

  @Test
  void pruneDeletesWholeOldEpochsWithEnvelopesAndManifestsAndTheRestVerifies() throws Exception {
    assertEquals(range(0, 19), rec.readAll(h.owner));
    TreeMap<String, String> before = contents();
    Pruner.Plan dry = rec.pruner(h.owner).plan(Household.STREAM, DAY);
    assertEquals(before, contents(), "planning deletes (or changes) nothing");
    assertTrue(h.store.objects.containsKey(seg(0)));
    assertEquals(8, dry.firstKept());
    Pruner.Result r = rec.pruner(h.owner).prune(Household.STREAM, DAY);
    assertEquals(dry.deletions(), r.plan().deletions());
    assertEquals(2, r.plan().epochs().size());
    assertEquals(8, r.plan().segmentsDeleted());
    assertEquals(0, r.plan().alreadyMissing());
    for (long i = 0; i < 8; i++) {
      assertFalse(h.store.objects.containsKey(seg(i)), "segment " + i + " is gone");
    }
    for (EpochIdAndName e : envelopes()) {
      assertTrue(e.epoch >= 2, "only envelopes of kept epochs remain: " + e.name);
    }
    assertFalse(h.store.objects.containsKey(man(2)));
    assertFalse(h.store.objects.containsKey(man(5)));
    assertTrue(h.store.objects.containsKey(man(8)), "the manifest that covers the first kept segment stays");
    // the audit log records it, signed by the owner, and verifies
    VerifiedStore view = h.open(h.owner);
    assertTrue(view.auditLog().verified());
    AuditEntry last = view.auditLog().entries().get(view.auditLog().entries().size() - 1);
    assertEquals(AuditEntry.Type.PRUNE, last.type());
    assertEquals(h.owner.signingKey().orElseThrow().verifyingKey(), last.actor());
    assertEquals(8, PruneRecord.of(last).firstKept());
    assertTrue(h.sdk.audit().verified(), "the household audit verifies with the prune in it");
    // what remains verifies from its first kept segment, for the owner and for another device
    assertEquals(range(8, 19), rec.readAll(h.owner));
    assertEquals(range(8, 19), rec.readAll(tablet));
    // a range that starts at the first kept segment, and one that lies in what was pruned
    try (StreamReader rr = h.open(tablet).reader(Household.STREAM, tablet).sequenceRange(0, 9).build()) {
      assertEquals(8, rr.next().header().sequence());
      assertEquals(9, rr.next().header().sequence());
      assertEquals(null, rr.next());
    }
    // pruning again with the same policy deletes nothing and records nothing
    int entries = view.auditLog().entries().size();
    assertFalse(rec.pruner(h.owner).prune(Household.STREAM, DAY).plan().deletesAnything());
    assertEquals(entries, h.open(h.owner).auditLog().entries().size());
  }

  record EpochIdAndName(long epoch, String name) {}

  List<EpochIdAndName> envelopes() {
    List<EpochIdAndName> out = new ArrayList<>();
    for (String n : h.store.objects.keySet()) {
      ObjectNames.parseEnvelope(n).ifPresent(e -> out.add(new EpochIdAndName(e.epoch().value(), n)));
    }
    return out;
  }

  @Test
  void aByteBudgetNeverDeletesTheNewestEpoch() throws Exception {
    Pruner.Result r = rec.pruner(h.owner).prune(Household.STREAM, RetentionPolicy.keepBytes(1));
    assertEquals(16, r.plan().firstKept(), r.plan().describe());
    assertEquals(range(16, 19), rec.readAll(tablet));
    assertFalse(rec.pruner(h.owner).prune(Household.STREAM, RetentionPolicy.keepBytes(1)).plan().deletesAnything());
  }

  @Test
  void aLaterPruneMovesTheStartAgain() throws Exception {
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    h.clock.advance(Duration.ofSeconds(8)); // the cutoff passes the end of epoch 2
    Pruner.Result r = rec.pruner(h.owner).prune(Household.STREAM, DAY);
    assertEquals(12, r.plan().firstKept());
    assertFalse(h.store.objects.containsKey(man(8)), "the manifest that covered the old start goes");
    assertEquals(range(12, 19), rec.readAll(tablet));
  }

  @Test
  void onlyAnOwnerMayPrune() throws Exception {
    EnrolmentException e = assertThrows(EnrolmentException.class, () -> rec.pruner(tablet).prune(Household.STREAM, DAY));
    assertEquals(EnrolmentException.Reason.NOT_AN_OWNER, e.reason());
    assertTrue(h.store.objects.containsKey(seg(0)));
  }

  // ---- the hostile provider ----------------------------------------------------------------

  @Test
  void aPrefixDeletedLikeAPruneButWithoutTheOwnersEntryIsRefused() throws Exception {
    // the store does exactly what a prune to segment 6 would: segments, envelopes and manifests
    for (long i = 0; i < 6; i++) {
      h.store.objects.remove(seg(i));
    }
    h.store.objects.remove(man(2));
    h.store.objects.remove(man(5));
    h.store.objects.keySet().removeIf(n -> ObjectNames.parseEnvelope(n).map(e -> e.epoch().value() < 1).orElse(false));
    // no manifest lists a missing segment now: the reader itself refuses the unattested start
    VerifiedStore view = h.open(tablet);
    view.completeness(Household.STREAM, view.cameraKeys()).requireNothingMissing(Household.STREAM);
    assertEquals(StreamStart.GENESIS, view.streamStart(Household.STREAM));
    ChainBrokenException e = assertThrows(ChainBrokenException.class, () -> rec.readAll(tablet));
    assertTrue(e.getMessage().contains("segment 5"), e.getMessage());
  }

  @Test
  void aMiddleEpochDeletedAfterAPruneIsRefused() throws Exception {
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    for (long i = 12; i < 16; i++) {
      h.store.objects.remove(seg(i));
    }
    ChainBrokenException e = assertThrows(ChainBrokenException.class, () -> rec.readAll(tablet));
    assertTrue(e.getMessage().contains("segment 12"), e.getMessage());
    // and by the reader alone
    try (StreamReader r = h.open(tablet).reader(Household.STREAM, tablet).build()) {
      for (int i = 8; i < 12; i++) {
        r.next();
      }
      assertThrows(ChainBrokenException.class, r::next);
    }
  }

  @Test
  void deletingMoreThanTheOwnerPrunedIsRefused() throws Exception {
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    // the next epoch too, with the manifests that cover only it: as if the prune had gone to 12
    for (long i = 8; i < 12; i++) {
      h.store.objects.remove(seg(i));
    }
    h.store.objects.remove(man(11));
    assertThrows(ChainBrokenException.class, () -> rec.readAll(tablet));
    // and with the attesting manifest gone as well
    h.store.objects.remove(man(8));
    assertThrows(ChainBrokenException.class, () -> rec.readAll(tablet));
  }

  @Test
  void deletingTheAttestingManifestIsRefused() throws Exception {
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    h.store.objects.remove(man(8));
    ChainBrokenException e = assertThrows(ChainBrokenException.class,
        () -> h.open(tablet).streamStart(Household.STREAM));
    assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    assertThrows(ChainBrokenException.class, () -> rec.readAll(tablet));
  }

  @Test
  void theTailDeletedAfterAPruneIsRefused() throws Exception {
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    for (long i = 17; i < 20; i++) {
      h.store.objects.remove(seg(i)); // 17, 18 are covered by the manifest 15..17 and 18..19
    }
    assertThrows(ChainBrokenException.class, () -> rec.readAll(tablet));
  }

  @Test
  void plantedOldManifestsAndSegmentsDoNotMoveTheStart() throws Exception {
    TreeMap<String, byte[]> before = copy();
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    // the store kept copies and puts the pruned manifests back: nothing pruned is demanded
    h.store.objects.put(man(2), before.get(man(2)));
    h.store.objects.put(man(5), before.get(man(5)));
    assertEquals(range(8, 19), rec.readAll(tablet));
    // and the pruned segments and envelopes too: the stream still begins where the owner pruned it
    before.forEach((k, v) -> h.store.objects.putIfAbsent(k, v));
    assertEquals(range(8, 19), rec.readAll(tablet));
  }

  @Test
  void rollingTheAuditLogBackIsRefused() throws Exception {
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    long last = h.open(h.owner).auditLog().head().orElseThrow().sequence();
    h.store.objects.remove(AuditLog.objectName(last)); // the prune entry
    // the owner pinned the head when it pruned: the truncated log is refused
    assertFalse(h.open(h.owner).auditLog().verified());
    assertThrows(ChainBrokenException.class, () -> rec.readAll(h.owner));
    // a device that never saw the entry finds an unattested prefix
    assertThrows(ChainBrokenException.class, () -> rec.readAll(tablet));
  }

  @Test
  void anEditedPruneEntryIsRefused() throws Exception {
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    long last = h.open(h.owner).auditLog().head().orElseThrow().sequence();
    byte[] entry = h.store.objects.get(AuditLog.objectName(last));
    entry[88 + 2 + Household.STREAM.value().length() + 7] = 12; // firstKept 8 -> 12, to cover more deletion
    h.store.objects.put(AuditLog.objectName(last), entry);
    assertThrows(IntegrityException.class, () -> h.open(tablet).streamStart(Household.STREAM));
    assertThrows(IntegrityException.class, () -> rec.readAll(tablet));
  }

  @Test
  void aViewersPruneEntryAttestsNothing() throws Exception {
    // the viewer (with the store) deletes two epochs and signs a well-formed prune entry
    TreeMap<String, byte[]> before = copy();
    Pruner.Plan plan = rec.pruner(h.owner).plan(Household.STREAM, DAY);
    rec.storeDeletes(plan);
    rec.appendPrune(plan, tablet);
    assertTrue(h.open(tablet).auditLog().verified(), "a viewer may write the log");
    assertEquals(StreamStart.GENESIS, h.open(tablet).streamStart(Household.STREAM), "but attests no prune");
    assertThrows(ChainBrokenException.class, () -> rec.readAll(tablet));
    assertFalse(before.isEmpty());
  }

  @Test
  void aReplacedFirstKeptSegmentIsRefused() throws Exception {
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    // the segment where the stream now begins, with one ciphertext byte changed
    byte[] s8 = h.store.objects.get(seg(8));
    s8[s8.length - 1] ^= 1;
    h.store.objects.put(seg(8), s8);
    assertThrows(IntegrityException.class, () -> rec.readAll(tablet));
  }

  @Test
  void aStartWithAnotherDigestIsRefusedByTheReader() throws Exception {
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    VerifiedStore view = h.open(tablet);
    try (StreamReader r = StreamReader.builder().store(h.store).stream(Household.STREAM)
        .resolver(view.epochKeys(tablet)).start(StreamStart.attested(8, new byte[32])).build()) {
      ChainBrokenException e = assertThrows(ChainBrokenException.class, r::next);
      assertTrue(e.getMessage().contains("not the one the camera signed"), e.getMessage());
    }
    // a reader given no start accepts no missing prefix
    try (StreamReader r = StreamReader.open(h.store, Household.STREAM, view.epochKeys(tablet))) {
      assertThrows(ChainBrokenException.class, r::next);
    }
  }

  @Test
  void anInterruptedPruneLeavesAVerifyingStreamAndFinishesOnTheNextRun() throws Exception {
    Pruner.Plan plan = rec.pruner(h.owner).plan(Household.STREAM, DAY);
    FailingStore failing = new FailingStore(h.store, 3);
    Pruner broken = Pruner.builder().store(failing).owner(h.owner).trust(h.trust(h.owner), Household.STORE_ID)
        .clock(h.clock).build();
    assertThrows(IOException.class, () -> broken.prune(Household.STREAM, DAY));
    assertTrue(h.store.objects.containsKey(seg(5)), "stopped after three deletions");
    assertEquals(range(8, 19), rec.readAll(tablet), "the entry was written first: the stream verifies from 8");
    int entries = h.open(h.owner).auditLog().entries().size();
    Pruner.Result r = rec.pruner(h.owner).prune(Household.STREAM, DAY);
    assertTrue(r.entry().isEmpty(), "no second entry");
    assertEquals(entries, h.open(h.owner).auditLog().entries().size());
    for (String n : plan.deletions()) {
      assertFalse(h.store.objects.containsKey(n), n);
    }
    assertEquals(range(8, 19), rec.readAll(tablet));
  }

  /** Deletes {@code allowed} objects, then fails every delete, like a store that went away. */
  static final class FailingStore extends ForwardingStore {
    int allowed;

    FailingStore(MemStore inner, int allowed) {
      super(inner);
      this.allowed = allowed;
    }

    @Override
    public void delete(String name) throws IOException {
      if (allowed-- <= 0) {
        throw new IOException("store went away (test)");
      }
      inner.delete(name);
    }
  }
}
