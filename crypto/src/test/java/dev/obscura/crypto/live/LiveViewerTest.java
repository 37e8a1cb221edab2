package dev.obscura.crypto.live;

import static dev.obscura.crypto.live.LiveHome.GARAGE;
import static dev.obscura.crypto.live.LiveHome.PORCH;
import static dev.obscura.crypto.live.LiveHome.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.ObjectNames;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.CameraIdentity;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.sframe.CounterStore;
import dev.obscura.crypto.sframe.LiveFrame;
import dev.obscura.crypto.sframe.SFrameSender;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer's checks, each played by a hostile transport through the core interfaces only
 * ({@link MemoryFanOut}): replayed, forged, damaged, malformed, unannounced and stale frames;
 * foreign, unsigned, stale, other-stream and downgraded envelopes. Each would let a frame through
 * if its check broke.
 */
class LiveViewerTest {
  @TempDir Path tmp;
  LiveHome home;

  @BeforeEach
  void setUp() throws Exception {
    home = new LiveHome(tmp);
  }

  /** What the camera sent, in order. */
  static final class Sent implements LiveCamera.Listener {
    final List<EncodedFrame> frames = new ArrayList<>();
    final List<byte[]> sealed = new ArrayList<>();
    final List<byte[]> envelopes = new ArrayList<>();

    @Override
    public void epochStarted(EpochId epoch, int recipients, byte[] envelope) {
      envelopes.add(envelope);
    }

    @Override
    public void frameSent(EncodedFrame frame, byte[] sealedFrame, int offset, int length, long sequence) {
      frames.add(frame);
      sealed.add(java.util.Arrays.copyOfRange(sealedFrame, offset, offset + length)); // the camera reuses its buffer
    }
  }

  /** Publishes {@code n} frames (a keyframe every {@code gop}), {@code stepMillis} apart on the household clock. */
  Sent publish(MemoryFanOut fanOut, int n, int gop, Duration epochs, long stepMillis) throws Exception {
    Sent sent = new Sent();
    try (LiveCamera camera = home.camera(fanOut, epochs).listener(sent).build()) {
      for (int i = 0; i < n; i++) {
        camera.send(frame(i, gop));
        home.clock.advance(Duration.ofMillis(stepMillis));
      }
    }
    return sent;
  }

  static void assertSameFrames(List<EncodedFrame> source, int from, List<EncodedFrame> got) {
    assertEquals(source.size() - from, got.size(), "frames from " + from + " to the end");
    for (int i = 0; i < got.size(); i++) {
      assertEquals(source.get(from + i), got.get(i), "frame " + (from + i));
    }
  }

  @Test
  void twoViewersGetEveryFrameWhileAThirdPartyOpensNothing() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    MemoryFanOut.Sub phoneSub = fanOut.subscriber();
    MemoryFanOut.Sub tabletSub = fanOut.subscriber();
    MemoryFanOut.Sub eveSub = fanOut.subscriber();
    // 45 frames at 70 ms, a keyframe every 15 (1.05 s), epochs of 1 s: a new epoch at every keyframe
    Sent sent = publish(fanOut, 45, 15, Duration.ofSeconds(1), 70);
    fanOut.end();

