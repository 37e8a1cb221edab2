package dev.obscura.transport.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EpochId;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.transport.relay.RelayEnvelope;
import dev.obscura.transport.relay.RelayFrame;
import dev.obscura.transport.relay.RelayMessage;
import dev.obscura.transport.relay.RelayWire;
import io.nats.client.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NATS live fan-out against a real three-node JetStream cluster. */
class NatsLiveTest {
  static final String A = "house-a";
  static final String B = "house-b";
  static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir static Path dir;
  static NatsCredentials authority;
  static NatsCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    NatsCluster.assumeInstalled();
    authority = NatsCredentials.createOperator("obscura-test");
    cluster = NatsCluster.start(dir, authority, List.of(A, B));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static NatsLiveConfig config(NatsUserCreds creds) {
    return NatsLiveConfig.builder(cluster.urls(), creds).build();
  }

  static byte[] payload(String label, int n) {
    byte[] b = new byte[200 + (n % 7) * 50];
    byte[] l = (label + "-" + n).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(l, 0, b, 0, l.length);
    return b;
  }

  static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  /**
   * Waits until the household's stream answers a joiner's direct gets, as {@link
   * NatsLiveSubscriber} sends them, with epoch {@code epoch}'s envelope and keyframe {@code
   * keyframe} of {@code cam}.
   */
  static void awaitStored(StreamId cam, long epoch, long keyframe) throws Exception {
    NatsSession probe = NatsSession.open(config(authority.viewer(A, "probe")), "probe");
    try {
      String[] gets = {NatsSubjects.directGet(A, NatsSubjects.subject(A, cam, NatsSubjects.ENVELOPE)),
          NatsSubjects.directGet(A, NatsSubjects.subject(A, cam, NatsSubjects.KEYFRAME))};
      await(() -> {
        try {
          Message[] got = probe.requestAll(WAIT, gets);
          return stored(got[0]) instanceof RelayEnvelope e && e.epoch() == epoch
              && stored(got[1]) instanceof RelayFrame f && f.sequence() == keyframe;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (MalformedDataException e) {
          throw new AssertionError("the stream holds a malformed message", e);
        }
      }, "the stream to store envelope " + epoch + " and keyframe " + keyframe);
    } finally {
      probe.close();
    }
  }

  static RelayMessage stored(Message m) throws MalformedDataException {
    return m == null || m.getData() == null || m.getData().length == 0 ? null : RelayWire.decode(m.getData(), 1 << 20);
  }

  @Test
  void twoViewersGetEveryFrameInOrder() throws Exception {
    StreamId cam = StreamId.of("front.door");
    EpochId epoch = EpochId.of(3);
    try (NatsLiveSubscriber v1 = NatsLiveSubscriber.connect(config(authority.viewer(A, "phone1")), A, cam);
        NatsLiveSubscriber v2 = NatsLiveSubscriber.connect(config(authority.viewer(A, "phone2", cam)), A, cam);
        NatsLivePublisher pub = NatsLivePublisher.connect(config(authority.camera(A, cam)), A, cam)) {
      byte[] env = payload("env", 3);
      pub.publishEnvelope(epoch, env);
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        byte[] f = payload("f", i);
        sent.add(f);
        assertEquals(i, pub.publishFrame(epoch, i % 10 == 0, f));
      }
      pub.flush();
      for (NatsLiveSubscriber v : List.of(v1, v2)) {
        LiveMessage first = v.next(WAIT);
        LiveMessage.Envelope e = assertInstanceOf(LiveMessage.Envelope.class, first);
        assertEquals(3, e.epoch());
        assertArrayEquals(env, e.payload());
        for (int i = 0; i < 60; i++) {
          LiveMessage.Frame f = assertInstanceOf(LiveMessage.Frame.class, v.next(WAIT));
          assertEquals(i, f.sequence());
          assertEquals(i % 10 == 0, f.keyframe());
          assertEquals(3, f.epoch());
          assertArrayEquals(sent.get(i), f.payload());
        }
        assertThrows(SocketTimeoutException.class, () -> v.next(Duration.ofMillis(200)));
        NatsLiveStats s = v.stats();
        assertEquals(61, s.delivered());
        assertEquals(0, s.gaps());
        assertEquals(0, s.skipEvents());
      }
    }
  }

  @Test
  void lateJoinerGetsTheEnvelopeAndTheStoredKeyframeAtOnce() throws Exception {
    StreamId cam = StreamId.of("garden");
    try (NatsLivePublisher pub = NatsLivePublisher.connect(config(authority.camera(A, cam)), A, cam)) {
      pub.publishEnvelope(EpochId.of(1), payload("env", 1));
      pub.publishEnvelope(EpochId.of(2), payload("env", 2));
      for (int i = 0; i < 25; i++) {
        pub.publishFrame(EpochId.of(2), i % 10 == 0, payload("f", i)); // keyframes 0, 10, 20
      }
      pub.flush(); // the server has them; the stream stores them on its own time:
      awaitStored(cam, 2, 20);
      try (NatsLiveSubscriber late = NatsLiveSubscriber.connect(config(authority.viewer(A, "late")), A, cam)) {
        // nothing more published: both come from the stream
        LiveMessage.Envelope e = assertInstanceOf(LiveMessage.Envelope.class, late.next(WAIT));
        assertEquals(2, e.epoch());
        assertArrayEquals(payload("env", 2), e.payload());
        LiveMessage.Frame k = assertInstanceOf(LiveMessage.Frame.class, late.next(WAIT));
        assertTrue(k.keyframe());
        assertEquals(20, k.sequence());
        assertArrayEquals(payload("f", 20), k.payload());
        assertThrows(SocketTimeoutException.class, () -> late.next(Duration.ofMillis(200)));
        // live frames after the stored keyframe: 25..29 follow a gap (21..24 were before the
        // join), so they wait for the next keyframe, 30
        for (int i = 25; i < 35; i++) {
          pub.publishFrame(EpochId.of(2), i % 10 == 0, payload("f", i));
        }
        pub.flush();
        LiveMessage.Frame next = assertInstanceOf(LiveMessage.Frame.class, late.next(WAIT));
        assertEquals(30, next.sequence());
        assertTrue(next.keyframe());
        for (int i = 31; i < 35; i++) {
          assertEquals(i, ((LiveMessage.Frame) late.next(WAIT)).sequence());
        }
        assertEquals(1, late.stats().gaps());
        assertEquals(1, late.stats().catchUps());
      }
    }
  }

