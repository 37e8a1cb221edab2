package dev.obscura.transport.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EpochId;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.LivePublisher;
import dev.obscura.core.LiveSubscriber;
import dev.obscura.core.StreamId;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RelayLive}: the relay client as the SDK's {@link LivePublisher} and {@link
 * LiveSubscriber}, on a real relay over loopback. Fields and payloads arrive as sent, timeouts
 * and normal ends are told apart, refusals keep their types, and a late joiner still gets the
 * epoch's envelope before its first frame.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayLiveTest {
  static final StreamId PORCH = StreamId.of("porch");
  static final String PUB = "porch-pub-7Qm2kV0xS9aLr3Yt1Zc";
  static final String SUB = "porch-sub-Jw8Pn4bHe6UfK1dGq5";
  static final Duration WAIT = Duration.ofSeconds(10);
  RelayServer relay;

  @BeforeEach
  void start() throws Exception {
    relay = RelayServer.start(RelayConfig.builder().port(0).build(),
        RelayStreams.builder().add(PORCH.toString(), PUB, SUB).build());
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  LivePublisher publisher() throws Exception {
    return RelayLive.connectPublisher(relay.uri(), PORCH, RelayToken.of(PUB), RelayClientConfig.defaults());
  }

  LiveSubscriber subscriber(int viewers) throws Exception {
    LiveSubscriber s = RelayLive.connectSubscriber(relay.uri(), PORCH, RelayToken.of(SUB), RelayClientConfig.defaults());
    await(() -> relay.stats().stream(PORCH).map(st -> st.viewers().size()).orElse(0) == viewers, viewers + " viewers");
    return s;
  }

  static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  /** Whether {@code t} is parked in a timed wait inside {@link RelaySubscriber#next}. */
  static boolean waitingInNext(Thread t) {
    return t != null && t.getState() == Thread.State.TIMED_WAITING && Arrays.stream(t.getStackTrace())
        .anyMatch(e -> e.getClassName().equals(RelaySubscriber.class.getName()) && e.getMethodName().equals("next"));
  }

  @Test
  void envelopesAndFramesArriveWithTheirFieldsAndPayloads() throws Exception {
    try (LiveSubscriber sub = subscriber(1); LivePublisher pub = publisher()) {
      pub.publishEnvelope(EpochId.of(3), new byte[] {9, 8, 7});
      assertEquals(0, pub.publishFrame(EpochId.of(3), true, new byte[] {1, 2, 3}));
      assertEquals(1, pub.publishFrame(EpochId.of(3), false, new byte[] {4}));
      assertEquals(2, pub.publishFrame(EpochId.of(3), false, new byte[] {5, 6}));
      pub.flush();
      assertEquals(new LiveMessage.Envelope(3, new byte[] {9, 8, 7}), sub.next(WAIT));
      assertEquals(new LiveMessage.Frame(3, 0, true, new byte[] {1, 2, 3}), sub.next(WAIT));
      assertEquals(new LiveMessage.Frame(3, 1, false, new byte[] {4}), sub.next(WAIT));
      LiveMessage last = sub.next(WAIT);
      LiveMessage.Frame f = assertInstanceOf(LiveMessage.Frame.class, last);
      assertArrayEquals(new byte[] {5, 6}, f.payload());
      assertEquals("LiveMessage.Frame[epoch 3, seq 2, 2 bytes]", f.toString(), "metadata only");
      // nothing more: a timeout, not an end
      assertThrows(SocketTimeoutException.class, () -> sub.next(Duration.ofMillis(100)));
    }
  }

  @Test
  void aLateJoinerGetsTheEpochsEnvelopeBeforeItsFirstKeyframe() throws Exception {
    try (LivePublisher pub = publisher()) {
      pub.publishEnvelope(EpochId.of(5), new byte[] {42});
      pub.publishFrame(EpochId.of(5), true, new byte[] {1});
      pub.publishFrame(EpochId.of(5), false, new byte[] {2});
      pub.flush();
      await(() -> relay.stats().stream(PORCH).map(st -> st.framesIn()).orElse(0L) == 2, "2 frames in");
      try (LiveSubscriber late = subscriber(1)) {
        pub.publishFrame(EpochId.of(5), false, new byte[] {3}); // not a place to start
        pub.publishFrame(EpochId.of(5), true, new byte[] {4});
        pub.flush();
        assertEquals(new LiveMessage.Envelope(5, new byte[] {42}), late.next(WAIT));
        assertEquals(new LiveMessage.Frame(5, 3, true, new byte[] {4}), late.next(WAIT));
      }
    }
  }

  @Test
  void theRelayEndingTheStreamIsANormalEndAndClosingUnblocksAWaitingViewer() throws Exception {
    LiveSubscriber waiting = subscriber(1);
    AtomicReference<Thread> reader = new AtomicReference<>();
    CompletableFuture<LiveMessage> blocked = CompletableFuture.supplyAsync(() -> {
      reader.set(Thread.currentThread());
      try {
        return waiting.next(Duration.ofSeconds(30));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // closed only once the reader waits inside next, so that the close is what wakes it
    await(() -> waitingInNext(reader.get()), "the reader to wait in next");
    assertFalse(blocked.isDone(), "nothing was sent: the reader still waits");
    waiting.close(); // from another thread
    assertNull(blocked.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    waiting.close(); // idempotent

    LiveSubscriber sub = subscriber(1);
    relay.close(); // 1001, going away
    assertNull(sub.next(WAIT));
    sub.close();
  }

  @Test
  void refusalsKeepTheirTypesAndNeverShowTheToken() {
    RelayAuthException e = assertThrows(RelayAuthException.class, () -> RelayLive.connectSubscriber(relay.uri(), PORCH,
        RelayToken.of(PUB), RelayClientConfig.defaults()));
    assertEquals(403, e.statusCode());
    assertFalse(e.getMessage().contains(PUB));
    assertThrows(RelayRefusedException.class, () -> RelayLive.connectPublisher(relay.uri(), StreamId.of("attic"),
        RelayToken.of(PUB), RelayClientConfig.defaults()));
  }

  @Test
  void aClosedPublisherRefusesToSend() throws Exception {
    LivePublisher pub = publisher();
    pub.close();
    pub.close(); // idempotent
    assertThrows(java.io.IOException.class, () -> pub.publishFrame(EpochId.of(0), true, new byte[] {1}));
    assertFalse(pub.toString().contains(PUB));
  }
}
