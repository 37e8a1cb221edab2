package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.EventId;
import dev.obscura.core.EventMessage;
import dev.obscura.core.EventSubscriber;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObjectNames;
import dev.obscura.crypto.event.EventRefusedException;
import dev.obscura.crypto.event.MotionEvent;
import dev.obscura.crypto.event.MotionEventDraft;
import dev.obscura.crypto.event.MotionEventFormat;
import dev.obscura.crypto.event.MotionEventReader;
import dev.obscura.crypto.event.MotionEventSealer;
import dev.obscura.crypto.event.StoreEventBus;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.testing.ByteSearch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end-encrypted motion events on a paired camera's store: every roster device opens them,
 * a revoked one opens no event of a later epoch, a stranger none; forged, moved, replayed and
 * reordered events are refused; sealed sizes are bucket sizes only; no thumbnail byte is in the
 * store in the clear; a device that was offline reads what it missed from the store's event bus.
 */
class MotionEventTest {
  @TempDir Path tmp;

  Household h;
  ViewerIdentity tablet;
  ViewerIdentity stranger;
  List<Recorder.RecordedEvent> recorded = new ArrayList<>();
  List<byte[]> thumbnails = new ArrayList<>();

  static byte[] thumbnail(int size, long seed) {
    byte[] t = new byte[size];
    new SplittableRandom(seed).nextBytes(t);
    t[0] = (byte) 0xff;
    t[1] = (byte) 0xd8; // what a JPEG starts with; crypto does not care
    return t;
  }