    for (var who : List.of(Map.entry(home.phone, phoneSub), Map.entry(home.tablet, tabletSub))) {
      List<EncodedFrame> out = new ArrayList<>();
      try (LiveViewer v = home.viewer(who.getKey())) {
        LiveViewer.Stats st = v.watch(who.getValue(), Duration.ofSeconds(10), out::add);
        assertEquals(45, st.framesOut(), st::toString);
        assertEquals(3, st.envelopesAccepted(), st::toString);
        assertEquals(0, st.refused(), st::toString);
      }
      assertSameFrames(sent.frames, 0, out);
    }
    // a valid roster of the household, but a key that is in none of its rosters
    ViewerIdentity eve = ViewerIdentity.generate();
    try (LiveViewer v = LiveViewer.builder(PORCH, eve, home.view(eve)).clock(home.clock).build()) {
      List<EncodedFrame> out = new ArrayList<>();
      LiveViewer.Stats st = v.watch(eveSub, Duration.ofSeconds(10), out::add);
      assertEquals(0, st.framesOut(), st::toString);
      assertEquals(3, st.envelopesNotForUs(), st::toString);
      assertEquals(45, st.framesNoKey(), st::toString);
      assertTrue(out.isEmpty());
      assertTrue(v.lastProblem().contains("not a recipient"), v.lastProblem());
    }
  }

  @Test
  void replayedForgedAndUnannouncedFramesAreRefusedAndCounted() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    MemoryFanOut.Sub sub = fanOut.subscriber();
    Sent sent = publish(fanOut, 30, 15, Duration.ofMinutes(10), 66);
    long epoch = ((LiveMessage.Frame) fanOut.published.get(1)).epoch();
    // the transport re-injects captured frames, its header even saying "keyframe"
    fanOut.inject(new LiveMessage.Envelope(epoch, sent.envelopes.get(0))); // a duplicate changes nothing
    for (int i : new int[] {0, 7, 15, 29}) {
      fanOut.inject(new LiveMessage.Frame(epoch, 100 + i, true, sent.sealed.get(i)));
    }
    byte[] flipped = sent.sealed.get(29).clone();
    flipped[flipped.length - 1] ^= 1; // a counter seen before: refused as a replay, before decryption
    fanOut.inject(new LiveMessage.Frame(epoch, 200, true, flipped));
    fanOut.inject(new LiveMessage.Frame(epoch, 201, true, forge(epoch, home.clock.instant()))); // fresh counter, a key of its own
    fanOut.inject(new LiveMessage.Frame(epoch + 5, 202, true, forge(epoch + 5, home.clock.instant()))); // an epoch nobody announced
    fanOut.end();
    List<EncodedFrame> out = new ArrayList<>();
    try (LiveViewer v = home.viewer(home.phone)) {
      LiveViewer.Stats st = v.watch(sub, Duration.ofSeconds(10), out::add);
      assertEquals(30, st.framesOut(), st::toString);
      assertEquals(5, st.framesReplayed(), st::toString);
      assertEquals(1, st.framesTampered(), st::toString);
      assertEquals(1, st.framesNoKey(), st::toString);
      assertEquals(1, st.envelopesDuplicate(), st::toString);
      assertEquals(6, st.refused(), st::toString);
    }
    assertSameFrames(sent.frames, 0, out);
  }

  @Test
  void malformedMessagesAreCountedAndTheWatchGoesOn() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    MemoryFanOut.Sub sub = fanOut.subscriber();
    fanOut.inject(new LiveMessage.Envelope(0, new byte[] {1, 2, 3}));
    fanOut.inject(new LiveMessage.Frame(0, 0, true, new byte[] {(byte) 0xff}));
    fanOut.inject(new LiveMessage.Frame(0, 1, true, new byte[] {0x10, 1, 2}));
    Sent sent = publish(fanOut, 10, 5, Duration.ofMinutes(10), 66);
    fanOut.end();
    List<EncodedFrame> out = new ArrayList<>();
    try (LiveViewer v = home.viewer(home.tablet)) {
      LiveViewer.Stats st = v.watch(sub, Duration.ofSeconds(10), out::add);
      assertEquals(10, st.framesOut(), st::toString);
      assertEquals(1, st.envelopesRefused(), st::toString);
      assertEquals(2, st.framesMalformed() + st.framesNoKey() + st.framesTampered(), st::toString);
      assertEquals(1, st.envelopesAccepted(), st::toString);
    }
    assertSameFrames(sent.frames, 0, out);
  }

  /**
   * A transport records a live session and replays it 2 minutes later to a new viewer: the
   * envelope is young enough for an epoch, but every frame's authenticated capture time is 2
   * minutes off, so nothing is written.
   */
  @Test
  void aSessionReplayedTwoMinutesLaterWritesNothing() throws Exception {
    MemoryFanOut live = new MemoryFanOut();
    MemoryFanOut.Sub first = live.subscriber();
    publish(live, 30, 15, Duration.ofMinutes(10), 66);
    live.end();
    try (LiveViewer v = home.viewer(home.phone)) {
      LiveViewer.Stats fresh = v.watch(first, Duration.ofSeconds(10), f -> {});
      assertEquals(30, fresh.framesOut(), "the live session itself plays: " + fresh);
    }
    assertEquals(31, live.published.size(), "1 envelope and 30 frames");

    home.clock.advance(Duration.ofMinutes(2));
    MemoryFanOut replay = new MemoryFanOut();
    MemoryFanOut.Sub victim = replay.subscriber();
    live.published.forEach(replay::inject);
    replay.end();
    List<EncodedFrame> out = new ArrayList<>();
    try (LiveViewer v = home.viewer(home.tablet)) {
      LiveViewer.Stats st = v.watch(victim, Duration.ofSeconds(10), out::add);
      assertEquals(0, st.framesOut(), st::toString);
      assertEquals(30, st.framesStale(), "every replayed frame refused as stale: " + st);
      assertEquals(1, st.envelopesAccepted(), "a 2-minute-old envelope is within an epoch: " + st);
      assertTrue(v.lastProblem().startsWith("stale frame refused"), v.lastProblem());
    }
    assertTrue(out.isEmpty(), "no byte of a stale frame reaches the sink");
  }

  /** Frames stamped 5 minutes before or after the viewer's clock are refused and counted; no byte is written. */
  @Test
  void framesStampedMinutesOffAreRefusedAndCounted() throws Exception {
    Instant now = home.clock.instant();
    Clock viewerClock = Clock.fixed(now, ZoneOffset.UTC);
    EpochKey key = EpochKey.generate(PORCH, EpochId.of(4), EntropySource.system());
    byte[] env = envelope(key, now.minusSeconds(30));
    long nowMicros = LiveFrame.micros(now);
    long fiveMin = Duration.ofMinutes(5).toNanos() / 1000;
    long[] capture = {nowMicros - fiveMin, nowMicros + fiveMin, nowMicros - 9_000_000, nowMicros + 9_000_000,
        nowMicros - 11_000_000, nowMicros};
    List<byte[]> sealed = new ArrayList<>();
    try (SFrameSender s = SFrameSender.builder(key, CounterStore.inMemoryForTests()).build()) {
      for (int i = 0; i < capture.length; i++) {
        sealed.add(s.seal(new EncodedFrame(i, true, new byte[] {0, 0, 0, 1, 0x65, (byte) i, 7, 7}), capture[i]));
      }
    }
    try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, home.view(home.phone)).clock(viewerClock).build()) {
      List<EncodedFrame> out = new ArrayList<>();
      v.accept(new LiveMessage.Envelope(4, env), out::add);
      for (int i = 0; i < sealed.size(); i++) {
        v.accept(new LiveMessage.Frame(4, i, true, sealed.get(i)), out::add);
      }
      LiveViewer.Stats st = v.stats();
      assertEquals(List.of(2L, 3L, 5L), out.stream().map(EncodedFrame::presentationMicros).toList(),
          "within 10 s either way: written; 5 minutes before or after, or 11 s before: refused");
      assertEquals(3, st.framesStale(), st::toString);
      assertEquals(3, st.refused(), st::toString);
      assertEquals(0, st.framesReplayed(), st::toString);
    }
    // a tolerance of 10 minutes lets the 5-minute-old frames through (it is configurable)
    try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, home.view(home.phone)).clock(viewerClock)
        .frameTolerance(Duration.ofMinutes(10)).build()) {
      List<EncodedFrame> out = new ArrayList<>();
      v.accept(new LiveMessage.Envelope(4, env), out::add);
      for (int i = 0; i < sealed.size(); i++) {
        v.accept(new LiveMessage.Frame(4, i, true, sealed.get(i)), out::add);
      }
      assertEquals(6, out.size(), v.stats()::toString);
    }
  }

  /** The default envelope age bound is the camera's epoch duration plus the frame tolerance, not an hour. */
  @Test
  void anEnvelopeOlderThanAnEpochIsRefused() throws Exception {
    Instant now = home.clock.instant();
    Clock viewerClock = Clock.fixed(now, ZoneOffset.UTC);
    Map<Duration, Long> accepted = new LinkedHashMap<>();
    long epoch = 20;
    for (Duration age : List.of(Duration.ofMinutes(10), Duration.ofMinutes(10).plusSeconds(11), Duration.ofMinutes(30),
        Duration.ofSeconds(-9), Duration.ofSeconds(-11))) {
      byte[] env = envelope(EpochKey.generate(PORCH, EpochId.of(epoch), EntropySource.system()), now.minus(age));
      try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, home.view(home.phone)).clock(viewerClock).build()) {
        v.accept(new LiveMessage.Envelope(epoch, env), f -> {});
        accepted.put(age, v.stats().envelopesAccepted());
      }
      epoch++;
    }
    assertEquals(List.of(1L, 0L, 0L, 1L, 0L), new ArrayList<>(accepted.values()), accepted::toString);
    // a camera with longer epochs: the viewer told so accepts the 30-minute-old envelope
    byte[] env = envelope(EpochKey.generate(PORCH, EpochId.of(40), EntropySource.system()), now.minus(Duration.ofMinutes(30)));
    try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, home.view(home.phone)).clock(viewerClock)
        .epochDuration(Duration.ofHours(1)).build()) {
      v.accept(new LiveMessage.Envelope(40, env), f -> {});
      assertEquals(1, v.stats().envelopesAccepted(), v.stats()::toString);
    }
  }

  @Test
  void envelopesNotSignedByTheRosterCameraOrOfAnotherStreamAreRefused() throws Exception {
    Instant now = home.clock.instant();
    // another household's camera (or the relay) wraps a key to our phone and signs it itself
    CameraIdentity intruder = CameraIdentity.generate(EntropySource.system());
    EpochKey key = EpochKey.generate(PORCH, EpochId.of(7), EntropySource.system());
    byte[] foreign = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(7), now), key,
        List.of(home.phone.publicKey()), intruder.signingKey());
    byte[] unsigned = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(7), now), key,
        List.of(home.phone.publicKey()));
    byte[] stale = envelope(key, now.minus(Duration.ofDays(1)));
    byte[] otherStream = KeyEnvelope.seal(new EnvelopeHeader(GARAGE, EpochId.of(7), now),
        EpochKey.generate(GARAGE, EpochId.of(7), EntropySource.system()), home.roster.recipients(),
        home.camera.identity().signingKey(), home.roster.ref());
    byte[] frame;
    try (SFrameSender s = SFrameSender.builder(key, CounterStore.inMemoryForTests()).clock(home.clock).build()) {
      frame = s.seal(new EncodedFrame(0, true, new byte[] {0, 0, 0, 1, 0x65, 1, 2, 3}));
    }
    try (LiveViewer v = home.viewer(home.phone)) {
      List<EncodedFrame> out = new ArrayList<>();
      List<String> why = new ArrayList<>();
      for (byte[] e : List.of(foreign, unsigned, stale, otherStream)) {
        v.accept(new LiveMessage.Envelope(7, e), out::add);
        why.add(v.lastProblem());
      }
      v.accept(new LiveMessage.Frame(7, 0, true, frame), out::add);
      LiveViewer.Stats st = v.stats();
      assertEquals(4, st.envelopesRefused(), st::toString);
      assertEquals(1, st.framesNoKey(), st::toString);
      assertTrue(out.isEmpty());
      assertFalse(v.hasEpoch(EpochId.of(7)));
      assertTrue(why.get(3).contains("garage"), why::toString);
      for (String w : why) {
        assertNotNull(w);
      }
    }
  }

  /** A roster signed while a viewer watches (an enrolment): the viewer reads it and goes on. */
  @Test
  void anEnvelopeForARosterSignedAfterTheViewerOpenedTheStoreIsAccepted() throws Exception {
    VerifiedStore view = home.view(home.phone);
    Roster v3 = home.sdk.enrol(home.phone, ViewerIdentity.generate().publicKey(), Roster.Role.VIEWER, "laptop").roster();
    EpochKey key = EpochKey.generate(PORCH, EpochId.of(9), EntropySource.system());
    byte[] env = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(9), home.clock.instant()), key, v3.recipients(),
        home.camera.identity().signingKey(), v3.ref());
    try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, view).clock(home.clock).build()) {
      v.accept(new LiveMessage.Envelope(9, env), f -> {});
      assertEquals(1, v.stats().envelopesAccepted(), v.stats()::toString);
      assertTrue(v.hasEpoch(EpochId.of(9)));
    }
    assertEquals(3, view.roster().orElseThrow().version());
  }

  /**
   * After a dropped frame output waits for the next keyframe by the authenticated flag (the
   * transport's routing flag cannot fake one), and a validly signed envelope of an older epoch
   * than the one in use is refused (no downgrade).
   */
  @Test
  void aDroppedFrameMakesTheViewerWaitForTheNextKeyframeAndOldEpochsStayOut() throws Exception {
    EpochKey five = EpochKey.generate(PORCH, EpochId.of(5), EntropySource.system());
    EpochKey three = EpochKey.generate(PORCH, EpochId.of(3), EntropySource.system());
    byte[] env5 = envelope(five, home.clock.instant());
    byte[] env3 = envelope(three, home.clock.instant());
    List<byte[]> sealed = new ArrayList<>();
    try (SFrameSender s = SFrameSender.builder(five, CounterStore.inMemoryForTests()).clock(home.clock).build()) {
      for (int i = 0; i < 8; i++) {
        sealed.add(s.seal(new EncodedFrame(i * 66_667L, i % 4 == 0, new byte[] {0, 0, 0, 1, 0x41, (byte) i, 9, 9})));
      }
    }
    try (LiveViewer v = home.viewer(home.tablet)) {
      List<Long> out = new ArrayList<>();
      LiveViewer.FrameSink sink = f -> out.add(f.presentationMicros() / 66_667L);
      v.accept(new LiveMessage.Envelope(5, env5), sink);
      for (int i = 0; i < 8; i++) {
        if (i != 2) { // the transport drops frame 2, and says frame 3 is a keyframe
          v.accept(new LiveMessage.Frame(5, i, i % 4 == 0 || i == 3, sealed.get(i)), sink);
        }
      }
      v.accept(new LiveMessage.Envelope(3, env3), sink); // validly signed, but older than the epoch in use
      LiveViewer.Stats st = v.stats();
      assertEquals(List.of(0L, 1L, 4L, 5L, 6L, 7L), out, "frame 3 needs frame 2: output resumes at keyframe 4");
      assertEquals(1, st.framesAfterGap(), st::toString);
      assertEquals(1, st.envelopesAccepted(), st::toString);
      assertEquals(1, st.envelopesRefused(), st::toString);
      assertTrue(v.lastProblem().contains("older than epoch 5"), v.lastProblem());
      assertFalse(v.hasEpoch(EpochId.of(3)));
    }
  }

  @Test
  void aViewerNeedsAVerifiedRosterAndLeaksNothingInToString() throws Exception {
    VerifiedStore empty = VerifiedStore.builder().store(new dev.obscura.crypto.testing.MemStore()).open();
    assertThrows(IllegalArgumentException.class, () -> LiveViewer.builder(PORCH, home.phone, empty));
    try (LiveViewer v = home.viewer(home.phone)) {
      assertEquals("LiveViewer[porch, 0 frames out, 0 refused]", v.toString());
    }
  }

  /** A signed envelope of the porch for the household's roster, made at {@code created}. */
  byte[] envelope(EpochKey key, Instant created) {
    return KeyEnvelope.seal(new EnvelopeHeader(PORCH, key.epoch(), created), key, home.roster.recipients(),
        home.camera.identity().signingKey(), home.roster.ref());
  }

  /** A frame of {@code epoch} of the porch sealed under a random key, with a counter far above the camera's. */
  static byte[] forge(long epoch, Instant at) throws IOException {
    CounterStore high = CounterStore.inMemoryForTests();
    high.store(1_000_000);
    EpochKey key = EpochKey.generate(PORCH, EpochId.of(epoch), EntropySource.system());
    try (SFrameSender s = SFrameSender.builder(key, high).clock(Clock.fixed(at, ZoneOffset.UTC)).build()) {
      return s.seal(new EncodedFrame(0, true, new byte[] {0, 0, 0, 1, 0x65, 1, 2, 3, 4, 5, 6, 7}));
    }
  }

  @Test
  void theStoreHoldsTheEnvelopesTheTransportCarried() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    Sent sent = publish(fanOut, 45, 15, Duration.ofSeconds(1), 70);
    List<LiveMessage> envelopes = fanOut.published.stream().filter(m -> m instanceof LiveMessage.Envelope).toList();
    assertEquals(3, envelopes.size());
    for (LiveMessage m : envelopes) {
      byte[] stored = home.store.objects.get(ObjectNames.envelope(PORCH, EpochId.of(m.epoch())));
      assertArrayEquals(stored, m.payload(), "epoch " + m.epoch());
    }
    assertEquals(3, sent.envelopes.size());
  }
}
