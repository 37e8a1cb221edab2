package dev.obscura.transport.relay;

import dev.obscura.transport.internal.NotOnAndroid;
import dev.obscura.core.StreamId;
import java.io.Closeable;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import dev.obscura.transport.relay.internal.PublisherEndpoint;
import dev.obscura.transport.relay.internal.StreamHub;
import dev.obscura.transport.relay.internal.ViewerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live relay: fans out sealed frames from each stream's camera to that stream's viewers over
 * WebSocket ({@code docs/spec/relay-v1.md}).
 *
 * <p>Endpoints: {@code GET /v1/streams/{name}/publish} and {@code GET
 * /v1/streams/{name}/subscribe}, WebSocket upgrades with subprotocol {@value
 * RelayWire#SUBPROTOCOL} and {@code Authorization: Bearer TOKEN}. Before any upgrade the relay
 * answers 401 (no or malformed bearer token), 404 (unknown stream or path), 403 (a token that is
 * not this stream's token for this role, compared in constant time), 503 (stream at its viewer
 * limit), 426 (not a WebSocket upgrade) or 400 (subprotocol not offered).
 *
 * <p>One publisher per stream: a newly authenticated publisher <em>replaces</em> the current one,
 * which is closed with code 4001. A camera that reconnects after a network fault is thus never
 * locked out by its own half-open old connection; only holders of the publish token can do it.
 *
 * <p>Each viewer has a bounded queue ({@link RelayConfig#viewerQueueFrames()}, {@link
 * RelayConfig#viewerQueueBytes()}). When a message does not fit, the relay drops that viewer's
 * queue and every frame up to the next keyframe (a <em>skip event</em>), counts the frames and
 * events ({@link #stats()}) and logs the event at INFO. The publisher and the other viewers never
 * wait for a slow viewer. A new viewer waits for the next keyframe; before the first frame of an
 * epoch it is given the newest ENVELOPE of that epoch the relay holds.
 *
 * <p><b>Security guarantees:</b> the relay holds no key and parses only the 24-byte public header
 * of each message; payloads (SFrame ciphertexts, sealed envelopes) are forwarded byte for byte.
 * What it sees: stream names, which addresses publish and watch, message sizes and timing, the
 * keyframe flag, epoch numbers and frame sequence numbers. Tokens are kept as SHA-256 digests,
 * compared in constant time, and never logged; log lines carry stream names, viewer numbers,
 * remote addresses, counts and close codes only.
 *
 * <p><b>Restrictions:</b> plain {@code ws://}: terminate TLS in front of it (a reverse proxy) or
 * bind it to loopback, because bearer tokens travel in a header. It does not authenticate
 * payloads: a publish-token holder can send garbage, which viewers reject at the SFrame layer. No
 * keepalive pings: a silent connection is closed after {@link RelayConfig#idleTimeout()}. Stream
 * names are not secret: an unknown name gets 404.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * RelayStreams streams = RelayStreams.load(Path.of("streams.txt"));
 * try (RelayServer relay = RelayServer.start(RelayConfig.builder().port(8080).build(), streams)) {
 *   relay.awaitClose();
 * }
 * }</pre>
 */
@NotOnAndroid
public final class RelayServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
  private static final Pattern PATH =
      Pattern.compile("/v1/streams/([A-Za-z0-9][A-Za-z0-9._-]{0,63})/(publish|subscribe)");
  /** Close code for a publisher replaced by a newer connection of the same stream. */
  public static final int CLOSE_REPLACED = PublisherEndpoint.CLOSE_REPLACED;

  private final RelayConfig config;
  private final Map<StreamId, StreamHub> hubs = new LinkedHashMap<>();
  private final Map<StreamId, RelayStreams.Entry> access = new LinkedHashMap<>();
  private final Server server;
  private final ServerConnector connector;
  private final ServerWebSocketContainer container;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  private RelayServer(RelayConfig config, RelayStreams streams) {
    this.config = config;
    AtomicLong viewerIds = new AtomicLong();
    for (Map.Entry<StreamId, RelayStreams.Entry> e : streams.entries().entrySet()) {
      hubs.put(e.getKey(), new StreamHub(e.getKey(), config, viewerIds));
      access.put(e.getKey(), e.getValue());
    }
    QueuedThreadPool pool = new QueuedThreadPool(200, 4);
    pool.setName("obscura-relay");
    server = new Server(pool);
    server.setStopTimeout(2000);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost(config.bindAddress());
    connector.setPort(config.port());
    server.addConnector(connector);
    WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, c -> {
      c.setMaxBinaryMessageSize(config.maxMessageBytes());
      c.setMaxFrameSize(config.maxMessageBytes());
      c.setMaxTextMessageSize(1024);
      c.setIdleTimeout(config.idleTimeout());
      c.setAutoFragment(false);
    });
    container = ws.getServerWebSocketContainer();
    ws.setHandler(new Router());
    server.setHandler(ws);
  }

  /**
   * Starts a relay.
   *
   * @throws java.io.IOException if it cannot listen on the address and port
   */
  public static RelayServer start(RelayConfig config, RelayStreams streams)
      throws java.io.IOException {
    RelayServer relay = new RelayServer(config, streams);
    try {
      relay.server.start();
    } catch (Exception e) {
      try {
        relay.server.stop();
      } catch (Exception ignored) {
        // already failing
      }
      throw new java.io.IOException("relay could not start on " + config.bindAddress() + ":"
          + config.port() + ": " + e.getClass().getSimpleName(), e);
    }
    LOG.info("relay listening on {}:{} with {} stream(s)", config.bindAddress(), relay.port(),
        streams.size());
    return relay;
  }

  /** The TCP port it listens on (the ephemeral one if the config said 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Its base address, {@code ws://host:port}. */
  public URI uri() {
    String host = config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("ws://" + host + ":" + port());
  }

  /** A snapshot of its counters. */
  public RelayStats stats() {
    List<RelayStats.StreamStats> list = new ArrayList<>();
    long fi = 0, bi = 0, ei = 0, mo = 0, bo = 0, sf = 0, se = 0;
    for (StreamHub h : hubs.values()) {
      RelayStats.StreamStats s = h.stats();
      list.add(s);
      fi += s.framesIn();
      bi += s.bytesIn();
      ei += s.envelopesIn();
      mo += s.messagesOut();
      bo += s.bytesOut();
      sf += s.skippedFrames();
      se += s.skipEvents();
    }
    return new RelayStats(fi, bi, ei, mo, bo, sf, se, list);
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitClose() throws InterruptedException {
    try {
      stopped.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Closes every connection with 1001 (going away), waiting up to 2 s for the close handshakes,
   * then stops listening. Idempotent.
   */
  @Override
  public void close() {
    if (stopped.isDone()) {
      return;
    }
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Session s : container.getOpenSessions()) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      s.close(StatusCode.SHUTDOWN, "relay shutting down",
          org.eclipse.jetty.websocket.api.Callback.from(() -> f.complete(null),
              t -> f.complete(null)));
      closing.add(f);
    }
    try {
      CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
          .get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("relay: not every connection closed in time");
    }
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("relay: stopping the HTTP server failed: {}", e.getClass().getSimpleName());
    }
    RelayStats s = stats();
    LOG.info("relay stopped: {} frames and {} envelopes in, {} messages out, {} frames skipped"
        + " in {} skip events", s.framesIn(), s.envelopesIn(), s.messagesOut(),
        s.skippedFrames(), s.skipEvents());
    stopped.complete(null);
  }

  /** Routing and authorization, all before the upgrade. */
  @NotOnAndroid
  private final class Router extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String remote = Request.getRemoteAddr(request);
      Matcher m = PATH.matcher(request.getHttpURI().getPath());
      if (!m.matches()) {
        Response.writeError(request, response, callback, 404);
        return true;
      }
      StreamId name = StreamId.of(m.group(1));
      boolean publish = m.group(2).equals("publish");
      String role = publish ? "publish" : "subscribe";
      if (!HttpMethod.GET.is(request.getMethod())) {
        Response.writeError(request, response, callback, 405);
        return true;
      }
      String token = bearer(request.getHeaders().get(HttpHeader.AUTHORIZATION));
      if (token == null) {
        LOG.info("refused {} to stream {} from {}: no bearer token (401)", role, name, remote);
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"obscura-relay\"");
        Response.writeError(request, response, callback, 401);
        return true;
      }
      StreamHub hub = hubs.get(name);
      if (hub == null) {
        LOG.info("refused {} to stream {} from {}: no such stream (404)", role, name, remote);
        Response.writeError(request, response, callback, 404);
        return true;
      }
      RelayStreams.Entry entry = access.get(name);
      boolean ok = publish ? entry.allowsPublish(token) : entry.allowsSubscribe(token);
      if (!ok) {
        LOG.info("refused {} to stream {} from {}: wrong token (403)", role, name, remote);
        Response.writeError(request, response, callback, 403);
        return true;
      }
      if (!publish && hub.viewerCount() >= config.maxViewersPerStream()) {
        LOG.info("refused subscribe to stream {} from {}: {} viewers already (503)", name,
            remote, hub.viewerCount());
        Response.writeError(request, response, callback, 503);
        return true;
      }
      WebSocketCreator creator = (req, resp, cb) -> {
        if (!req.hasSubProtocol(RelayWire.SUBPROTOCOL)) {
          Response.writeError(req, resp, cb, 400, "subprotocol " + RelayWire.SUBPROTOCOL
              + " required");
          return null;
        }
        resp.setAcceptedSubProtocol(RelayWire.SUBPROTOCOL);
        return publish
            ? new PublisherEndpoint(hub, config, remote)
            : new ViewerEndpoint(hub, remote);
      };
      if (!container.upgrade(creator, request, response, callback)) {
        response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
        Response.writeError(request, response, callback, 426);
      }
      return true;
    }
  }

  /** The token of an {@code Authorization: Bearer} header, or null if absent or malformed. */
  private static String bearer(String header) {
    if (header == null || header.length() < 7
        || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).strip();
    return RelayToken.isWellFormed(token) ? token : null;
  }
}
