package dev.obscura.crypto;

import static dev.obscura.crypto.RetentionRecording.DAY;
import static dev.obscura.crypto.RetentionRecording.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EventId;
import dev.obscura.core.ObjectNames;
import dev.obscura.crypto.audit.PruneRecord;
import dev.obscura.crypto.event.MotionEventReader;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.retention.Pruner;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention of motion events: the recording of {@link RetentionTest} with one event per epoch
 * (epochs 0..4). {@link RetentionRecording#DAY} keeps epochs 2..: the prune deletes the events of
 * epochs 0 and 1 by their public headers, keeps the rest readable, and leaves alone what the
 * store planted under {@code events/} that is not an event it can place.
 */
class RetentionEventsTest {
  @TempDir Path tmp;

  Household h;
  ViewerIdentity tablet;
  RetentionRecording rec;

  @BeforeEach
  void record() throws Exception {
    h = new Household(tmp, 29);
    tablet = RetentionRecording.enrolTablet(h, 97); // before recording: the tablet reads every epoch
    rec = new RetentionRecording(h, true);
    assertEquals(5, rec.events.size());
  }

  MotionEventReader reader(ViewerIdentity who) throws Exception {
    return MotionEventReader.builder().view(h.open(who)).identity(who).build();
  }

  @Test
  void pruneDeletesTheEventsOfThePrunedEpochsAndTheKeptOnesStillOpen() throws Exception {
    Map<String, Integer> sizes = new HashMap<>();
    h.store.objects.forEach((n, b) -> sizes.put(n, b.length));
    Pruner.Result r = rec.pruner(h.owner).prune(Household.STREAM, DAY);
    Pruner.Plan plan = r.plan();
    long kept = plan.firstKeptEpoch().value();
    assertEquals(2, plan.eventsDeleted(), plan.describe());
    assertTrue(plan.leftAlone().isEmpty(), plan.describe());
    assertTrue(plan.describe().contains("2 event(s)"), plan.describe());
    for (Recorder.RecordedEvent e : rec.events) {
      boolean old = e.epoch().value() < kept;
      assertEquals(!old, h.store.objects.containsKey(e.objectName()), e.epoch() + " " + plan.describe());
      assertEquals(old, plan.deletions().contains(e.objectName()));
    }
    long bytes = 0;
    for (String n : plan.deletions()) {
      bytes += sizes.get(n);
    }
    assertEquals(bytes, plan.bytesDeleted(), "bytesDeleted counts the events too");
    PruneRecord recorded = PruneRecord.of(r.entry().orElseThrow());
    assertEquals(bytes, recorded.bytesDeleted());
    assertEquals(plan.segmentsDeleted(), recorded.segmentsDeleted());
    for (ViewerIdentity who : List.of(h.owner, tablet)) {
      MotionEventReader.Listing l = reader(who).list(Household.STREAM);
      assertTrue(l.refused().isEmpty(), "no event outlives its envelope: " + l.refused());
      assertEquals(3, l.events().size());
      for (Recorder.RecordedEvent e : rec.events.subList(2, 5)) {
        assertEquals(e.id(), reader(who).open(Household.STREAM, e.id()).id());
      }
    }
    assertEquals(range(8, 19), rec.readAll(tablet));
  }

  /** Events left by a prune that predates event retention go on the next run, with no new entry. */
  @Test
  void aSecondRunDeletesEventsAnOlderPruneLeftWithoutANewEntry() throws Exception {
    Map<String, byte[]> old = new HashMap<>();
    for (Recorder.RecordedEvent e : rec.events.subList(0, 2)) {
      old.put(e.objectName(), h.store.objects.get(e.objectName()).clone());
    }
    rec.pruner(h.owner).prune(Household.STREAM, DAY);
    old.forEach(h.store.objects::put);
    Pruner.Result again = rec.pruner(h.owner).prune(Household.STREAM, DAY);
    assertFalse(again.entry().isPresent());
    assertEquals(2, again.plan().eventsDeleted());
    for (String n : old.keySet()) {
      assertFalse(h.store.objects.containsKey(n));
    }
    assertEquals(range(8, 19), rec.readAll(tablet));
  }

  /**
   * The store plants under {@code events/}: garbage under an event name, a foreign name, an old
   * epoch's event copied under a kept event's name and under a fresh name (the name says one
   * event, the header another), and an old event of another stream. None is deleted; each is
   * reported in the plan.
   */
  @Test
  void plantedObjectsUnderEventsAreLeftAloneAndReported() throws Exception {
    byte[] epoch0 = h.store.objects.get(rec.events.get(0).objectName()).clone();
    String garbage = ObjectNames.event(Household.STREAM, EventId.of(new byte[16]));
    String foreign = Household.STREAM + "/events/notes.txt";
    String keptName = rec.events.get(3).objectName();
    byte[] fresh = new byte[16];
    fresh[0] = 7;
    String renamed = ObjectNames.event(Household.STREAM, EventId.of(fresh));
    String otherStream = ObjectNames.event(dev.obscura.core.StreamId.of("garden"), rec.events.get(0).id());
    h.store.objects.put(garbage, new byte[16 * 1024]);
    h.store.objects.put(foreign, "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    h.store.objects.put(keptName, epoch0.clone());
    h.store.objects.put(renamed, epoch0.clone());
    h.store.objects.put(otherStream, epoch0.clone());
    Pruner.Plan plan = rec.pruner(h.owner).prune(Household.STREAM, DAY).plan();
    for (String n : List.of(garbage, foreign, keptName, renamed)) {
      assertTrue(h.store.objects.containsKey(n), n + " was deleted");
      assertFalse(plan.deletions().contains(n));
      assertTrue(plan.leftAlone().stream().anyMatch(l -> l.startsWith(n + " (")), n + " unreported: " + plan.leftAlone());
    }
    assertEquals(4, plan.leftAlone().size(), plan.leftAlone().toString());
    assertTrue(h.store.objects.containsKey(otherStream), "another stream's prefix is not this prune's");
    assertTrue(plan.describe().contains("left alone"), plan.describe());
    assertEquals(2, plan.eventsDeleted());
    assertFalse(h.store.objects.containsKey(rec.events.get(0).objectName()));
    assertFalse(h.store.objects.containsKey(rec.events.get(1).objectName()));
    assertEquals(rec.events.get(4).id(), reader(tablet).open(Household.STREAM, rec.events.get(4).id()).id());
  }
}
