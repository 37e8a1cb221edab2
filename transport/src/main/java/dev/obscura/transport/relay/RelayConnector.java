package dev.obscura.transport.relay;

import dev.obscura.core.StreamId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Collections;

/** The WebSocket handshake shared by the two clients, with typed refusals. */
final class RelayConnector {
  private RelayConnector() {}

  static WebSocketClient.Session connect(URI relay, StreamId stream, String role,
      RelayToken token, RelayClientConfig config, WebSocketClient.Listener listener)
      throws IOException {
    // The JDK client is named only here, and only when no client was configured: an app that
    // passes another one never loads it (nor java.net.http).
    WebSocketClient client = config.webSocketClient().orElseGet(JdkWebSocketClient::create);
    URI uri = relay.resolve("/v1/streams/" + stream.value() + "/" + role);
    WebSocketClient.Request request = new WebSocketClient.Request(uri,
        Collections.singletonMap("Authorization", token.authorizationHeader()),
        RelayWire.SUBPROTOCOL, config.connectTimeout(), config.maxMessageBytes());
    try {
      return client.connect(request, listener);
    } catch (RelayRefusedException e) {
      int status = e.statusCode();
      String what = role + " to stream " + stream + " refused with HTTP " + status;
      if (status == 401 || status == 403) {
        throw new RelayAuthException(what + ": token not accepted", status);
      }
      throw new RelayRefusedException(what, status);
    } catch (InterruptedIOException e) {
      if (e instanceof SocketTimeoutException) {
        throw new SocketTimeoutException("relay handshake for stream " + stream + " timed out");
      }
      throw new InterruptedIOException("interrupted while connecting to the relay");
    } catch (IOException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new IOException("cannot connect to the relay for stream " + stream + ": "
          + c.getClass().getSimpleName(), e);
    }
  }
}
