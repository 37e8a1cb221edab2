package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.FfmpegLogs;
import dev.obscura.codec.FrameSources;
import dev.obscura.codec.Mp4Probe;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.FrameSource;
import dev.obscura.core.LivePublisher;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.crypto.live.LiveCamera;
import dev.obscura.crypto.live.LiveViewer;
import dev.obscura.examples.live.LiveMp4Writer;
import dev.obscura.transport.relay.RelayAuthException;
import dev.obscura.transport.relay.RelayClientConfig;
import dev.obscura.transport.relay.RelayConfig;
import dev.obscura.transport.relay.RelayEnvelope;
import dev.obscura.transport.relay.RelayFrame;
import dev.obscura.transport.relay.RelayLive;
import dev.obscura.transport.relay.RelayMessage;
import dev.obscura.transport.relay.RelayPublisher;
import dev.obscura.transport.relay.RelayServer;
import dev.obscura.transport.relay.RelayStreams;
import dev.obscura.transport.relay.RelaySubscriber;
import dev.obscura.transport.relay.RelayToken;
import dev.obscura.transport.relay.RelayWire;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live view end to end on loopback: a camera (synthetic, 320x240 at 15 fps) publishes through a
 * real relay to two enrolled viewers, checked frame by frame against what the camera encoded; a
 * third party with a valid subscribe token records every relay byte and decrypts nothing;
 * tokens of another household are refused; a session the relay recorded and replays later plays
 * nothing. The SDK types ({@code dev.obscura.crypto.live}) run over the relay through {@link
 * RelayLive}; the viewer's other refusals are tested against the core interfaces in {@code
 * crypto} ({@code LiveViewerTest}, {@code LiveCameraTest}).
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
          viewer.accept(RelayLive.toLive(m), f -> {
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
    public void frameSent(EncodedFrame frame, byte[] sealedFrame, int offset, int length, long sequence) {
      sentAtNanos.put(frame.presentationMicros(), System.nanoTime());
      frames.add(frame);
      sealed.add(java.util.Arrays.copyOfRange(sealedFrame, offset, offset + length)); // the camera reuses its buffer
      afterFrame.run();
    }
  }

  LiveCamera.Stats runCamera(FrameSource source, Sent sent, Duration epochs) throws Exception {
    try (LivePublisher pub = RelayLive.connectPublisher(relay.uri(), PORCH, RelayToken.of(PORCH_PUB), RelayClientConfig.defaults());
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
    // one epoch per keyframe; and one more, with no frame, when the camera's first keyframe came more
    // than an epoch after it started (FFmpeg start-up on a loaded machine): its envelope was too old
    int epochs = cam.epochs();
    assertTrue(epochs == 3 || epochs == 4, () -> "one epoch per keyframe: " + cam);
    List<EncodedFrame> source = sent.frames;

    for (Watcher w : List.of(phone, tablet)) {
      LiveViewer.Stats st = w.finish(45);
      assertEquals(45, st.framesOut(), st::toString);
      assertEquals(epochs, st.envelopesAccepted(), st::toString);
      assertEquals(0, st.refused(), st::toString);
      assertSameFrames(source, 0, w.frames);
      assertEquals(45, w.mp4.finish());
    }
    for (Path mp4 : List.of(phoneMp4, tabletMp4)) {
      assertEquals(LongStream.range(0, 45).boxed().toList(), CliEndToEndTest.stamps(mp4), "burned-in frame numbers of " + mp4);
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
    assertEquals(epochs, eveStats.envelopesNotForUs(), eveStats::toString);
    assertEquals(45 + epochs, eve.wire.size(), "every frame and envelope");
    if (epochs == 4) { // the extra one is the first, frameless, epoch: envelope, envelope, keyframe
      assertTrue(RelayWire.decode(eve.wire.get(1), 1 << 24) instanceof RelayEnvelope, "an extra epoch only before frame 0");
    }

    // the store holds the same (signed) envelopes the relay carried, so export and late viewers agree
    List<StoredObject> stored = home.store.list(ObjectNames.envelopePrefix(PORCH));
    assertEquals(epochs, stored.size());
    for (int i = 0; i < epochs; i++) {
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
}
