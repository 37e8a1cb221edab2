package dev.obscura.transport.nats;

import java.time.Duration;
import java.util.Objects;

/**
 * The household's events stream ({@link NatsSubjects#eventsStream}) as a camera creates it, and
 * how long a viewer waits for a JetStream answer: what {@link NatsEventPublisher} and {@link
 * NatsEventSubscriber} take beside the connection options of {@link NatsLiveConfig}. Immutable.
 *
 * <p>Defaults: 3 replicas (one per node of a three-node cluster, so an event acknowledged to the
 * camera survives the loss of a node), file storage (it survives a node restart), events kept 30
 * days and at most 10 000 per camera (the oldest go first), events up to 128 KiB (the largest
 * sealed event is 64 KiB), a 2-minute duplicate window (the same event id published twice within
 * it is stored once).
 *
 * @param replicas replicas of the stream, 1 to 5 (1 for a single server)
 * @param maxAge how long an event is kept
 * @param maxMessagesPerCamera the most events kept per camera (per subject)
 * @param maxEventBytes the largest event stored, NATS headers excluded
 * @param duplicateWindow how long the server remembers event ids to drop a republished one
 */
public record NatsEventsConfig(int replicas, Duration maxAge, long maxMessagesPerCamera,
    int maxEventBytes, Duration duplicateWindow) {

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException if a bound is out of range or a duration is not positive
   */
  public NatsEventsConfig {
    if (replicas < 1 || replicas > 5) {
      throw new IllegalArgumentException("replicas must be 1 to 5");
    }
    positive(maxAge, "maxAge");
    positive(duplicateWindow, "duplicateWindow");
    if (duplicateWindow.compareTo(maxAge) > 0) {
      throw new IllegalArgumentException("duplicateWindow must not exceed maxAge");
    }
    if (maxMessagesPerCamera < 1) {
      throw new IllegalArgumentException("maxMessagesPerCamera must be positive");
    }
    if (maxEventBytes < 1024 || maxEventBytes > (8 << 20)) {
      throw new IllegalArgumentException("maxEventBytes must be 1 KiB to 8 MiB");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  /**
   * The defaults.
   *
   * @return R3, 30 days, 10 000 per camera, 128 KiB, 2 minutes
   */
  public static NatsEventsConfig defaults() {
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

  /** Builds a {@link NatsEventsConfig}. */
  public static final class Builder {
    private int replicas = 3;
    private Duration maxAge = Duration.ofDays(30);
    private long maxMessagesPerCamera = 10_000;
    private int maxEventBytes = 128 * 1024;
    private Duration duplicateWindow = Duration.ofMinutes(2);

    private Builder() {}

    /**
     * @param v replicas of the stream (1 for a single server)
     * @return this builder
     */
    public Builder replicas(int v) {
      replicas = v;
      return this;
    }

    /**
     * @param v how long an event is kept
     * @return this builder
     */
    public Builder maxAge(Duration v) {
      maxAge = v;
      return this;
    }

    /**
     * @param v the most events kept per camera
     * @return this builder
     */
    public Builder maxMessagesPerCamera(long v) {
      maxMessagesPerCamera = v;
      return this;
    }

    /**
     * @param v the largest event stored
     * @return this builder
     */
    public Builder maxEventBytes(int v) {
      maxEventBytes = v;
      return this;
    }

    /**
     * @param v how long the server remembers event ids
     * @return this builder
     */
    public Builder duplicateWindow(Duration v) {
      duplicateWindow = v;
      return this;
    }

    /**
     * @return the options
     * @throws IllegalArgumentException if an option is out of range
     */
    public NatsEventsConfig build() {
      return new NatsEventsConfig(replicas, maxAge, maxMessagesPerCamera, maxEventBytes,
          duplicateWindow);
    }
  }
}
