package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.audit.PruneRecord;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.retention.Pruner;
import dev.obscura.crypto.retention.RetentionPolicy;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.trust.VerifiedStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recording {@link RetentionTest} and {@link RetentionAttackTest} prune: five epochs of four
 * segments (0..19, segment i from T0+2i s for 2 s), chain manifests every three segments (0..2,
 * 3..5, 6..8, ...), and the clock a day after T0+17 s, so that {@link #DAY} keeps epochs 2.. (the
 * cutoff T0+17 s falls inside epoch 2, which ends at T0+24 s). Every read goes through the one
 * verification path: {@link VerifiedStore#reader} and {@link VerifiedStore#completeness}.
 */
final class RetentionRecording {
  /** Keeps epochs 2.. of the recording. */
  static final RetentionPolicy DAY = RetentionPolicy.keepFor(Duration.ofDays(1));

  final Household h;
  /** Each segment's plaintext, by sequence number. */
  final Map<Long, byte[]> plaintexts = new HashMap<>();

  /** The motion events recorded, one per epoch (after its second segment), if asked for. */
  final List<Recorder.RecordedEvent> events = new ArrayList<>();

  /** Records into {@code h}, whose devices are enrolled already, and sets its clock. */
  RetentionRecording(Household h) throws Exception {
    this(h, false);
  }

  /** The same, with one motion event per epoch if {@code withEvents}. */
  RetentionRecording(Household h, boolean withEvents) throws Exception {
    this.h = h;
    try (Recorder r = Recorder.builder().store(h.store).stream(Household.STREAM).camera(h.camera).clock(h.clock)
        .segmentsPerEpoch(4).chainSigner(h.camera.identity().signingKey(), 3).build()) {
      for (int i = 0; i < 20; i++) {
        MediaSegment s = h.segment();
        plaintexts.put((long) i, s.data().clone());
        r.seal(s);
        if (withEvents && i % 4 == 1) {
          java.time.Instant at = Household.T0.plusSeconds(2L * i);
          events.add(r.recordEvent(new dev.obscura.crypto.event.MotionEventDraft(at, at.plusSeconds(1), at,
              MotionEventTest.thumbnail(500, i))));
        }
      }
    }
    h.clock.set(Household.T0.plusSeconds(17).plus(Duration.ofDays(1)));
  }

  /** A viewer tablet from {@code seed}, enrolled in {@code h}. */
  static ViewerIdentity enrolTablet(Household h, long seed) throws Exception {
    ViewerIdentity tablet = ViewerIdentity.generate(dev.obscura.core.EntropySource.insecureDeterministicForTests(seed));
    h.enrol(tablet, dev.obscura.crypto.roster.Roster.Role.VIEWER, "tablet");
    return tablet;
  }

  /** A pruner signing as {@code who}, with {@code who}'s pins. */
  Pruner pruner(ViewerIdentity who) {
    return Pruner.builder().store(h.store).owner(who).trust(h.trust(who), Household.STORE_ID).clock(h.clock).build();
  }

  /** Everything the stream holds, through the one verification path, as {@code who}. */
  List<Long> readAll(ViewerIdentity who) throws Exception {
    VerifiedStore view = h.open(who);
    view.completeness(Household.STREAM, view.cameraKeys()).requireNothingMissing(Household.STREAM);
    List<Long> seqs = new ArrayList<>();
    try (StreamReader r = view.reader(Household.STREAM, who).build()) {
      for (OpenedSegment s = r.next(); s != null; s = r.next()) {
        assertArrayEquals(plaintexts.get(s.header().sequence()), s.plaintext());
        seqs.add(s.header().sequence());
      }
    }
    return seqs;
  }

  /**
   * Appends a well-formed prune entry for {@code plan} to the audit log, signed by {@code signer}:
   * what a thief with a device key, or a viewer, can write.
   */
  void appendPrune(Pruner.Plan plan, ViewerIdentity signer) throws Exception {
    PruneRecord forged = new PruneRecord(Household.STREAM, plan.firstKept(), plan.firstKeptEpoch(),
        plan.manifestLast(), plan.firstKeptDigest(), plan.segmentsDeleted(), plan.bytesDeleted());
    AuditLog.append(h.store, signer.signingKey().orElseThrow(), AuditEntry.Type.PRUNE, forged.encode(), h.clock);
  }

  /** The store deletes what {@code plan} names, as a prune would, without any entry of its own. */
  void storeDeletes(Pruner.Plan plan) {
    for (String n : plan.deletions()) {
      h.store.objects.remove(n);
    }
  }

  static String seg(long n) {
    return ObjectNames.segment(new SegmentId(Household.STREAM, n));
  }

  static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}
