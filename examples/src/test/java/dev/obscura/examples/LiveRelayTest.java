package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.FfmpegLogs;
import dev.obscura.codec.FrameSources;
import dev.obscura.codec.FrameStamp;
import dev.obscura.codec.Mp4Probe;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.FrameSource;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.CameraIdentity;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.crypto.sframe.CounterStore;
import dev.obscura.crypto.sframe.SFrameSender;
import dev.obscura.examples.live.LiveCamera;
import dev.obscura.examples.live.LiveMp4Writer;
import dev.obscura.examples.live.LiveViewer;
import dev.obscura.transport.relay.RelayAuthException;
import dev.obscura.transport.relay.RelayClientConfig;
import dev.obscura.transport.relay.RelayConfig;
import dev.obscura.transport.relay.RelayEnvelope;
import dev.obscura.transport.relay.RelayFrame;
import dev.obscura.transport.relay.RelayMessage;
import dev.obscura.transport.relay.RelayPublisher;
import dev.obscura.transport.relay.RelayServer;
import dev.obscura.transport.relay.RelayStats;
import dev.obscura.transport.relay.RelayStreams;
import dev.obscura.transport.relay.RelaySubscriber;
import dev.obscura.transport.relay.RelayToken;
import dev.obscura.transport.relay.RelayWire;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live view end to end on loopback: a camera (synthetic, 320x240 at 15 fps) publishes through a
 * real relay to two enrolled viewers, checked frame by frame against what the camera encoded; a
 * third party with a valid subscribe token records every relay byte and decrypts nothing;
 * tokens of another household are refused; replayed and forged frames are refused and counted.
 */
class LiveRelayTest {
  static {
    FfmpegLogs.errorsOnly();
  }

  static final StreamId PORCH = StreamId.of("porch");
  static final StreamId GARAGE = StreamId.of("garage");
  static final String PORCH_PUB = "porch-publish-0123456789abcdef";
  static final String PORCH_SUB = "porch-subscribe-0123456789abcdef";
  static final String GARAGE_PUB = "garage-publish-0123456789abcdef";
  static final String GARAGE_SUB = "garage-subscribe-0123456789abcdef";

  @TempDir Path dir;
  RelayServer relay;
  Household home;

  @BeforeEach
  void start() throws Exception {
    home = new Household(dir);
    relay = RelayServer.start(RelayConfig.builder().port(0).build(), RelayStreams.builder()
        .add(PORCH.toString(), PORCH_PUB, PORCH_SUB)
        .add(GARAGE.toString(), GARAGE_PUB, GARAGE_SUB)
        .build());
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  /** A viewer, or a recorder of relay bytes, on its own thread. */
  static final class Watcher {
    final RelaySubscriber subscriber;
    final LiveViewer viewer;
    final LiveMp4Writer mp4;
    final List<EncodedFrame> frames = Collections.synchronizedList(new ArrayList<>());
    final Map<Long, Long> arrivedAtNanos = new ConcurrentHashMap<>();
    final List<byte[]> wire = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong frameMessages = new AtomicLong();
    volatile LiveViewer.Stats stats;
    volatile Throwable failure;
    final Thread thread;

    Watcher(URI uri, String token, ViewerIdentity identity, VerifiedStore view, Path mp4) throws IOException {
      this(uri, token, identity, view, mp4, java.time.Clock.systemUTC());
    }

    Watcher(URI uri, String token, ViewerIdentity identity, VerifiedStore view, Path mp4, java.time.Clock clock)
        throws IOException {
      this.subscriber = RelaySubscriber.connect(uri, PORCH, RelayToken.of(token), RelayClientConfig.defaults());
      this.viewer = LiveViewer.builder(PORCH, identity, view).clock(clock).build();
      this.mp4 = mp4 == null ? null : new LiveMp4Writer(mp4);
      this.thread = new Thread(this::loop, "watcher");
      thread.start();
    }

    private void loop() {
      try {
        for (RelayMessage m; (m = subscriber.next()) != null; ) {
          wire.add(RelayWire.encode(m));
          viewer.accept(m, f -> {
            arrivedAtNanos.put(f.presentationMicros(), System.nanoTime());
            frames.add(f);
            if (mp4 != null) {
              mp4.write(f);
            }
          });
          stats = viewer.stats();
          if (m instanceof RelayFrame) {
            frameMessages.incrementAndGet();
          }
        }
      } catch (Throwable t) {
        failure = t;
      }
    }

    /** Waits until {@code n} frame messages were handled, then stops. */
    LiveViewer.Stats finish(long n) throws Exception {
      await(() -> frameMessages.get() >= n || failure != null, "frame messages " + n + " (have " + frameMessages.get() + ")");
      subscriber.close();
      thread.join(10_000);
      assertNull(failure, () -> "watcher failed: " + failure);
      viewer.close();
      return stats;
    }
  }

  static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  void awaitViewers(int n) throws InterruptedException {
    await(() -> relay.stats().stream(PORCH).map(s -> s.viewers().size()).orElse(0) == n, n + " viewers");
  }

  static List<Long> stamps(Path mp4) throws Exception {
    List<Long> out = new ArrayList<>();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
      g.start();
      for (Frame f; (f = g.grabImage()) != null; ) {
        out.add(FrameStamp.read(f).frameNumber());
      }
    }
    return out;
  }

