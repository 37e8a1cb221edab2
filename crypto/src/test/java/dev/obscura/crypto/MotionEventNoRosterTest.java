package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.EventMessage;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.event.EventRefusedException;
import dev.obscura.crypto.event.MotionEventDraft;
import dev.obscura.crypto.event.MotionEventReader;
import dev.obscura.crypto.event.MotionEventSealer;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.crypto.trust.TrustOnFirstUseKeys;
import dev.obscura.crypto.trust.VerifiedStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Motion events on a store without a roster (fixed recipients): the store's published camera
 * keys are not trusted for events, so a provider that plants a key, an envelope wrapped to the
 * viewer and an event signed by its key far ahead in the camera's order gets it refused, and the
 * real events are not refused after it. Only camera keys the caller pinned open them.
 */
class MotionEventNoRosterTest {
  static final StreamId STREAM = StreamId.of("porch");
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  MemStore store = new MemStore();
  ViewerIdentity viewer = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(71));
  SigningKey camera;
  Recorder.RecordedEvent real;
  MotionEventSealer.Sealed forged;

  @BeforeEach
  void recordThenPlant() throws Exception {
    camera = TrustOnFirstUseKeys.newCameraKey(store, STREAM, EntropySource.insecureDeterministicForTests(72));
    try (Recorder rec = Recorder.builder().store(store).stream(STREAM).recipients(List.of(viewer.publicKey()))
        .signingKey(camera).clock(java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC))
        .entropy(EntropySource.insecureDeterministicForTests(73)).build()) {
      rec.seal(new MediaSegment(0, T0, 0, 2_000_000L, 30, new byte[3000]));
      real = rec.recordEvent(new MotionEventDraft(T0, T0.plusSeconds(1), T0, MotionEventTest.thumbnail(500, 1)));
    }
    // the provider: its own "camera" key, an epoch far ahead wrapped to the viewer, an event under it
    SigningKey planted = TrustOnFirstUseKeys.newCameraKey(store, STREAM, EntropySource.insecureDeterministicForTests(74));
    EpochId far = EpochId.of(1L << 62);
    EpochKey key = EpochKey.generate(STREAM, far, EntropySource.system());
    store.put(ObjectNames.envelope(STREAM, far), KeyEnvelope.seal(new EnvelopeHeader(STREAM, far, T0), key,
        List.of(viewer.publicKey())));
    forged = new MotionEventSealer(key, planted, EntropySource.system()).seal(
        new MotionEventDraft(T0, T0, T0, MotionEventTest.thumbnail(500, 2)), 0, 0);
    store.put(ObjectNames.event(STREAM, forged.id()), forged.bytes());
  }

  VerifiedStore view() throws Exception {
    return VerifiedStore.builder().store(store).open();
  }

  @Test
  void withoutARosterOrPinnedCameraKeysEveryEventIsRefused() throws Exception {
    MotionEventReader r = MotionEventReader.builder().view(view()).identity(viewer).build();
    EventRefusedException e = assertThrows(EventRefusedException.class,
        () -> r.open(new EventMessage(STREAM, forged.id(), forged.bytes())));
    assertEquals(EventRefusedException.Reason.NO_CAMERA_KEY, e.reason());
    assertTrue(e.getMessage().contains("events need a roster"), e.getMessage());
    MotionEventReader.Listing l = r.list(STREAM);
    assertEquals(List.of(), l.events(), "nothing is trusted on first use");
    assertEquals(2, l.refused().size(), l.refused().toString());
    assertTrue(r.guard().last(STREAM).isEmpty(), "the guard did not move");
  }

  @Test
  void pinnedCameraKeysOpenTheRealEventAndThePlantedOneDoesNotPoisonTheGuard() throws Exception {
    MotionEventReader r = MotionEventReader.builder().view(view()).identity(viewer)
        .cameraKeys(List.of(camera.verifyingKey())).build();
    EventRefusedException e = assertThrows(EventRefusedException.class,
        () -> r.open(new EventMessage(STREAM, forged.id(), forged.bytes())));
    assertEquals(EventRefusedException.Reason.SIGNATURE, e.reason(), e.getMessage());
    assertTrue(r.guard().last(STREAM).isEmpty(), "a refused event does not move the guard");
    assertEquals(real.id(), r.open(STREAM, real.id()).id());
    MotionEventReader.Listing l = MotionEventReader.builder().view(view()).identity(viewer)
        .cameraKeys(List.of(camera.verifyingKey())).build().list(STREAM);
    assertEquals(1, l.events().size());
    assertEquals(real.id(), l.events().get(0).id());
    assertEquals(1, l.refused().size(), l.refused().toString());
  }
}
