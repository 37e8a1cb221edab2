package dev.obscura.transport.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.StreamId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The relay on real sockets (127.0.0.1, ephemeral ports): a camera and viewers, households kept
 * apart, slow viewers skipped, late joiners, bad input, and logs without tokens. No timing
 * assertions: timeouts only guard against hangs. Every test that uses the relay clients runs
 * over both WebSocket clients ({@link RelayClients}: the JDK's and OkHttp's).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayServerTest {
  // Household A owns stream "front-door", household B owns "garage".
  static final String PUB_A = "pub-A-7Qm2kV0xS9aLr3Yt1Zc";
  static final String SUB_A = "sub-A-Jw8Pn4bHe6UfK1dGq5";
  static final String PUB_B = "pub-B-Xr5Tn2cWq8LmZ0vBa3";
  static final String SUB_B = "sub-B-Hd9Ks4fPy7NgQ2uEw6";
  static final StreamId A = StreamId.of("front-door");
  static final StreamId B = StreamId.of("garage");
  static final Duration GUARD = Duration.ofSeconds(20);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private WebSocketClient webSocket = JdkWebSocketClient.create();

  /** Makes the helpers below connect with this kind of client. */
  private void use(RelayClients client) {
    webSocket = client.create();
  }

  private RelayClientConfig.Builder clientConfig() {
    return RelayClientConfig.builder().webSocketClient(webSocket);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private RelayServer relay(RelayConfig config) throws IOException {
    RelayStreams streams = RelayStreams.parse("# test streams\nfront-door " + PUB_A + " " + SUB_A
        + "\ngarage " + PUB_B + " " + SUB_B + "\n");
    RelayServer relay = RelayServer.start(config, streams);
    toClose.add(relay);
    return relay;
  }

  private RelayPublisher publisher(RelayServer relay, StreamId s, String token)
      throws IOException {
    RelayPublisher p = RelayPublisher.connect(relay.uri(), s, RelayToken.of(token),
        clientConfig().build());
    toClose.add(p);
    return p;
  }

  private RelaySubscriber subscriber(RelayServer relay, StreamId s, String token,
      int receiveQueue) throws IOException {
    RelaySubscriber sub = RelaySubscriber.connect(relay.uri(), s, RelayToken.of(token),
        clientConfig().receiveQueueMessages(receiveQueue).build());
    toClose.add(sub);
    return sub;
  }

  /** Deterministic payload of a frame: its sequence number, then seeded random bytes. */
  static byte[] payload(long seq, int size) {
    byte[] b = new byte[size];
    new SplittableRandom(seq * 31 + size).nextBytes(b);
    ByteBuffer.wrap(b).putLong(0, seq);
    return b;
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + GUARD.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("hang guard: " + what);
      }
      Thread.sleep(5);
    }
  }

  static int viewers(RelayServer relay, StreamId s) {
    return relay.stats().stream(s).orElseThrow().viewers().size();
  }

  static RelayFrame nextFrame(RelaySubscriber sub) throws IOException {
    RelayMessage m = sub.next(GUARD);
    return assertInstanceOf(RelayFrame.class, m);
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void cameraToTwoViewersEveryFrameByteIdenticalAndInOrder(RelayClients client) throws Exception {
    use(client);
    RelayServer relay = relay(RelayConfig.defaults());
    RelaySubscriber v1 = subscriber(relay, A, SUB_A, 16);
    RelaySubscriber v2 = subscriber(relay, A, SUB_A, 16);
    await("two viewers registered", () -> viewers(relay, A) == 2);
    RelayPublisher cam = publisher(relay, A, PUB_A);

    byte[] envelope = payload(-1, 300);
    int frames = 90;
    List<byte[]> sent = new ArrayList<>();
    CompletableFuture<Void> camera = CompletableFuture.runAsync(() -> {
      try {
        cam.sendEnvelope(0, envelope);
        for (int i = 0; i < frames; i++) {
          int size = i % 30 == 0 ? 200_000 : 1 + (i * 7919) % 40_000;
          byte[] p = payload(i, size);
          synchronized (sent) {
            sent.add(p);
          }
          assertEquals(i, cam.sendFrame(0, i % 30 == 0, p));
        }
        cam.flush();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    for (RelaySubscriber v : List.of(v1, v2)) {
      RelayEnvelope e = assertInstanceOf(RelayEnvelope.class, v.next(GUARD));
      assertEquals(0, e.epoch());
      assertArrayEquals(envelope, e.payload());
    }
    for (int i = 0; i < frames; i++) {
      for (RelaySubscriber v : List.of(v1, v2)) {
        RelayFrame f = nextFrame(v);
        assertEquals(i, f.sequence());
        assertEquals(i % 30 == 0, f.keyframe());
        byte[] expected;
        synchronized (sent) {
          expected = sent.get(i);
        }
        assertArrayEquals(expected, f.payload(), "frame " + i);
      }
    }
    camera.get(GUARD.toSeconds(), TimeUnit.SECONDS);
    assertEquals(0, v1.gaps());
    RelayStats.StreamStats s = relay.stats().stream(A).orElseThrow();
    assertEquals(frames, s.framesIn());
    assertEquals(0, s.skippedFrames());
    // The relay counts a message when its write completes, which may be after it arrived.
    await("write callbacks counted",
        () -> relay.stats().stream(A).orElseThrow().messagesOut() == 2L * (frames + 1));

    relay.close(); // graceful: viewers see the end of the stream
    assertNull(v1.next(GUARD));
    assertNull(v2.next(GUARD));
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void householdsAreKeptApartBeforeTheUpgrade(RelayClients client) throws Exception {
    use(client);
    RelayServer relay = relay(RelayConfig.defaults());
    // Cross-household: household A's subscribe token on household B's stream.
    RelayAuthException cross = assertThrows(RelayAuthException.class,
        () -> subscriber(relay, B, SUB_A, 4));
    assertEquals(403, cross.statusCode());
    // A camera cannot publish into another household's stream.
    assertEquals(403, assertThrows(RelayAuthException.class,
        () -> publisher(relay, B, PUB_A)).statusCode());
    // Wrong tokens, and tokens of the wrong role.
    assertEquals(403, assertThrows(RelayAuthException.class,
        () -> subscriber(relay, A, "not-the-right-token-at-all", 4)).statusCode());
    assertEquals(403, assertThrows(RelayAuthException.class,
        () -> publisher(relay, A, "not-the-right-token-at-all")).statusCode());
    assertEquals(403, assertThrows(RelayAuthException.class,
        () -> publisher(relay, A, SUB_A)).statusCode());
    assertEquals(403, assertThrows(RelayAuthException.class,
        () -> subscriber(relay, A, PUB_A, 4)).statusCode());
    // Unknown stream.
    RelayRefusedException unknown = assertThrows(RelayRefusedException.class,
        () -> subscriber(relay, StreamId.of("attic"), SUB_A, 4));
    assertFalse(unknown instanceof RelayAuthException);
    assertEquals(404, unknown.statusCode());
    // No token at all, and a plain GET: refused before any upgrade.
    HttpClient http = HttpClient.newHttpClient();
    URI sub = URI.create("http://127.0.0.1:" + relay.port() + "/v1/streams/front-door/subscribe");
    HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(sub).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, noToken.statusCode());
    assertTrue(noToken.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    HttpResponse<String> notUpgrade = http.send(HttpRequest.newBuilder(sub)
        .header("Authorization", "Bearer " + SUB_A).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(426, notUpgrade.statusCode());
    assertEquals(0, viewers(relay, A));
    assertEquals(0, viewers(relay, B));
    for (IOException e : List.of(cross, unknown)) {
      for (String t : List.of(PUB_A, SUB_A, PUB_B, SUB_B)) {
        assertFalse(String.valueOf(e.getMessage()).contains(t));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void viewerLimitAndSubprotocolAreEnforcedBeforeTheUpgrade(RelayClients client) throws Exception {
    use(client);
    RelayServer relay = relay(RelayConfig.builder().maxViewersPerStream(1).build());
    subscriber(relay, A, SUB_A, 4);
    await("viewer registered", () -> viewers(relay, A) == 1);
    RelayRefusedException full = assertThrows(RelayRefusedException.class,
        () -> subscriber(relay, A, SUB_A, 4));
    assertEquals(503, full.statusCode());
    java.util.concurrent.ExecutionException noSubprotocol = assertThrows(
        java.util.concurrent.ExecutionException.class,
        () -> HttpClient.newHttpClient().newWebSocketBuilder()
            .header("Authorization", "Bearer " + SUB_B)
            .buildAsync(relay.uri().resolve("/v1/streams/garage/subscribe"), new RawSocket())
            .get(GUARD.toSeconds(), TimeUnit.SECONDS));
    assertEquals(400, assertInstanceOf(java.net.http.WebSocketHandshakeException.class,
        noSubprotocol.getCause()).getResponse().statusCode());
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void slowViewerIsSkippedToAKeyframeWithoutStallingCameraOrFastViewer(RelayClients client) throws Exception {
    use(client);
    RelayServer relay = relay(RelayConfig.builder().maxMessageBytes(1 << 20)
        .viewerQueueFrames(16).viewerQueueBytes(4 << 20).build());
    RelaySubscriber fast = subscriber(relay, A, SUB_A, 16);
    RelaySubscriber slow = subscriber(relay, A, SUB_A, 2);
    await("two viewers registered", () -> viewers(relay, A) == 2);
    long slowId = relay.stats().stream(A).orElseThrow().viewers().stream()
        .mapToLong(RelayStats.ViewerStats::viewerId).max().orElseThrow();
    RelayPublisher cam = publisher(relay, A, PUB_A);
    final int gop = 8;
    final int size = 96 << 10;
    final int lag = 4; // the fast viewer reads frame i - lag after frame i is sent
    byte[] envelope = payload(-1, 200);
    cam.sendEnvelope(3, envelope);
    assertInstanceOf(RelayEnvelope.class, fast.next(GUARD));

    // Publish while the slow viewer reads nothing, until the relay has skipped it, then three
    // more groups of pictures. The fast viewer must get every frame.
    long seq = 0;
    long extra = -1;
    while (extra != 0) {
      assertTrue(seq < 4000, "the relay never skipped the slow viewer");
      cam.sendFrame(3, seq % gop == 0, payload(seq, size));
      if (seq >= lag) {
        RelayFrame f = nextFrame(fast);
        assertEquals(seq - lag, f.sequence());
        assertArrayEquals(payload(seq - lag, size), f.payload());
      }
      seq++;
      if (extra < 0 && slowStats(relay, slowId).skipEvents() > 0) {
        extra = 3L * gop + (gop - seq % gop);
      } else if (extra > 0) {
        extra--;
      }
    }
    for (long s = seq - lag; s < seq; s++) {
      assertEquals(s, nextFrame(fast).sequence());
    }
    assertTrue(slowStats(relay, slowId).skippedFrames() > 0);

    // Now the slow viewer reads: it drains what the relay kept for it, then gets a final group.
    List<RelayMessage> got = new ArrayList<>();
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      try {
        for (RelayMessage m; (m = slow.next(GUARD)) != null; ) {
          synchronized (got) {
            got.add(m);
          }
          if (m instanceof RelayFrame f && f.sequence() == Long.MAX_VALUE) {
            return;
          }
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    await("slow viewer drained its relay queue",
        () -> slowStats(relay, slowId).queuedMessages() == 0);
    long last = seq + gop - 1;
    for (long s = seq; s <= last; s++) {
      cam.sendFrame(3, s == seq, payload(s, size));
      assertEquals(s, nextFrame(fast).sequence());
    }
    // A marker frame ends the reader; the camera's own counter gave it sequence last + 1.
    cam.sendFrame(3, false, payload(last + 1, size));
    await("slow viewer saw the final group", () -> {
      synchronized (got) {
        return got.stream().anyMatch(m -> m instanceof RelayFrame f && f.sequence() == last + 1);
      }
    });
    slow.close();
    reader.get(GUARD.toSeconds(), TimeUnit.SECONDS);

    // Everything the slow viewer got is intact, in order, and after every gap it resumed at a
    // keyframe preceded by the envelope of its epoch.
    long prev = -1;
    int gaps = 0;
    RelayMessage before = null;
    synchronized (got) {
      for (RelayMessage m : got) {
        if (m instanceof RelayFrame f) {
          assertArrayEquals(payload(f.sequence(), size), f.payload());
          assertTrue(f.sequence() > prev, "in order");
          if (f.sequence() != prev + 1 && prev >= 0) {
            gaps++;
            assertTrue(f.keyframe(), "resumed at a keyframe, frame " + f.sequence());
            assertInstanceOf(RelayEnvelope.class, before, "envelope before the resume");
            assertArrayEquals(envelope, before.payload());
          }
          prev = f.sequence();
        }
        before = m;
      }
    }
    assertTrue(gaps > 0);
    assertEquals(last + 1, prev);
    RelayStats stats = relay.stats();
    assertTrue(stats.skippedFrames() > 0 && stats.skipEvents() > 0);
    assertEquals(0, stats.stream(A).orElseThrow().viewers().stream()
        .filter(v -> v.viewerId() != slowId).mapToLong(RelayStats.ViewerStats::skipEvents).sum());
  }

  private static RelayStats.ViewerStats slowStats(RelayServer relay, long id) {
    return relay.stats().stream(A).orElseThrow().viewers().stream()
        .filter(v -> v.viewerId() == id).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void lateJoinerGetsTheCurrentEpochsEnvelopeThenStartsAtTheNextKeyframe(RelayClients client) throws Exception {
    use(client);
    RelayServer relay = relay(RelayConfig.defaults());
    RelaySubscriber early = subscriber(relay, A, SUB_A, 64);
    await("early viewer registered", () -> viewers(relay, A) == 1);
    RelayPublisher cam = publisher(relay, A, PUB_A);
    byte[] env0 = payload(-10, 120);
    byte[] env1 = payload(-11, 130);
    cam.sendEnvelope(0, env0);
    for (long s = 0; s < 10; s++) {
      cam.sendFrame(0, s == 0, payload(s, 1000));
    }
    cam.sendEnvelope(1, env1);
    for (long s = 10; s < 15; s++) {
      cam.sendFrame(1, s == 10, payload(s, 1000));
    }
    int n = 0;
    for (RelayMessage m; n < 17; n++) {
      m = early.next(GUARD);
      if (n == 16) {
        assertEquals(14, assertInstanceOf(RelayFrame.class, m).sequence());
      }
    }
    RelaySubscriber late = subscriber(relay, A, SUB_A, 64);
    await("late viewer registered", () -> viewers(relay, A) == 2);
    cam.sendFrame(1, false, payload(15, 1000));
    cam.sendFrame(1, false, payload(16, 1000));
    cam.sendFrame(1, true, payload(17, 1000));
    cam.sendFrame(1, false, payload(18, 1000));

    RelayEnvelope e = assertInstanceOf(RelayEnvelope.class, late.next(GUARD));
    assertEquals(1, e.epoch());
    assertArrayEquals(env1, e.payload());
    RelayFrame first = nextFrame(late);
    assertTrue(first.keyframe());
    assertEquals(17, first.sequence());
    assertArrayEquals(payload(17, 1000), first.payload());
    assertEquals(18, nextFrame(late).sequence());
    for (long s = 15; s <= 18; s++) {
      assertEquals(s, nextFrame(early).sequence());
    }
    // Joining is not a skip.
    assertEquals(0, relay.stats().skippedFrames());
  }

  @Test
  void oversizeAndMalformedMessagesCloseThePublisherAndTheRelayCarriesOn() throws Exception {
    RelayServer relay = relay(RelayConfig.builder().maxMessageBytes(64 << 10)
        .maxEnvelopeBytes(1 << 10).viewerQueueBytes(1 << 20).build());
    byte[] tooBig = RelayWire.encode(new RelayFrame(0, 0, true, new byte[(64 << 10) - 23]));
    // The relay closes with 1009 before it has read the whole message; a client still writing
    // may see its connection reset first (1006). Either way the relay counted it as malformed
    // (asserted below) and never forwarded it.
    assertOversizeClose(rawPublishAndClose(relay, ByteBuffer.wrap(tooBig)));
    byte[] badVersion = RelayWire.encode(new RelayFrame(0, 0, true, new byte[10]));
    badVersion[0] = 2;
    assertEquals(1002, rawPublishAndClose(relay, ByteBuffer.wrap(badVersion)));
    assertEquals(1002, rawPublishAndClose(relay, ByteBuffer.wrap(new byte[] {1, 1, 0})));
    byte[] bigEnvelope = RelayWire.encode(new RelayEnvelope(0, new byte[2000]));
    assertOversizeClose(rawPublishAndClose(relay, ByteBuffer.wrap(bigEnvelope)));
    assertEquals(4, relay.stats().stream(A).orElseThrow().malformed());

    // A subscriber that sends anything is closed with a policy violation.
    RawSocket viewer = RawSocket.open(relay, A, "subscribe", SUB_A);
    viewer.ws.sendBinary(ByteBuffer.wrap(new byte[] {1}), true);
    assertEquals(1008, viewer.closeCode.get(GUARD.toSeconds(), TimeUnit.SECONDS));

    // The relay still serves a well-behaved camera.
    RelaySubscriber v = subscriber(relay, A, SUB_A, 4);
    await("viewer registered", () -> viewers(relay, A) == 1);
    RelayPublisher cam = publisher(relay, A, PUB_A);
    cam.sendFrame(0, true, payload(0, 100));
    assertArrayEquals(payload(0, 100), nextFrame(v).payload());
  }

  private static void assertOversizeClose(int code) {
    assertTrue(code == 1009 || code == 1006, "expected 1009 (or a reset, 1006), got " + code);
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void aSubscriberBoundsWhatItAcceptsFromTheRelay(RelayClients client) throws Exception {
    use(client);
    RelayServer relay = relay(RelayConfig.defaults());
    RelaySubscriber small = RelaySubscriber.connect(relay.uri(), A, RelayToken.of(SUB_A),
        clientConfig().maxMessageBytes(1000).build());
    toClose.add(small);
    await("viewer registered", () -> viewers(relay, A) == 1);
    RelayPublisher cam = publisher(relay, A, PUB_A);
    cam.sendFrame(0, true, payload(0, 500));
    cam.sendFrame(0, false, payload(1, 5000));
    assertEquals(0, nextFrame(small).sequence());
    RelayClosedException e =
        assertThrows(RelayClosedException.class, () -> small.next(GUARD));
    assertEquals(1009, e.closeCode());
  }

  private static int rawPublishAndClose(RelayServer relay, ByteBuffer message) throws Exception {
    RawSocket cam = RawSocket.open(relay, A, "publish", PUB_A);
    cam.ws.sendBinary(message, true);
    return cam.closeCode.get(GUARD.toSeconds(), TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void aSecondPublisherReplacesTheFirst(RelayClients client) throws Exception {
    use(client);
    RelayServer relay = relay(RelayConfig.defaults());
    RelaySubscriber v = subscriber(relay, A, SUB_A, 8);
    await("viewer registered", () -> viewers(relay, A) == 1);
    RelayPublisher first = publisher(relay, A, PUB_A);
    first.sendFrame(0, true, payload(0, 10));
    assertEquals(0, nextFrame(v).sequence());
    RelayPublisher second = publisher(relay, A, PUB_A);
    second.sendFrame(0, true, payload(100, 10));
    assertArrayEquals(payload(100, 10), nextFrame(v).payload());
    RelayClosedException e = assertThrows(RelayClosedException.class, () -> {
      long deadline = System.nanoTime() + GUARD.toNanos();
      while (System.nanoTime() < deadline) {
        first.sendFrame(0, true, payload(1, 10));
        Thread.sleep(5);
      }
    });
    assertEquals(RelayServer.CLOSE_REPLACED, e.closeCode());
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void theRelayLogsNoToken(RelayClients client) throws Exception {
    use(client);
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
    List<String> messages = new ArrayList<>();
    try {
      RelayServer relay = relay(RelayConfig.builder().viewerQueueFrames(2)
          .viewerQueueBytes(4 << 20).build());
      for (String[] attempt : new String[][] {{"garage", SUB_A}, {"front-door", PUB_A},
          {"front-door", SUB_B}, {"attic", SUB_A}}) {
        IOException e = assertThrows(IOException.class, () -> subscriber(relay,
            StreamId.of(attempt[0]), attempt[1], 4));
        messages.add(e.getMessage());
      }
      messages.add(assertThrows(IOException.class, () -> publisher(relay, B, PUB_A)).getMessage());
      RelaySubscriber v = subscriber(relay, A, SUB_A, 1);
      await("viewer registered", () -> viewers(relay, A) == 1);
      RelayPublisher cam = publisher(relay, A, PUB_A);
      publisher(relay, A, PUB_A); // replaces cam
      RawSocket bad = RawSocket.open(relay, A, "publish", PUB_A);
      bad.ws.sendBinary(ByteBuffer.wrap(new byte[] {7}), true);
      bad.closeCode.get(GUARD.toSeconds(), TimeUnit.SECONDS);
      messages.add(cam.toString());
      messages.add(v.toString());
      messages.add(RelayStreams.parse("a " + PUB_A + " " + SUB_A).toString());
      messages.add(relay.stats().toString());
      relay.close();
    } finally {
      System.err.flush();
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("refused subscribe to stream garage"), "the log was captured");
    assertTrue(log.contains("wrong token (403)"));
    for (String token : List.of(PUB_A, SUB_A, PUB_B, SUB_B)) {
      assertFalse(log.contains(token), "a token leaked into the log");
      // also no recognisable part of one
      assertFalse(log.contains(token.substring(6)), "part of a token leaked into the log");
      for (String m : messages) {
        assertFalse(String.valueOf(m).contains(token.substring(6)), m);
      }
    }
  }

  /** A WebSocket without the relay clients, to send what they never would. */
  static final class RawSocket implements WebSocket.Listener {
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    WebSocket ws;

    static RawSocket open(RelayServer relay, StreamId s, String role, String token)
        throws Exception {
      RawSocket r = new RawSocket();
      r.ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .header("Authorization", "Bearer " + token)
          .subprotocols(RelayWire.SUBPROTOCOL)
          .buildAsync(relay.uri().resolve("/v1/streams/" + s + "/" + role), r)
          .get(GUARD.toSeconds(), TimeUnit.SECONDS);
      return r;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.complete(1006);
    }
  }

  static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int x) throws IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