  /** What the camera sent, in order, with the time each left it. */
  static final class Sent implements LiveCamera.Listener {
    final List<EncodedFrame> frames = Collections.synchronizedList(new ArrayList<>());
    final List<byte[]> sealed = Collections.synchronizedList(new ArrayList<>());
    final Map<Long, Long> sentAtNanos = new ConcurrentHashMap<>();
    final List<byte[]> envelopes = Collections.synchronizedList(new ArrayList<>());
    Runnable afterFrame = () -> {};

    @Override
    public void epochStarted(EpochId epoch, int recipients, byte[] envelope) {
      envelopes.add(envelope);
    }

    @Override
    public void frameSent(EncodedFrame frame, byte[] sealedFrame, long sequence) {
      sentAtNanos.put(frame.presentationMicros(), System.nanoTime());
      frames.add(frame);
      sealed.add(sealedFrame);
      afterFrame.run();
    }
  }

  LiveCamera.Stats runCamera(FrameSource source, Sent sent, Duration epochs) throws Exception {
    try (RelayPublisher pub = RelayPublisher.connect(relay.uri(), PORCH, RelayToken.of(PORCH_PUB), RelayClientConfig.defaults());
        LiveCamera camera = LiveCamera.builder().store(home.store).stream(PORCH).camera(home.camera)
            .publisher(pub).epochDuration(epochs).listener(sent).build();
        source) {
      return camera.run(source);
    }
  }

  static void assertSameFrames(List<EncodedFrame> source, int from, List<EncodedFrame> got) {
    assertEquals(source.size() - from, got.size(), "frames from " + from + " to the end");
    for (int i = 0; i < got.size(); i++) {
      EncodedFrame s = source.get(from + i);
      EncodedFrame g = got.get(i);
      assertArrayEquals(s.data(), g.data(), "H.264 access unit " + (from + i));
      assertEquals(s.keyframe(), g.keyframe(), "keyframe flag of " + (from + i));
      assertEquals(s.presentationMicros(), g.presentationMicros(), "time of " + (from + i));
    }
  }