  @Test
  void slowViewerSkipsToTheNextKeyframeAndCountsIt() throws Exception {
    StreamId cam = StreamId.of("porch");
    NatsLiveConfig small = NatsLiveConfig.builder(cluster.urls(), authority.viewer(A, "slow"))
        .maxMessageBytes(64 << 10).queue(8, 1 << 20).build();
    try (NatsLiveSubscriber slow = NatsLiveSubscriber.connect(small, A, cam);
        NatsLivePublisher pub = NatsLivePublisher.connect(config(authority.camera(A, cam)), A, cam)) {
      pub.publishEnvelope(EpochId.of(0), payload("env", 0));
      for (int i = 0; i < 104; i++) { // the last group, 100..103, fits the queue
        pub.publishFrame(EpochId.of(0), i % 10 == 0, payload("f", i));
      }
      pub.flush();
      // the viewer reads nothing until every message reached its client, past its catch-up
      await(() -> slow.stats().received() >= 105 && slow.stats().catchUps() >= 1, "105 messages at the slow viewer");
      List<LiveMessage> got = new ArrayList<>();
      try {
        for (;;) {
          got.add(slow.next(Duration.ofMillis(300)));
        }
      } catch (SocketTimeoutException done) {
        // drained
      }
      NatsLiveStats s = slow.stats();
      assertTrue(s.skipEvents() > 0, s.toString());
      assertTrue(s.skippedFrames() > 0, s.toString());
      assertTrue(got.size() <= 8, "the queue is bounded: " + got.size());
      // what it got starts with the envelope and a keyframe and has no hole after that
      assertInstanceOf(LiveMessage.Envelope.class, got.get(0));
      LiveMessage.Frame k = (LiveMessage.Frame) got.get(1);
      assertTrue(k.keyframe());
      for (int i = 2; i < got.size(); i++) {
        assertEquals(k.sequence() + i - 1, ((LiveMessage.Frame) got.get(i)).sequence());
      }
      assertEquals(104, ((LiveMessage.Frame) got.get(got.size() - 1)).sequence() + 1);
      assertEquals(105, s.received(), "every message reached the client: " + s);
    }
  }

  @Test
  void aViewerOfOneHouseholdCannotSubscribeToAnother() throws Exception {
    StreamId cam = StreamId.of("kitchen");
    NatsUserCreds viewerOfA = authority.viewer(A, "nosy");
    NatsRefusedException e = assertThrows(NatsRefusedException.class,
        () -> NatsLiveSubscriber.connect(config(viewerOfA), B, cam).close());
    assertTrue(e.getMessage().toLowerCase().contains("permission"), e.getMessage());
    assertFalse(e.getMessage().contains(viewerOfA.jwt()));
    // a viewer scoped to one camera cannot watch another camera of its own household
    NatsUserCreds oneCam = authority.viewer(A, "scoped", StreamId.of("garden"));
    assertThrows(NatsRefusedException.class,
        () -> NatsLiveSubscriber.connect(config(oneCam), A, cam).close());
  }

  @Test
  void aCameraOfOneHouseholdCannotPublishIntoAnother() throws Exception {
    StreamId cam = StreamId.of("kitchen");
    try (NatsLiveSubscriber victim = NatsLiveSubscriber.connect(config(authority.viewer(B, "owner")), B, cam)) {
      NatsUserCreds cameraOfA = authority.camera(A, cam);
      NatsRefusedException e = assertThrows(NatsRefusedException.class, () -> {
        try (NatsLivePublisher p = NatsLivePublisher.connect(config(cameraOfA), B, cam)) {
          p.publishEnvelope(EpochId.of(0), payload("forged", 0));
          p.publishFrame(EpochId.of(0), true, payload("forged", 1));
          p.flush();
        }
      });
      assertTrue(e.getMessage().toLowerCase().contains("permission"), e.getMessage());
      // and a camera of A cannot publish a frame of another camera of A either
      try (NatsLivePublisher own = NatsLivePublisher.connect(config(cameraOfA), A, cam)) {
        own.publishFrame(EpochId.of(0), true, payload("ok", 0));
        own.flush();
      }
      NatsRefusedException other = assertThrows(NatsRefusedException.class, () -> {
        try (NatsLivePublisher p = NatsLivePublisher.connect(config(cameraOfA), A, StreamId.of("garden"))) {
          p.publishFrame(EpochId.of(0), true, payload("forged", 2));
          p.flush();
        }
      });
      assertTrue(other.getMessage().toLowerCase().contains("permission"), other.getMessage());
      assertThrows(SocketTimeoutException.class, () -> victim.next(Duration.ofMillis(300)));
      assertEquals(0, victim.stats().received());
    }
  }
}
