package dev.obscura.transport.relay;

import dev.obscura.core.StreamId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The WebSocket handshake shared by the two clients, with typed refusals. */
final class RelayConnector {
  private RelayConnector() {}

  static WebSocket connect(URI relay, StreamId stream, String role, RelayToken token,
      RelayClientConfig config, WebSocket.Listener listener) throws IOException {
    HttpClient client = config.httpClient().orElseGet(() -> HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout()).build());
    URI uri = relay.resolve("/v1/streams/" + stream.value() + "/" + role);
    try {
      return client.newWebSocketBuilder()
          .header("Authorization", token.authorizationHeader())
          .subprotocols(RelayWire.SUBPROTOCOL)
          .connectTimeout(config.connectTimeout())
          .buildAsync(uri, listener)
          .get(config.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting to the relay");
    } catch (TimeoutException e) {
      throw new java.net.SocketTimeoutException("relay handshake for stream " + stream
          + " timed out");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof WebSocketHandshakeException h) {
        int status = h.getResponse().statusCode();
        String what = role + " to stream " + stream + " refused with HTTP " + status;
        if (status == 401 || status == 403) {
          throw new RelayAuthException(what + ": token not accepted", status);
        }
        throw new RelayRefusedException(what, status);
      }
      if (c instanceof IOException io) {
        throw new IOException("cannot connect to the relay for stream " + stream + ": "
            + io.getClass().getSimpleName(), io);
      }
      throw new IOException("cannot connect to the relay for stream " + stream, c);
    }
  }
}