  @Test
  void cameraAndTwoViewersFrameByFrameWhileAThirdPartyLearnsNothing() throws Exception {
    Path phoneMp4 = dir.resolve("phone.mp4");
    Path tabletMp4 = dir.resolve("tablet.mp4");
    Watcher phone = new Watcher(relay.uri(), PORCH_SUB, home.phone, home.view(), phoneMp4);
    Watcher tablet = new Watcher(relay.uri(), PORCH_SUB, home.tablet, home.view(), tabletMp4);
    // the third party: a valid subscribe token (the relay operator has them all) and a key of its own
    Watcher eve = new Watcher(relay.uri(), PORCH_SUB, ViewerIdentity.generate(), home.view(), null);
    awaitViewers(3);

    Sent sent = new Sent();
    Watcher[] late = new Watcher[1];
    VerifiedStore lateView = home.view();
    sent.afterFrame = () -> {
      if (sent.frames.size() == 20) { // a viewer that joins mid-stream, mid-epoch
        try {
          late[0] = new Watcher(relay.uri(), PORCH_SUB, home.tablet, lateView, null);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
    // real-time pacing, as a camera; a new epoch at every keyframe (every second)
    LiveCamera.Stats cam = runCamera(FrameSources.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(3),
        Duration.ofSeconds(1), true), sent, Duration.ofMillis(500));
    assertEquals(45, cam.frames());
    assertEquals(3, cam.keyframes());
    assertEquals(3, cam.epochs(), "one epoch per keyframe");
    List<EncodedFrame> source = sent.frames;

    for (Watcher w : List.of(phone, tablet)) {
      LiveViewer.Stats st = w.finish(45);
      assertEquals(45, st.framesOut(), st::toString);
      assertEquals(3, st.envelopesAccepted(), st::toString);
      assertEquals(0, st.refused(), st::toString);
      assertSameFrames(source, 0, w.frames);
      assertEquals(45, w.mp4.finish());
    }
    for (Path mp4 : List.of(phoneMp4, tabletMp4)) {
      assertEquals(LongStream.range(0, 45).boxed().toList(), stamps(mp4), "burned-in frame numbers of " + mp4);
      Mp4Probe.Result r = Mp4Probe.probe(mp4);
      assertEquals(45, r.frames());
      assertEquals(3, r.keyframes());
      assertEquals(320, r.width());
      assertEquals("h264", r.codec());
    }

    // the late joiner starts at the next keyframe (frame 30), with epoch 2's envelope from the relay's cache
    LiveViewer.Stats lateStats = late[0].finish(15);
    assertEquals(15, lateStats.framesOut(), lateStats::toString);
    assertEquals(1, lateStats.envelopesAccepted(), lateStats::toString);
    assertSameFrames(source, 30, late[0].frames);

    // the third party got every message and opened nothing
    LiveViewer.Stats eveStats = eve.finish(45);
    assertEquals(0, eveStats.framesOut(), eveStats::toString);
    assertEquals(3, eveStats.envelopesNotForUs(), eveStats::toString);
    assertEquals(45 + 3, eve.wire.size(), "every frame and envelope");

    // the store holds the same (signed) envelopes the relay carried, so export and late viewers agree
    List<StoredObject> stored = home.store.list(ObjectNames.envelopePrefix(PORCH));
    assertEquals(3, stored.size());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(sent.envelopes.get(i), home.store.readAll(stored.get(i).name(), 1 << 20));
    }

    Map<String, byte[]> held = new LinkedHashMap<>();
    for (int i = 0; i < eve.wire.size(); i++) {
      held.put("relay message " + i, eve.wire.get(i));
    }
    for (StoredObject o : home.store.list("")) {
      held.put("stored " + o.name(), home.store.readAll(o.name(), 1 << 24));
    }
    List<byte[]> plaintexts = source.stream().map(EncodedFrame::data).toList();
    // the scan works: what the viewer wrote is full of what it looks for
    byte[] clear = Files.readAllBytes(phoneMp4);
    assertTrue(NoPlaintextAtRestTest.findBox(clear, "moov") && NoPlaintextAtRestTest.findBox(clear, "mdat"));
    assertTrue(NoPlaintextAtRestTest.findSps(clear) && NoPlaintextAtRestTest.findSps(source.get(0).data()));
    assertTrue(PlaintextScan.sharesARun(clear, source.get(1).data()));
    PlaintextScan.assertNothingIn(held, plaintexts);

    // end-to-end latency: handed to the relay socket -> decrypted by the phone, on one machine
    List<Long> lat = new ArrayList<>();
    for (EncodedFrame f : source) {
      lat.add((phone.arrivedAtNanos.get(f.presentationMicros()) - sent.sentAtNanos.get(f.presentationMicros())) / 1000);
    }
    Collections.sort(lat);
    System.out.printf("live latency camera->relay->viewer (45 frames, 320x240@15, loopback): p50 %.1f ms, p90 %.1f ms, max %.1f ms%n",
        lat.get(lat.size() / 2) / 1000.0, lat.get(lat.size() * 9 / 10) / 1000.0, lat.get(lat.size() - 1) / 1000.0);
  }

  @Test
  void replayedAndForgedFramesAreRefusedAndCounted() throws Exception {
    Watcher phone = new Watcher(relay.uri(), PORCH_SUB, home.phone, home.view(), null);
    awaitViewers(1);
    Sent sent = new Sent();
    runCamera(FrameSources.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(2), Duration.ofSeconds(1), false),
        sent, Duration.ofMinutes(10));
    assertEquals(30, sent.frames.size());

    // an attacker with the publish token re-injects captured frames (the new connection replaces
    // the camera's) and one with a flipped bit; the relay's header even says "keyframe"
    try (RelayPublisher attacker = RelayPublisher.connect(relay.uri(), PORCH, RelayToken.of(PORCH_PUB), RelayClientConfig.defaults())) {
      long epoch = home.camera.nextEpoch(PORCH) - 1;
      attacker.sendEnvelope(epoch, sent.envelopes.get(0)); // a duplicate envelope changes nothing
      for (int i : new int[] {0, 7, 15, 29}) {
        attacker.sendFrame(epoch, true, sent.sealed.get(i));
      }
      byte[] flipped = sent.sealed.get(29).clone();
      flipped[flipped.length - 1] ^= 1; // same counter as a frame seen: refused as a replay, before decryption
      attacker.sendFrame(epoch, true, flipped);
      attacker.sendFrame(epoch, true, forge(epoch)); // a fresh counter under a key of its own
      attacker.sendFrame(epoch + 5, true, forge(epoch + 5)); // an epoch nobody announced
      attacker.flush();
    }
    LiveViewer.Stats st = phone.finish(30 + 7);
    assertEquals(30, st.framesOut(), st::toString);
    assertEquals(5, st.framesReplayed(), st::toString);
    assertEquals(1, st.framesTampered(), st::toString);
    assertEquals(1, st.framesNoKey(), st::toString);
    assertEquals(1, st.envelopesDuplicate(), st::toString);
    assertSameFrames(sent.frames, 0, phone.frames);
  }

