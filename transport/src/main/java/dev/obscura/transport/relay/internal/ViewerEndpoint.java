package dev.obscura.transport.relay.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Not API: public only because Jetty invokes endpoints through method handles. */
public final class ViewerEndpoint implements Session.Listener.AutoDemanding {
  private static final Logger LOG =
      LoggerFactory.getLogger(dev.obscura.transport.relay.RelayServer.class);
  private final StreamHub hub;
  private final String remote;
  private volatile Session session;
  private volatile StreamHub.Viewer viewer;

  public ViewerEndpoint(StreamHub hub, String remote) {
    this.hub = hub;
    this.remote = remote;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
    s.setMaxBinaryMessageSize(1024);
    viewer = hub.addViewer(s);
    LOG.info("stream {}: viewer #{} connected from {}", hub.stream, viewer.id, remote);
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback cb) {
    cb.succeed();
    session.close(StatusCode.POLICY_VIOLATION, "subscribers do not send messages",
        org.eclipse.jetty.websocket.api.Callback.NOOP);
  }

  @Override
  public void onWebSocketText(String message) {
    session.close(StatusCode.POLICY_VIOLATION, "subscribers do not send messages",
        org.eclipse.jetty.websocket.api.Callback.NOOP);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    LOG.debug("stream {} viewer: {}", hub.stream, cause.getClass().getSimpleName());
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason,
      org.eclipse.jetty.websocket.api.Callback callback) {
    callback.succeed();
    StreamHub.Viewer v = viewer;
    if (v != null) {
      hub.removeViewer(v);
      LOG.info("stream {}: viewer #{} from {} disconnected ({}); {} messages sent, {} frames"
              + " skipped in {} skip events", hub.stream, v.id, remote, statusCode,
          v.messagesOut(), v.skippedFrames(), v.skipEvents());
    }
  }
}
