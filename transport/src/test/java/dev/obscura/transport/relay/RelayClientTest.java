package dev.obscura.transport.relay;

import static dev.obscura.transport.relay.RelayServerTest.A;
import static dev.obscura.transport.relay.RelayServerTest.B;
import static dev.obscura.transport.relay.RelayServerTest.GUARD;
import static dev.obscura.transport.relay.RelayServerTest.PUB_A;
import static dev.obscura.transport.relay.RelayServerTest.PUB_B;
import static dev.obscura.transport.relay.RelayServerTest.SUB_A;
import static dev.obscura.transport.relay.RelayServerTest.SUB_B;
import static dev.obscura.transport.relay.RelayServerTest.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.StreamId;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The relay client over each {@link WebSocketClient} on loopback: what goes on the wire in the
 * upgrade, typed failures (refusal, silent server, relay shutdown) and tokens kept out of every
 * log line, exception and {@code toString()}. {@link RelayServerTest} runs the protocol tests over
 * both clients.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayClientTest {
  private static final List<String> TOKENS = List.of(PUB_A, SUB_A, PUB_B, SUB_B);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private RelayServer relay() throws IOException {
    RelayServer relay = RelayServer.start(RelayConfig.defaults(), RelayStreams.parse(
        "front-door " + PUB_A + " " + SUB_A + "\ngarage " + PUB_B + " " + SUB_B + "\n"));
    toClose.add(relay);
    return relay;
  }

  private static RelayClientConfig config(RelayClients client) {
    return RelayClientConfig.builder().webSocketClient(client.create())
        .connectTimeout(Duration.ofMillis(800)).build();
  }

  /** A TCP server that records one upgrade request and answers it with {@code answer}, or never. */
  private static final class OneShotServer implements AutoCloseable {
    final ServerSocket socket;
    final CompletableFuture<List<String>> request = new CompletableFuture<>();
    private final List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());

    OneShotServer(String answer) throws IOException {
      socket = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
      Thread t = new Thread(() -> {
        try {
          Socket s = socket.accept();
          accepted.add(s);
          BufferedReader in = new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
          List<String> lines = new ArrayList<>();
          for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
            lines.add(line);
          }
          request.complete(lines);
          if (answer != null) {
            OutputStream out = s.getOutputStream();
            out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
          }
        } catch (IOException e) {
          request.completeExceptionally(e);
        }
      }, "one-shot-server");
      t.setDaemon(true);
      t.start();
    }

    URI uri() {
      return URI.create("ws://127.0.0.1:" + socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      for (Socket s : accepted) {
        s.close();
      }
      socket.close();
    }
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void theUpgradeCarriesTheTokenOnlyInItsHeaderAndOffersNoExtension(RelayClients client)
      throws Exception {
    try (OneShotServer server = new OneShotServer(
        "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")) {
      RelayAuthException e = assertThrows(RelayAuthException.class, () -> RelaySubscriber.connect(
          server.uri(), A, RelayToken.of(SUB_A), config(client)));
      assertEquals(403, e.statusCode());
      List<String> lines = server.request.get(GUARD.toSeconds(), TimeUnit.SECONDS);
      assertEquals("GET /v1/streams/front-door/subscribe HTTP/1.1", lines.get(0));
      List<String> names = new ArrayList<>();
      for (String l : lines.subList(1, lines.size())) {
        names.add(l.substring(0, l.indexOf(':')).toLowerCase(java.util.Locale.ROOT));
      }
      assertTrue(lines.contains("Authorization: Bearer " + SUB_A)
          || lines.contains("authorization: Bearer " + SUB_A), lines.toString());
      assertEquals(1, lines.stream().filter(l -> l.contains(SUB_A)).count(),
          "the token is in the Authorization header and nowhere else");
      assertTrue(names.contains("sec-websocket-protocol"));
      assertTrue(lines.stream().anyMatch(l -> l.endsWith(": " + RelayWire.SUBPROTOCOL)));
      assertFalse(names.contains("sec-websocket-extensions"),
          "no extension (permessage-deflate) is offered: " + names);
      assertFalse(e.getMessage().contains(SUB_A));
    }
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void aServerThatNeverAnswersTheUpgradeTimesOutWithATypedException(RelayClients client)
      throws Exception {
    try (OneShotServer server = new OneShotServer(null)) {
      long start = System.nanoTime();
      SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
          () -> RelayPublisher.connect(server.uri(), A, RelayToken.of(PUB_A), config(client)));
      assertTrue(System.nanoTime() - start < GUARD.toNanos());
      assertFalse(e.getMessage().contains(PUB_A));
      server.request.get(GUARD.toSeconds(), TimeUnit.SECONDS); // it did reach the server
    }
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void aRelayShutdownEndsTheStreamForViewersAndClosesThePublisher(RelayClients client)
      throws Exception {
    RelayServer relay = relay();
    RelaySubscriber viewer = RelaySubscriber.connect(relay.uri(), A, RelayToken.of(SUB_A),
        config(client));
    toClose.add(viewer);
    RelayServerTest.await("viewer registered",
        () -> relay.stats().stream(A).orElseThrow().viewers().size() == 1);
    RelayPublisher cam = RelayPublisher.connect(relay.uri(), A, RelayToken.of(PUB_A),
        config(client));
    toClose.add(cam);
    cam.sendEnvelope(0, payload(-1, 50));
    cam.sendFrame(0, true, payload(0, 5000));
    cam.flush();
    assertArrayEquals(payload(-1, 50), viewer.next(GUARD).payload());
    assertArrayEquals(payload(0, 5000), viewer.next(GUARD).payload());

    relay.close(); // 1001, going away
    assertNull(viewer.next(GUARD), "a shutdown ends the stream normally");
    assertEquals(1001, viewer.closeCode());
    RelayClosedException e = assertThrows(RelayClosedException.class, () -> {
      long deadline = System.nanoTime() + GUARD.toNanos();
      while (System.nanoTime() < deadline) {
        cam.sendFrame(0, false, payload(1, 10));
        Thread.sleep(5);
      }
    });
    assertTrue(e.closeCode() == 1001 || e.closeCode() == 1006, "close code " + e.closeCode());
    // A closed client refuses further use with an IOException, not a hang or a runtime error.
    assertThrows(IOException.class, () -> cam.sendFrame(0, true, payload(2, 10)));
  }

  /** An NVR-style phone: many streams of one relay at once, on one client instance. */
  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void oneClientHoldsManyConnectionsToOneRelayAtOnce(RelayClients client) throws Exception {
    RelayServer relay = relay();
    RelayClientConfig config = RelayClientConfig.builder().webSocketClient(client.create())
        .build();
    int viewers = 12;
    List<RelaySubscriber> subs = new ArrayList<>();
    for (int i = 0; i < viewers; i++) {
      RelaySubscriber sub = RelaySubscriber.connect(relay.uri(), A, RelayToken.of(SUB_A), config);
      toClose.add(sub);
      subs.add(sub);
    }
    RelayServerTest.await("viewers registered",
        () -> relay.stats().stream(A).orElseThrow().viewers().size() == viewers);
    RelayPublisher cam = RelayPublisher.connect(relay.uri(), A, RelayToken.of(PUB_A), config);
    toClose.add(cam);
    cam.sendFrame(0, true, payload(0, 2000));
    for (RelaySubscriber sub : subs) {
      assertArrayEquals(payload(0, 2000), sub.next(GUARD).payload());
    }
  }

  @ParameterizedTest
  @EnumSource(RelayClients.class)
  void tokensReachNoLogNoExceptionAndNoToString(RelayClients client) throws Exception {
    // Everything the HTTP stacks log (OkHttp logs through java.util.logging), at every level.
    List<String> logged = Collections.synchronizedList(new ArrayList<>());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(r.getLoggerName() + " " + r.getMessage() + " "
            + java.util.Arrays.toString(r.getParameters()) + " " + trace(r.getThrown()));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(Level.ALL);
    Logger okhttp = Logger.getLogger("okhttp3");
    Logger root = Logger.getLogger("");
    Level okLevel = okhttp.getLevel();
    okhttp.setLevel(Level.ALL);
    okhttp.addHandler(capture);
    root.addHandler(capture);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new RelayServerTest.TeeStream(original, err), true,
        StandardCharsets.UTF_8));
    List<String> texts = new ArrayList<>();
    try {
      RelayServer relay = relay();
      RelayClientConfig config = config(client);
      texts.add(config.toString());
      // refusals: another household's stream, the wrong role, an unknown stream
      for (Object[] attempt : new Object[][] {{B, SUB_A}, {A, PUB_A}, {StreamId.of("attic"), SUB_B}}) {
        texts.add(trace(assertThrows(RelayRefusedException.class, () -> RelaySubscriber.connect(
            relay.uri(), (StreamId) attempt[0], RelayToken.of((String) attempt[1]), config))));
      }
      texts.add(trace(assertThrows(RelayAuthException.class, () -> RelayPublisher.connect(
          relay.uri(), B, RelayToken.of(PUB_A), config))));
      // nobody listening, and a server that never answers
      int closedPort;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = s.getLocalPort();
      }
      texts.add(trace(assertThrows(IOException.class, () -> RelayPublisher.connect(
          URI.create("ws://127.0.0.1:" + closedPort), A, RelayToken.of(PUB_A), config))));
      try (OneShotServer silent = new OneShotServer(null)) {
        texts.add(trace(assertThrows(IOException.class, () -> RelaySubscriber.connect(
            silent.uri(), A, RelayToken.of(SUB_A), config))));
      }
      // a session that works, then is replaced, then shut down
      RelaySubscriber viewer = RelaySubscriber.connect(relay.uri(), A, RelayToken.of(SUB_A),
          config);
      toClose.add(viewer);
      RelayServerTest.await("viewer registered",
          () -> relay.stats().stream(A).orElseThrow().viewers().size() == 1);
      RelayPublisher cam = RelayPublisher.connect(relay.uri(), A, RelayToken.of(PUB_A), config);
      toClose.add(cam);
      cam.sendFrame(0, true, payload(0, 100));
      assertInstanceOf(RelayFrame.class, viewer.next(GUARD));
      RelayPublisher second = RelayPublisher.connect(relay.uri(), A, RelayToken.of(PUB_A), config);
      toClose.add(second);
      texts.add(trace(assertThrows(RelayClosedException.class, () -> {
        while (true) {
          cam.sendFrame(0, true, payload(1, 10));
          Thread.sleep(5);
        }
      })));
      texts.add(cam.toString());
      texts.add(viewer.toString());
      relay.close();
      texts.add(trace(assertThrows(IOException.class, () -> {
        while (true) {
          second.sendFrame(0, true, payload(2, 10));
          Thread.sleep(5);
        }
      })));
      texts.add(String.valueOf(viewer.next(GUARD)));
    } finally {
      System.err.flush();
      System.setErr(original);
      okhttp.removeHandler(capture);
      root.removeHandler(capture);
      okhttp.setLevel(okLevel);
    }
    String all = String.join("\n", texts) + "\n" + String.join("\n", logged) + "\n"
        + err.toString(StandardCharsets.UTF_8);
    assertTrue(all.contains("refused with HTTP 403"), "the exceptions were captured");
    for (String token : TOKENS) {
      assertFalse(all.contains(token.substring(6)), "a token (or part of one) leaked:\n" + all);
    }
  }

  @Test
  void aRequestShowsHeaderNamesButNeverTheirValues() {
    WebSocketClient.Request r = new WebSocketClient.Request(URI.create("ws://127.0.0.1:1/x"),
        Collections.singletonMap("Authorization", "Bearer " + SUB_A), RelayWire.SUBPROTOCOL,
        Duration.ofSeconds(1), 1000);
    assertTrue(r.toString().contains("Authorization"));
    assertFalse(r.toString().contains(SUB_A.substring(6)));
    assertThrows(IllegalArgumentException.class, () -> new WebSocketClient.Request(
        URI.create("http://127.0.0.1:1/x"), Collections.emptyMap(), "p", Duration.ofSeconds(1), 1));
    assertThrows(IllegalArgumentException.class, () -> new WebSocketClient.Request(
        URI.create("ws://127.0.0.1:1/x"), Collections.emptyMap(), "p", Duration.ZERO, 1));
  }

  /**
   * Android has no {@code java.net.http}: only {@link JdkWebSocketClient} (and its nested
   * classes) may name it, and only {@link OkHttpWebSocketClient} may name OkHttp or Okio, so an
   * app that passes one never loads the other. Reads the constant pools of the compiled classes.
   */
  @Test
  void onlyTheJdkClientNamesJavaNetHttpAndOnlyTheOkHttpClientNamesOkHttp() throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of(RelayPublisher.class.getProtectionDomain()
        .getCodeSource().getLocation().toURI()).resolve("dev/obscura/transport/relay");
    List<java.nio.file.Path> classes;
    try (var files = java.nio.file.Files.walk(dir)) {
      classes = files.filter(f -> f.toString().endsWith(".class")).toList();
    }
    assertTrue(classes.size() > 20, "found the compiled relay classes");
    List<String> jdk = new ArrayList<>();
    List<String> okhttp = new ArrayList<>();
    for (java.nio.file.Path c : classes) {
      String pool = new String(java.nio.file.Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
      String name = dir.relativize(c).toString();
      if (pool.contains("java/net/http")) {
        jdk.add(name);
      }
      if (pool.contains("okhttp3/") || pool.contains("okio/")) {
        okhttp.add(name);
      }
    }
    assertFalse(jdk.isEmpty());
    assertFalse(okhttp.isEmpty());
    for (String n : jdk) {
      assertTrue(n.startsWith("JdkWebSocketClient"), n + " names java.net.http");
    }
    for (String n : okhttp) {
      assertTrue(n.startsWith("OkHttpWebSocketClient"), n + " names OkHttp or Okio");
    }
  }

  private static String trace(Throwable t) {
    if (t == null) {
      return "";
    }
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