  /**
   * A relay (or anyone with a subscribe token) records a live session and replays it, through the
   * real relay, to a new viewer 2 minutes later: the envelope is young enough for an epoch, but
   * every frame's authenticated capture time is 2 minutes off, so nothing is written.
   */
  @Test
  void aSessionReplayedTwoMinutesLaterToANewViewerWritesNothing() throws Exception {
    Watcher recorder = new Watcher(relay.uri(), PORCH_SUB, home.phone, home.view(), null);
    awaitViewers(1);
    Sent sent = new Sent();
    runCamera(FrameSources.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(2), Duration.ofSeconds(1), false),
        sent, Duration.ofMinutes(10));
    LiveViewer.Stats fresh = recorder.finish(30);
    assertEquals(30, fresh.framesOut(), "the live session itself plays: " + fresh);
    assertEquals(0, fresh.framesStale(), fresh::toString);
    List<byte[]> recorded = new ArrayList<>(recorder.wire);
    assertEquals(31, recorded.size(), "1 envelope and 30 frames");

    // 2 minutes later (the new viewer's clock is 2 minutes ahead of the recording) the relay replays it
    java.time.Clock later = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(2));
    Watcher victim = new Watcher(relay.uri(), PORCH_SUB, home.tablet, home.view(), dir.resolve("victim.mp4"), later);
    awaitViewers(1);
    try (RelayPublisher replayer = RelayPublisher.connect(relay.uri(), PORCH, RelayToken.of(PORCH_PUB), RelayClientConfig.defaults())) {
      for (byte[] wire : recorded) {
        RelayMessage m = RelayWire.decode(wire, 1 << 24);
        if (m instanceof RelayEnvelope e) {
          replayer.sendEnvelope(e.epoch(), e.payload());
        } else {
          RelayFrame f = (RelayFrame) m;
          replayer.sendFrame(f.epoch(), f.keyframe(), f.payload());
        }
      }
      replayer.flush();
    }
    LiveViewer.Stats st = victim.finish(30);
    assertEquals(0, st.framesOut(), st::toString);
    assertEquals(30, st.framesStale(), "every replayed frame refused as stale: " + st);
    assertEquals(1, st.envelopesAccepted(), "a 2-minute-old envelope is within an epoch: " + st);
    assertTrue(victim.frames.isEmpty(), "no byte of a stale frame reaches the sink");
    assertThrows(IllegalStateException.class, victim.mp4::finish, "nothing to write");
    assertFalse(Files.exists(dir.resolve("victim.mp4")));
    assertTrue(victim.viewer.lastProblem().startsWith("stale frame refused"), victim.viewer.lastProblem());
  }

  /** Frames stamped 5 minutes before or after the viewer's clock are refused and counted; no byte is written. */
  @Test
  void framesStampedMinutesOffAreRefusedAndCounted() throws Exception {
    Instant now = Instant.parse("2030-01-02T03:04:05Z");
    java.time.Clock viewerClock = java.time.Clock.fixed(now, java.time.ZoneOffset.UTC);
    EpochKey key = EpochKey.generate(PORCH, EpochId.of(4), EntropySource.system());
    byte[] env = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(4), now.minusSeconds(30)), key,
        home.roster.recipients(), home.camera.identity().signingKey(), home.roster.ref());
    long nowMicros = dev.obscura.crypto.sframe.LiveFrame.micros(now);
    long fiveMin = Duration.ofMinutes(5).toNanos() / 1000;
    long[] capture = {nowMicros - fiveMin, nowMicros + fiveMin, nowMicros - 9_000_000, nowMicros + 9_000_000,
        nowMicros - 11_000_000, nowMicros};
    List<byte[]> sealed = new ArrayList<>();
    try (SFrameSender s = SFrameSender.builder(key, CounterStore.inMemoryForTests()).build()) {
      for (int i = 0; i < capture.length; i++) {
        sealed.add(s.seal(new EncodedFrame(i, true, new byte[] {0, 0, 0, 1, 0x65, (byte) i, 7, 7}), capture[i]));
      }
    }
    try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, home.view()).clock(viewerClock).build()) {
      List<EncodedFrame> out = new ArrayList<>();
      v.accept(new RelayEnvelope(4, env), out::add);
      for (int i = 0; i < sealed.size(); i++) {
        v.accept(new RelayFrame(4, i, true, sealed.get(i)), out::add);
      }
      LiveViewer.Stats st = v.stats();
      assertEquals(List.of(2L, 3L, 5L), out.stream().map(EncodedFrame::presentationMicros).toList(),
          "within 10 s either way: written; 5 minutes before or after, or 11 s before: refused");
      assertEquals(3, st.framesStale(), st::toString);
      assertEquals(3, st.refused(), st::toString);
      assertEquals(0, st.framesReplayed(), st::toString);
    }
    // a tolerance of 10 minutes lets the 5-minute-old frames through (it is configurable)
    try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, home.view()).clock(viewerClock)
        .frameTolerance(Duration.ofMinutes(10)).build()) {
      List<EncodedFrame> out = new ArrayList<>();
      v.accept(new RelayEnvelope(4, env), out::add);
      for (int i = 0; i < sealed.size(); i++) {
        v.accept(new RelayFrame(4, i, true, sealed.get(i)), out::add);
      }
      assertEquals(6, out.size(), v.stats()::toString);
    }
  }

  /** The default envelope age bound is the camera's epoch duration plus the frame tolerance, not an hour. */
  @Test
  void anEnvelopeOlderThanAnEpochIsRefused() throws Exception {
    Instant now = Instant.parse("2030-01-02T03:04:05Z");
    java.time.Clock viewerClock = java.time.Clock.fixed(now, java.time.ZoneOffset.UTC);
    Map<Duration, Long> accepted = new LinkedHashMap<>();
    long epoch = 20;
    for (Duration age : List.of(Duration.ofMinutes(10), Duration.ofMinutes(10).plusSeconds(11), Duration.ofMinutes(30),
        Duration.ofSeconds(-9), Duration.ofSeconds(-11))) {
      EpochKey key = EpochKey.generate(PORCH, EpochId.of(epoch), EntropySource.system());
      byte[] env = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(epoch), now.minus(age)), key,
          home.roster.recipients(), home.camera.identity().signingKey(), home.roster.ref());
      try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, home.view()).clock(viewerClock).build()) {
        v.accept(new RelayEnvelope(epoch, env), f -> {});
        accepted.put(age, v.stats().envelopesAccepted());
      }
      epoch++;
    }
    assertEquals(List.of(1L, 0L, 0L, 1L, 0L), new ArrayList<>(accepted.values()), accepted::toString);
    // a camera with longer epochs: the viewer told so accepts the 30-minute-old envelope
    EpochKey key = EpochKey.generate(PORCH, EpochId.of(40), EntropySource.system());
    byte[] env = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(40), now.minus(Duration.ofMinutes(30))), key,
        home.roster.recipients(), home.camera.identity().signingKey(), home.roster.ref());
    try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, home.view()).clock(viewerClock)
        .epochDuration(Duration.ofHours(1)).build()) {
      v.accept(new RelayEnvelope(40, env), f -> {});
      assertEquals(1, v.stats().envelopesAccepted(), v.stats()::toString);
    }
  }

  /** A frame of {@code epoch} of the porch sealed under a random key, with a counter far above the camera's. */
  static byte[] forge(long epoch) throws IOException {
    CounterStore high = CounterStore.inMemoryForTests();
    high.store(1_000_000);
    EpochKey key = EpochKey.generate(PORCH, EpochId.of(epoch), EntropySource.system());
    try (SFrameSender s = SFrameSender.builder(key, high).build()) {
      return s.seal(new EncodedFrame(0, true, new byte[] {0, 0, 0, 1, 0x65, 1, 2, 3, 4, 5, 6, 7}));
    }
  }

  @Test
  void crossHouseholdSubscriptionIsRefused() throws Exception {
    RelayClientConfig c = RelayClientConfig.defaults();
    RelayAuthException other = assertThrows(RelayAuthException.class,
        () -> RelaySubscriber.connect(relay.uri(), GARAGE, RelayToken.of(PORCH_SUB), c));
    assertEquals(403, other.statusCode());
    assertEquals(403, assertThrows(RelayAuthException.class,
        () -> RelaySubscriber.connect(relay.uri(), PORCH, RelayToken.of(GARAGE_SUB), c)).statusCode());
    assertEquals(403, assertThrows(RelayAuthException.class,
        () -> RelayPublisher.connect(relay.uri(), GARAGE, RelayToken.of(PORCH_PUB), c)).statusCode());
    assertEquals(403, assertThrows(RelayAuthException.class,
        () -> RelaySubscriber.connect(relay.uri(), PORCH, RelayToken.of(PORCH_PUB), c)).statusCode(),
        "a publish token does not subscribe");
    assertFalse(other.getMessage().contains(PORCH_SUB), "no token in messages");
  }

  @Test
  void envelopesNotSignedByTheRosterCameraAreRefused() throws Exception {
    // another household's camera (or the relay) wraps a key to our phone and signs it itself
    CameraIdentity intruder = CameraIdentity.generate(EntropySource.system());
    EpochKey key = EpochKey.generate(PORCH, EpochId.of(7), EntropySource.system());
    byte[] env = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(7), Instant.now()), key,
        List.of(home.phone.publicKey()), intruder.signingKey());
    byte[] unsigned = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(7), Instant.now()), key,
        List.of(home.phone.publicKey()));
    byte[] stale = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(7), Instant.now().minus(Duration.ofDays(1))),
        key, List.of(home.phone.publicKey()), home.camera.identity().signingKey(), home.roster.ref());
    byte[] otherStream = KeyEnvelope.seal(new EnvelopeHeader(GARAGE, EpochId.of(7), Instant.now()),
        EpochKey.generate(GARAGE, EpochId.of(7), EntropySource.system()), List.of(home.phone.publicKey()),
        home.camera.identity().signingKey(), home.roster.ref());
    byte[] frame;
    try (SFrameSender s = SFrameSender.builder(key, CounterStore.inMemoryForTests()).build()) {
      frame = s.seal(new EncodedFrame(0, true, new byte[] {0, 0, 0, 1, 0x65, 1, 2, 3}));
    }
    try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, home.view()).build()) {
      List<EncodedFrame> out = new ArrayList<>();
      for (byte[] e : List.of(env, unsigned, stale, otherStream)) {
        v.accept(new RelayEnvelope(7, e), out::add);
      }
      v.accept(new RelayFrame(7, 0, true, frame), out::add);
      LiveViewer.Stats st = v.stats();
      assertEquals(4, st.envelopesRefused(), st::toString);
      assertEquals(1, st.framesNoKey(), st::toString);
      assertTrue(out.isEmpty());
      assertFalse(v.hasEpoch(EpochId.of(7)));
    }
  }

  /** A roster signed while a viewer watches (an enrolment): the viewer reads it and goes on. */
  @Test
  void anEnvelopeForARosterSignedAfterTheViewerOpenedTheStoreIsAccepted() throws Exception {
    VerifiedStore view = home.view();
    dev.obscura.crypto.roster.Roster v3 = dev.obscura.crypto.trust.Household.of(home.store,
        dev.obscura.crypto.trust.FileTrustStore.besideKeyFile(home.phoneKey),
        home.storeDir.toAbsolutePath().normalize().toString())
        .enrol(home.phone, ViewerIdentity.generate().publicKey(), dev.obscura.crypto.roster.Roster.Role.VIEWER, "laptop")
        .roster();
    EpochKey key = EpochKey.generate(PORCH, EpochId.of(9), EntropySource.system());
    byte[] env = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(9), Instant.now()), key, v3.recipients(),
        home.camera.identity().signingKey(), v3.ref());
    try (LiveViewer v = LiveViewer.builder(PORCH, home.phone, view).build()) {
      v.accept(new RelayEnvelope(9, env), f -> {});
      assertEquals(1, v.stats().envelopesAccepted(), v.stats()::toString);
      assertTrue(v.hasEpoch(EpochId.of(9)));
    }
    assertEquals(3, view.roster().orElseThrow().version());
  }

  @Test
  void aDroppedFrameMakesTheViewerWaitForTheNextKeyframeAndOldEpochsStayOut() throws Exception {
    EpochKey five = EpochKey.generate(PORCH, EpochId.of(5), EntropySource.system());
    EpochKey three = EpochKey.generate(PORCH, EpochId.of(3), EntropySource.system());
    byte[] env5 = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(5), Instant.now()), five,
        home.roster.recipients(), home.camera.identity().signingKey(), home.roster.ref());
    byte[] env3 = KeyEnvelope.seal(new EnvelopeHeader(PORCH, EpochId.of(3), Instant.now()), three,
        home.roster.recipients(), home.camera.identity().signingKey(), home.roster.ref());
    List<byte[]> sealed = new ArrayList<>();
    try (SFrameSender s = SFrameSender.builder(five, CounterStore.inMemoryForTests()).build()) {
      for (int i = 0; i < 8; i++) {
        sealed.add(s.seal(new EncodedFrame(i * 66_667L, i % 4 == 0, new byte[] {0, 0, 0, 1, 0x41, (byte) i, 9, 9})));
      }
    }
    try (LiveViewer v = LiveViewer.builder(PORCH, home.tablet, home.view()).build()) {
      List<Long> out = new ArrayList<>();
      LiveViewer.FrameSink sink = f -> out.add(f.presentationMicros() / 66_667L);
      v.accept(new RelayEnvelope(5, env5), sink);
      for (int i = 0; i < 8; i++) {
        if (i != 2) { // the relay drops frame 2
          v.accept(new RelayFrame(5, i, i % 4 == 0, sealed.get(i)), sink);
        }
      }
      v.accept(new RelayEnvelope(3, env3), sink); // validly signed, but older than the epoch in use
      LiveViewer.Stats st = v.stats();
      assertEquals(List.of(0L, 1L, 4L, 5L, 6L, 7L), out, "frame 3 needs frame 2: output resumes at keyframe 4");
      assertEquals(1, st.framesAfterGap(), st::toString);
      assertEquals(1, st.envelopesAccepted(), st::toString);
      assertEquals(1, st.envelopesRefused(), st::toString);
      assertFalse(v.hasEpoch(EpochId.of(3)));
    }
  }
}
