package dev.obscura.crypto;

import static dev.obscura.crypto.RetentionRecording.DAY;
import static dev.obscura.crypto.RetentionRecording.range;
import static dev.obscura.crypto.RetentionRecording.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.EpochId;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.retention.Pruner;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.trust.VerifiedStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention against a hostile store, the cases {@link RetentionTest} lacks: a revoked owner's key
 * used with a rolled-back log, a forged public head steering what the owner's prune deletes, and
 * a time-range read of a pruned stream. Same recording as {@link RetentionTest}: five epochs of
 * four segments (0..19, segment i from T0+2i s for 2 s), manifests every three segments.
 */
class RetentionAttackTest {
  @TempDir Path tmp;

  Household h;
  ViewerIdentity tablet;
  ViewerIdentity oldPhone;
  RetentionRecording rec;

  @BeforeEach
  void record() throws Exception {
    h = new Household(tmp, 19);
    tablet = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(87));
    oldPhone = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(88));
    h.enrol(tablet, Roster.Role.VIEWER, "tablet");
    h.enrol(oldPhone, Roster.Role.OWNER, "old phone");
    rec = new RetentionRecording(h);
  }

  /**
   * A stolen owner phone, revoked by the remaining owner, and the store: the store drops the
   * revocation's audit entry (the newest), the thief appends a prune signed by the revoked key and
   * the store deletes the first two epochs. The tablet pinned the roster that revokes the phone,
   * so the log, which never reaches that roster, cannot be the whole story: refused.
   */
  @Test
  void aRevokedOwnersPruneAfterTheRevocationEntryIsDroppedIsRefused() throws Exception {
    Pruner.Plan plan = rec.pruner(h.owner).plan(Household.STREAM, DAY); // what a real prune would delete
    h.revoke(oldPhone.publicKey());
    h.open(tablet); // the tablet sees (and pins) the roster that revokes the phone
    assertEquals(range(0, 19), rec.readAll(tablet));
    long last = h.open(h.owner).auditLog().head().orElseThrow().sequence();
    h.store.objects.remove(AuditLog.objectName(last)); // the REVOKE entry
    rec.appendPrune(plan, oldPhone);
    rec.storeDeletes(plan);
    assertThrows(IntegrityException.class, () -> rec.readAll(tablet),
        "a revoked owner's prune, in a log cut back to before its revocation, hides footage no owner pruned");
  }

  /** The same with the revocation entry kept: the revoked signer's later prune is refused. */
  @Test
  void aRevokedOwnersPruneAppendedAfterItsRevocationIsRefused() throws Exception {
    Pruner.Plan plan = rec.pruner(h.owner).plan(Household.STREAM, DAY);
    h.revoke(oldPhone.publicKey());
    rec.appendPrune(plan, oldPhone);
    rec.storeDeletes(plan);
    assertThrows(IntegrityException.class, () -> rec.readAll(tablet));
  }

  /** An owner's prune made before that owner was revoked still counts. */
  @Test
  void aPruneByAnOwnerRevokedLaterStillCounts() throws Exception {
    rec.pruner(oldPhone).prune(Household.STREAM, DAY);
    h.revoke(oldPhone.publicKey());
    assertEquals(range(8, 19), rec.readAll(tablet));
  }

  /**
   * The store rewrites the (unauthenticated, soon deleted) public head of segment 0 to name epoch
   * 3, which the policy keeps: the owner's prune must still delete only the envelopes of the
   * epochs it deletes, not epoch 3's key.
   */
  @Test
  void aForgedHeadOfAPrunedSegmentDoesNotMakeThePruneDeleteAKeptEpochsEnvelope() throws Exception {
    byte[] s0 = h.store.objects.get(seg(0));
    int epochAt = 7 + Household.STREAM.value().length() + 8;
    ByteBuffer.wrap(s0).putLong(epochAt, 3);
    h.store.objects.put(seg(0), s0);
    String kept = ObjectNames.envelope(Household.STREAM, EpochId.of(3));
    assertTrue(h.store.objects.containsKey(kept));
    try {
      Pruner.Result r = rec.pruner(h.owner).prune(Household.STREAM, DAY);
      assertTrue(!r.plan().deletions().contains(kept), "the prune deletes a kept epoch's envelope: " + r.plan().deletions());
    } catch (ObscuraException refused) {
      // refusing the forged head is fine too
    }
    assertTrue(h.store.objects.containsKey(kept), "epoch 3's envelope is still there");
  }

  /** A time range inside what a prune kept reads through the one verification path. */
  @Test
  void aTimeRangeOfAPrunedStreamReads() throws Exception {
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    VerifiedStore view = h.open(tablet);
    // segments 12..13: T0+24 s .. T0+28 s
    StreamRange range = StreamRange.between(Household.T0.plusSeconds(24), Household.T0.plusSeconds(28));
    List<Long> seqs = new ArrayList<>();
    try (VerifiedStore.Reading reading = view.read(Household.STREAM, tablet, range, h.clock.instant())) {
      for (OpenedSegment s = reading.reader().next(); s != null; s = reading.reader().next()) {
        seqs.add(s.header().sequence());
      }
    }
    assertEquals(range(12, 13), seqs);
  }
}
