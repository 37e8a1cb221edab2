package dev.obscura.transport.relay;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of {@link RelayPublisher} and {@link RelaySubscriber}. Immutable; built and validated by
 * {@link Builder#build()}.
 *
 * <p>Defaults: 10 s connect timeout, 30 s send timeout, messages up to 4 MiB, 16 received
 * messages buffered, and the JDK's WebSocket ({@link JdkWebSocketClient#create()}, a new {@code
 * java.net.http.HttpClient} per connection). On Android, which has no {@code java.net.http},
 * pass {@link OkHttpWebSocketClient#create(okhttp3.OkHttpClient)} to {@link
 * Builder#webSocketClient}; the JDK client is then never loaded.
 *
 * @param connectTimeout how long the TCP connect and WebSocket handshake may take
 * @param sendTimeout how long a send may wait for the previous one to be written
 * @param maxMessageBytes the largest message a subscriber accepts (larger: close 1009)
 * @param receiveQueueMessages how many whole messages a subscriber buffers before it stops
 *     reading from the socket (and so lets the relay's queue for it fill)
 * @param webSocketClient the WebSocket to connect with; empty for the JDK's ({@link
 *     JdkWebSocketClient#create()}), chosen when a connection is made
 */
public record RelayClientConfig(
    Duration connectTimeout,
    Duration sendTimeout,
    int maxMessageBytes,
    int receiveQueueMessages,
    Optional<WebSocketClient> webSocketClient) {

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException if a timeout is not positive, {@code maxMessageBytes} is
   *     outside 25 bytes to 64 MiB or {@code receiveQueueMessages} outside 1 to 4096
   */
  public RelayClientConfig {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(sendTimeout, "sendTimeout");
    Objects.requireNonNull(webSocketClient, "webSocketClient");
    if (connectTimeout.isNegative() || connectTimeout.isZero()
        || sendTimeout.isNegative() || sendTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (maxMessageBytes < RelayWire.HEADER_LENGTH + 1 || maxMessageBytes > (64 << 20)) {
      throw new IllegalArgumentException("maxMessageBytes must be 25 to 64 MiB");
    }
    if (receiveQueueMessages < 1 || receiveQueueMessages > 4096) {
      throw new IllegalArgumentException("receiveQueueMessages must be 1 to 4096");
    }
  }

  /**
   * The defaults.
   *
   * @return the default options
   */
  public static RelayClientConfig defaults() {
    return builder().build();
  }

  /**
   * A builder holding the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RelayClientConfig}. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration sendTimeout = Duration.ofSeconds(30);
    private int maxMessageBytes = 4 << 20;
    private int receiveQueueMessages = 16;
    private WebSocketClient webSocketClient;

    private Builder() {}

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder sendTimeout(Duration v) {
      sendTimeout = v;
      return this;
    }

    public Builder maxMessageBytes(int v) {
      maxMessageBytes = v;
      return this;
    }

    public Builder receiveQueueMessages(int v) {
      receiveQueueMessages = v;
      return this;
    }

    /**
     * The WebSocket to connect with: {@link JdkWebSocketClient} (the default) or {@link
     * OkHttpWebSocketClient} (Android).
     *
     * @param v the client; {@code null} for the default
     * @return this builder
     */
    public Builder webSocketClient(WebSocketClient v) {
      webSocketClient = v;
      return this;
    }

    public RelayClientConfig build() {
      return new RelayClientConfig(connectTimeout, sendTimeout, maxMessageBytes,
          receiveQueueMessages, Optional.ofNullable(webSocketClient));
    }
  }
}
