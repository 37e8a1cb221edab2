package dev.obscura.transport.relay.internal;

import dev.obscura.core.MalformedDataException;
import dev.obscura.transport.relay.RelayConfig;
import dev.obscura.transport.relay.RelayWire;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Not API: public only because Jetty invokes endpoints through method handles. */
public final class PublisherEndpoint implements Session.Listener.AutoDemanding {
  /** Close code for a publisher replaced by a newer connection of the same stream. */
  public static final int CLOSE_REPLACED = 4001;
  private static final Logger LOG =
      LoggerFactory.getLogger(dev.obscura.transport.relay.RelayServer.class);
  private final RelayConfig config;
  private final StreamHub hub;
  private final String remote;
  private volatile Session session;
  private volatile boolean refused; // closing for a protocol violation: ignore what follows

  public PublisherEndpoint(StreamHub hub, RelayConfig config, String remote) {
    this.hub = hub;
    this.config = config;
    this.remote = remote;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
    Object old = hub.attachPublisher(this);
    LOG.info("stream {}: publisher connected from {}", hub.stream, remote);
    if (old instanceof PublisherEndpoint p && p.session != null) {
      LOG.info("stream {}: replacing the previous publisher from {}", hub.stream, p.remote);
      p.session.close(CLOSE_REPLACED, "replaced by a newer publisher",
          org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback cb) {
    try {
      if (refused) {
        return;
      }
      byte[] message = new byte[payload.remaining()];
      payload.get(message);
      RelayWire.Header header;
      try {
        header = RelayWire.parseHeader(message, config.maxMessageBytes());
      } catch (MalformedDataException e) {
        refuse(StatusCode.PROTOCOL, "malformed message: " + e.getMessage());
        return;
      }
      if (!header.isFrame() && message.length > config.maxEnvelopeBytes()) {
        refuse(StatusCode.MESSAGE_TOO_LARGE, "envelope too large");
        return;
      }
      hub.publish(this, header, message);
    } finally {
      cb.succeed();
    }
  }

  private void refuse(int code, String reason) {
    refused = true;
    hub.detachPublisher(this);
    hub.malformed.incrementAndGet();
    LOG.info("stream {}: closing publisher from {} with {}: {}", hub.stream, remote, code,
        reason);
    session.close(code, reason, org.eclipse.jetty.websocket.api.Callback.NOOP);
  }

  @Override
  public void onWebSocketText(String message) {
    refuse(StatusCode.BAD_DATA, "text messages are not part of the protocol");
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    if (cause instanceof MessageTooLargeException) {
      hub.malformed.incrementAndGet();
      LOG.info("stream {}: publisher from {} sent a message over {} bytes; closed with 1009",
          hub.stream, remote, config.maxMessageBytes());
    } else {
      LOG.debug("stream {}: publisher from {}: {}", hub.stream, remote,
          cause.getClass().getSimpleName());
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason,
      org.eclipse.jetty.websocket.api.Callback callback) {
    callback.succeed();
    hub.detachPublisher(this);
    LOG.info("stream {}: publisher from {} disconnected ({})", hub.stream, remote, statusCode);
  }
}