  /** Two segments and one event in epoch A; the tablet is revoked; two segments and one event in epoch B. */
  @BeforeEach
  void record() throws Exception {
    h = new Household(tmp, 61);
    tablet = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(62));
    stranger = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(63));
    h.enrol(tablet, Roster.Role.VIEWER, "tablet");
    try (Recorder rec = h.recorder(0)) {
      rec.seal(h.segment());
      rec.seal(h.segment());
      thumbnails.add(thumbnail(9000, 1));
      recorded.add(rec.recordEvent(new MotionEventDraft(Household.T0.plusSeconds(1), Household.T0.plusSeconds(3),
          Household.T0.plusSeconds(2), thumbnails.get(0))));
      h.revoke(tablet.publicKey());
      rec.seal(h.segment()); // the new roster starts a new epoch
      rec.seal(h.segment());
      thumbnails.add(thumbnail(20000, 2));
      recorded.add(rec.recordEvent(new MotionEventDraft(Household.T0.plusSeconds(5), Household.T0.plusSeconds(6),
          Household.T0.plusSeconds(5), thumbnails.get(1))));
      assertEquals(2, rec.eventsRecorded());
    }
  }

  MotionEventReader reader(ViewerIdentity who) throws Exception {
    return MotionEventReader.builder().view(h.open(who)).identity(who).build();
  }

  EventMessage stored(int i) {
    Recorder.RecordedEvent e = recorded.get(i);
    return new EventMessage(Household.STREAM, e.id(), h.store.get(e.objectName()));
  }

  @Test
  void everyRosterDeviceOpensTheEventsOfItsEpochsAndTheSegmentRangeIsTheMotions() throws Exception {
    assertFalse(recorded.get(0).epoch().equals(recorded.get(1).epoch()), "the revocation rotated the epoch");
    assertEquals(0, recorded.get(0).firstSegment());
    assertEquals(1, recorded.get(0).lastSegment());
    assertEquals(2, recorded.get(1).firstSegment());
    assertEquals(3, recorded.get(1).lastSegment());
    MotionEventReader.Listing owner = reader(h.owner).list(Household.STREAM);
    assertEquals(List.of(), owner.refused());
    assertEquals(2, owner.events().size());
    for (int i = 0; i < 2; i++) {
      MotionEvent e = owner.events().get(i);
      assertEquals(recorded.get(i).id(), e.id());
      assertArrayEquals(thumbnails.get(i), e.thumbnail());
      assertEquals(recorded.get(i).firstSegment(), e.firstSegment());
      assertEquals(recorded.get(i).lastSegment(), e.lastSegment());
      assertEquals(h.camera.identity().publicKey(), e.camera());
    }
    assertEquals(Household.T0.plusSeconds(1), owner.events().get(0).start());
    assertEquals(Household.T0.plusSeconds(3), owner.events().get(0).end());
    // the tablet was in the roster for the first epoch only
    MotionEvent first = reader(tablet).open(Household.STREAM, recorded.get(0).id());
    assertArrayEquals(thumbnails.get(0), first.thumbnail());
    assertThrows(KeyUnavailableException.class, () -> reader(tablet).open(Household.STREAM, recorded.get(1).id()),
        "a revoked device opens no event of a later epoch");
    MotionEventReader.Listing revoked = reader(tablet).list(Household.STREAM);
    assertEquals(1, revoked.events().size());
    assertEquals(1, revoked.refused().size());
  }

  @Test
  void aStrangerOpensNothing() throws Exception {
    for (int i = 0; i < 2; i++) {
      int n = i;
      assertThrows(KeyUnavailableException.class, () -> reader(stranger).open(stored(n)));
    }
  }

  @Test
  void replayedAndReorderedEventsAreRefused() throws Exception {
    MotionEventReader r = reader(h.owner);
    r.open(stored(0));
    EventRefusedException replay = assertThrows(EventRefusedException.class, () -> r.open(stored(0)));
    assertEquals(EventRefusedException.Reason.REPLAYED, replay.reason());
    MotionEventReader fresh = reader(h.owner);
    fresh.open(stored(1));
    EventRefusedException reorder = assertThrows(EventRefusedException.class, () -> fresh.open(stored(0)));
    assertEquals(EventRefusedException.Reason.REORDERED, reorder.reason());
  }

  @Test
  void forgedMovedAndPlantedEventsAreRefused() throws Exception {
    EventMessage good = stored(0);
    // a bad signature
    byte[] badSig = good.sealed().clone();
    badSig[badSig.length - 1] ^= 1;
    assertRefused(EventRefusedException.Reason.SIGNATURE, new EventMessage(good.stream(), good.id(), badSig));
    // a flipped ciphertext bit: the camera's signature covers it
    byte[] flipped = good.sealed().clone();
    flipped[200] ^= 1;
    assertRefused(EventRefusedException.Reason.SIGNATURE, new EventMessage(good.stream(), good.id(), flipped));
    // signed by another key (the store, or a stolen old key)
    EpochKey guess = EpochKey.generate(Household.STREAM, recorded.get(0).epoch(), EntropySource.system());
    SigningKey other = SigningKey.generate(EntropySource.insecureDeterministicForTests(64));
    MotionEventSealer.Sealed forged = new MotionEventSealer(guess, other, EntropySource.system()).seal(
        new MotionEventDraft(Household.T0, Household.T0, Household.T0, thumbnail(100, 3)), 0, 0);
    assertRefused(EventRefusedException.Reason.SIGNATURE, new EventMessage(good.stream(), forged.id(), forged.bytes()));
    // signed by the camera but under another key than the epoch's (wrong key): does not open
    MotionEventSealer.Sealed wrongKey = new MotionEventSealer(guess, h.camera.identity().signingKey(),
        EntropySource.system()).seal(new MotionEventDraft(Household.T0, Household.T0, Household.T0,
        thumbnail(100, 4)), 0, 0);
    assertRefused(EventRefusedException.Reason.DECRYPTION,
        new EventMessage(good.stream(), wrongKey.id(), wrongKey.bytes()));
    // delivered under another event's id
    assertRefused(EventRefusedException.Reason.MOVED, new EventMessage(good.stream(), recorded.get(1).id(),
        good.sealed()));
    // the id inside swapped for another: the signature covers it
    byte[] swapped = good.sealed().clone();
    byte[] otherId = recorded.get(1).id().toBytes();
    int idAt = 7 + Household.STREAM.toBytes().length + 16;
    System.arraycopy(otherId, 0, swapped, idAt, otherId.length);
    assertRefused(EventRefusedException.Reason.SIGNATURE, new EventMessage(good.stream(), recorded.get(1).id(),
        swapped));
    // bytes that are not an event
    assertThrows(MalformedDataException.class, () -> reader(h.owner).open(
        new EventMessage(good.stream(), good.id(), Arrays.copyOf(good.sealed(), 1000))));
    // a planted copy under another name is refused; the real one is still listed once
    EventId planted = EventId.random(EntropySource.system());
    h.store.set(ObjectNames.event(Household.STREAM, planted), good.sealed());
    MotionEventReader.Listing l = reader(h.owner).list(Household.STREAM);
    assertEquals(2, l.events().size());
    assertEquals(1, l.refused().size(), l.refused().toString());
    assertTrue(l.refused().get(0).contains(planted.toHex()));
  }

  void assertRefused(EventRefusedException.Reason reason, EventMessage m) throws Exception {
    MotionEventReader r = reader(h.owner);
    EventRefusedException e = assertThrows(EventRefusedException.class, () -> r.open(m));
    assertEquals(reason, e.reason(), e.getMessage());
  }

  @Test
  void sealedSizesAreBucketSizesOnly() throws Exception {
    for (Map.Entry<String, byte[]> o : h.store.objects.entrySet()) {
      if (ObjectNames.parseEvent(o.getKey()).isPresent()) {
        int n = o.getValue().length;
        assertTrue(n == 16384 || n == 32768 || n == 65536, o.getKey() + " is " + n + " bytes");
      }
    }
    assertEquals(16384, recorded.get(0).sealedBytes());
    assertEquals(32768, recorded.get(1).sealedBytes());
    StringBuilder report = new StringBuilder("event sizes (stream '" + Household.STREAM + "'):");
    for (int t : new int[] {0, 9000, 16000, 20000, 40000, MotionEventFormat.MAX_THUMBNAIL_BYTES}) {
      int unpadded = MotionEventFormat.unpaddedBytes(Household.STREAM, t);
      int bucket = MotionEventFormat.bucketFor(Household.STREAM, t);
      assertTrue(bucket >= unpadded);
      report.append(String.format(" thumbnail %d B -> %d B unpadded -> %d B sealed;", t, unpadded, bucket));
    }
    System.out.println(report);
    assertThrows(IllegalArgumentException.class, () -> new MotionEventDraft(Household.T0, Household.T0,
        Household.T0, new byte[MotionEventFormat.MAX_THUMBNAIL_BYTES + 1]));
  }

  @Test
  void theStoreHoldsNoThumbnailByteInTheClear() {
    for (byte[] t : thumbnails) {
      for (int at = 0; at + 32 <= t.length; at += 997) {
        byte[] window = Arrays.copyOfRange(t, at, at + 32);
        for (Map.Entry<String, byte[]> o : h.store.objects.entrySet()) {
          assertFalse(ByteSearch.contains(o.getValue(), window), o.getKey() + " holds thumbnail bytes");
        }
      }
    }
  }

  @Test
  void aPhoneThatWasOfflineReadsWhatItMissedThenFollows() throws Exception {
    StoreEventBus bus = new StoreEventBus(h.store);
    MotionEventReader r = reader(h.owner);
    try (EventSubscriber sub = bus.subscribe(Household.STREAM)) {
      assertEquals(recorded.get(0).id(), r.open(sub.next(Duration.ofSeconds(1))).id());
      assertEquals(recorded.get(1).id(), r.open(sub.next(Duration.ofSeconds(1))).id());
      assertNull(sub.next(Duration.ZERO));
      try (Recorder rec = h.recorder(0)) {
        rec.seal(h.segment());
        Recorder.RecordedEvent third = rec.recordEvent(new MotionEventDraft(Household.T0.plusSeconds(8),
            Household.T0.plusSeconds(9), Household.T0.plusSeconds(8), thumbnail(500, 5)));
        MotionEvent e = r.open(sub.next(Duration.ofSeconds(2)));
        assertEquals(third.id(), e.id());
        assertTrue(e.epoch().compareTo(recorded.get(1).epoch()) > 0, "a restarted camera is in a later epoch");
        assertEquals(EpochId.of(e.epoch().value()), third.epoch());
      }
    }
  }

  @Test
  void anEventRightAfterARevocationIsSealedForTheNewRosterWithoutASegmentOpened() throws Exception {
    ViewerIdentity phone = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(65));
    h.enrol(phone, Roster.Role.VIEWER, "phone");
    try (Recorder rec = h.recorder(0)) {
      rec.seal(h.segment()); // an epoch the phone holds a stanza for
      h.revoke(phone.publicKey());
      Recorder.RecordedEvent e = rec.recordEvent(new MotionEventDraft(Household.T0.plusSeconds(8),
          Household.T0.plusSeconds(9), Household.T0.plusSeconds(8), thumbnail(500, 6)));
      assertThrows(KeyUnavailableException.class, () -> reader(phone).open(Household.STREAM, e.id()),
          "the revoked phone cannot open an event recorded after its revocation");
      assertArrayEquals(thumbnail(500, 6), reader(h.owner).open(Household.STREAM, e.id()).thumbnail());
    }
  }

  @Test
  void aWithheldEventLeavesAGapTheReaderReports() throws Exception {
    List<Recorder.RecordedEvent> three = new ArrayList<>();
    try (Recorder rec = h.recorder(0)) {
      rec.seal(h.segment());
      for (int i = 0; i < 3; i++) {
        three.add(rec.recordEvent(new MotionEventDraft(Household.T0.plusSeconds(8), Household.T0.plusSeconds(9),
            Household.T0.plusSeconds(8), thumbnail(500, 10 + i))));
      }
    }
    assertEquals(List.of(0L, 1L, 2L), three.stream().map(Recorder.RecordedEvent::sequence).toList());
    MotionEventReader.Listing all = reader(h.owner).list(Household.STREAM);
    assertEquals(List.of(0L, 0L, 0L, 0L, 0L), all.events().stream().map(MotionEvent::gapBefore).toList(),
        "nothing withheld, no gap");
    h.store.objects.remove(three.get(1).objectName()); // the store withholds the middle one
    MotionEventReader.Listing l = reader(h.owner).list(Household.STREAM);
    assertEquals(List.of(), l.refused());
    assertEquals(4, l.events().size());
    MotionEvent after = l.events().get(3);
    assertEquals(three.get(2).id(), after.id());
    assertEquals(1, after.gapBefore(), "one event of its epoch is missing before it");
    assertEquals(0, l.events().get(2).gapBefore());
    // a device that saw event 0 and is pushed event 2 counts the same gap
    MotionEventReader pushed = reader(h.owner);
    pushed.open(Household.STREAM, three.get(0).id());
    assertEquals(1, pushed.open(Household.STREAM, three.get(2).id()).gapBefore());
  }

  @Test
  void anEventFarAheadWhoseEnvelopeDoesNotVerifyDoesNotMoveTheGuard() throws Exception {
    // the provider plants an envelope wrapped to the owner for an epoch far ahead (unsigned: it
    // has no camera key) and an event under it at the end of the order, signed by its own key
    EpochId far = EpochId.of(1L << 62);
    EpochKey key = EpochKey.generate(Household.STREAM, far, EntropySource.system());
    h.store.set(ObjectNames.envelope(Household.STREAM, far), dev.obscura.crypto.envelope.KeyEnvelope.seal(
        new dev.obscura.core.EnvelopeHeader(Household.STREAM, far, Household.T0), key, List.of(h.owner.publicKey())));
    MotionEventSealer.Sealed forged = new MotionEventSealer(key, SigningKey.generate(
        EntropySource.insecureDeterministicForTests(66)), EntropySource.system()).seal(
        new MotionEventDraft(Household.T0, Household.T0, Household.T0, thumbnail(100, 7)), 0, 0);
    MotionEventReader r = reader(h.owner);
    assertThrows(dev.obscura.core.IntegrityException.class,
        () -> r.open(new EventMessage(Household.STREAM, forged.id(), forged.bytes())));
    assertTrue(r.guard().last(Household.STREAM).isEmpty(), "a refused event does not move the guard");
    assertEquals(recorded.get(0).id(), r.open(stored(0)).id());
    assertEquals(recorded.get(1).id(), r.open(stored(1)).id());
  }
}
