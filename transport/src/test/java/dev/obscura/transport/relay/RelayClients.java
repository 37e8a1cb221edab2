package dev.obscura.transport.relay;

import okhttp3.OkHttpClient;

/** The two WebSocket clients the relay client tests run over. */
enum RelayClients {
  JDK {
    @Override
    WebSocketClient create() {
      return JdkWebSocketClient.create();
    }
  },
  OKHTTP {
    @Override
    WebSocketClient create() {
      return OkHttpWebSocketClient.create(Shared.OK_HTTP);
    }
  };

  /** A new client of this kind. */
  abstract WebSocketClient create();

  /** One OkHttpClient for every test, as an app would share one. */
  private static final class Shared {
    static final OkHttpClient OK_HTTP = new OkHttpClient();
  }
}
