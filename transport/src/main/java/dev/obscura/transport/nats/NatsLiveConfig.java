package dev.obscura.transport.nats;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Options of {@link NatsLivePublisher} and {@link NatsLiveSubscriber}. Immutable; built and
 * validated by {@link Builder#build()}.
 *
 * <p>Defaults: 10 s connect timeout, 5 s request timeout (JetStream acks, direct gets, stream
 * creation), reconnect every 250 ms without limit, messages up to 4 MiB, a viewer queue of 64
 * messages or 16 MiB, and a live-cache stream of 3 replicas (one per node of a three-node
 * cluster; 1 for a single server).
 *
 * @param servers the NATS servers ({@code nats://host:port}); the client picks one and fails
 *     over to the others
 * @param credentials the user's credentials (its {@code .creds})
 * @param connectTimeout how long the first connection may take
 * @param requestTimeout how long a JetStream request may take
 * @param reconnectWait the pause between reconnect attempts
 * @param maxMessageBytes the largest message a subscriber accepts, header included
 * @param queueMessages the most messages a subscriber queues before it skips to a keyframe
 * @param queueBytes the most bytes it queues
 * @param streamReplicas the replicas of the household's stream when a camera creates it
 */
public record NatsLiveConfig(
    List<URI> servers,
    NatsUserCreds credentials,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration reconnectWait,
    int maxMessageBytes,
    int queueMessages,
    long queueBytes,
    int streamReplicas) {

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException if no server is given, a server is not {@code nats://} or
   *     {@code tls://}, a duration is not positive or a bound is out of range
   */
  public NatsLiveConfig {
    Objects.requireNonNull(servers, "servers");
    Objects.requireNonNull(credentials, "credentials");
    servers = Collections.unmodifiableList(new ArrayList<>(servers));
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one NATS server is needed");
    }
    for (URI u : servers) {
      if (u.getScheme() == null || !(u.getScheme().equals("nats") || u.getScheme().equals("tls"))
          || u.getUserInfo() != null) {
        throw new IllegalArgumentException("NATS server must be nats://host:port or tls://host:port,"
            + " without user info");
      }
    }
    positive(connectTimeout, "connectTimeout");
    positive(requestTimeout, "requestTimeout");
    positive(reconnectWait, "reconnectWait");
    if (maxMessageBytes < 25 || maxMessageBytes > (64 << 20)) {
      throw new IllegalArgumentException("maxMessageBytes must be 25 to 64 MiB");
    }
    if (queueMessages < 2 || queueMessages > 65536 || queueBytes < maxMessageBytes) {
      throw new IllegalArgumentException(
          "queueMessages must be 2 to 65536 and queueBytes at least maxMessageBytes");
    }
    if (streamReplicas < 1 || streamReplicas > 5) {
      throw new IllegalArgumentException("streamReplicas must be 1 to 5");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  /**
   * A builder holding the defaults.
   *
   * @param servers the NATS servers
   * @param credentials the user's credentials
   * @return the builder
   */
  public static Builder builder(List<URI> servers, NatsUserCreds credentials) {
    return new Builder(servers, credentials);
  }

  /**
   * Parses a comma-separated server list, as the command line takes it.
   *
   * @param list {@code nats://host:port[,nats://host:port...]}
   * @return the servers
   * @throws IllegalArgumentException if an entry is not a URI
   */
  public static List<URI> parseServers(String list) {
    List<URI> out = new ArrayList<>();
    for (String s : list.split(",")) {
      String t = s.trim();
      if (!t.isEmpty()) {
        out.add(URI.create(t));
      }
    }
    return out;
  }

  /** The credentials' user only; never the credentials. */
  @Override
  public String toString() {
    return "NatsLiveConfig[" + servers + ", " + credentials + ", queue " + queueMessages
        + " messages / " + queueBytes + " bytes, R" + streamReplicas + "]";
  }

  /** Builds a {@link NatsLiveConfig}. */
  public static final class Builder {
    private final List<URI> servers;
    private final NatsUserCreds credentials;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(5);
    private Duration reconnectWait = Duration.ofMillis(250);
    private int maxMessageBytes = 4 << 20;
    private int queueMessages = 64;
    private long queueBytes = 16L << 20;
    private int streamReplicas = 3;

    private Builder(List<URI> servers, NatsUserCreds credentials) {
      this.servers = servers;
      this.credentials = credentials;
    }

    /**
     * @param v how long the first connection may take
     * @return this builder
     */
    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    /**
     * @param v how long a JetStream request may take
     * @return this builder
     */
    public Builder requestTimeout(Duration v) {
      requestTimeout = v;
      return this;
    }

    /**
     * @param v the pause between reconnect attempts
     * @return this builder
     */
    public Builder reconnectWait(Duration v) {
      reconnectWait = v;
      return this;
    }

    /**
     * @param v the largest message accepted
     * @return this builder
     */
    public Builder maxMessageBytes(int v) {
      maxMessageBytes = v;
      return this;
    }

    /**
     * @param messages the most messages a subscriber queues
     * @param bytes the most bytes it queues
     * @return this builder
     */
    public Builder queue(int messages, long bytes) {
      queueMessages = messages;
      queueBytes = bytes;
      return this;
    }

    /**
     * @param v replicas of the household's stream (1 for a single server)
     * @return this builder
     */
    public Builder streamReplicas(int v) {
      streamReplicas = v;
      return this;
    }

    /**
     * @return the options
     * @throws IllegalArgumentException if an option is out of range
     */
    public NatsLiveConfig build() {
      return new NatsLiveConfig(servers, credentials, connectTimeout, requestTimeout,
          reconnectWait, maxMessageBytes, queueMessages, queueBytes, streamReplicas);
    }
  }
}
