package dev.obscura.transport.nats;

import dev.obscura.core.EventId;
import dev.obscura.core.EventMessage;
import dev.obscura.core.EventSubscriber;
import dev.obscura.core.Hex;
import dev.obscura.core.StreamId;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * A viewing device's end of the motion-event bus over NATS JetStream: the sealed events of one
 * camera, in the camera's publish order, each handed over once, the ones published while the
 * device was offline first (as far as the stream's retention keeps them), then new ones.
 *
 * <p>It reads through a JetStream pull consumer on the household's events stream, filtered to
 * the camera's subject ({@link NatsSubjects#events}), with explicit acks (a message is acked when
 * {@link #next} hands it over). {@link Start} chooses the consumer: {@link Start#durable()}
 * (named {@link NatsSubjects#eventsConsumer}: the server remembers how far this device read, so
 * after a reconnect or a restart of the app it continues with the first event it has not had),
 * or an ephemeral one from the first event kept or from a time (deleted by the server when idle).
 *
 * <p>The event id is read from the {@value NatsEventPublisher#MSG_ID_HEADER} header; a message
 * without a valid one is skipped and counted ({@link #malformed()}). Nothing here is
 * authenticated: every event goes to {@code dev.obscura.crypto.event.MotionEventReader}, whose
 * guard refuses replays and reordering.
 *
 * <p><b>Security guarantees:</b> none of its own (no key). Credentials appear in no log, {@code
 * toString()} or exception message; the server lets them create and read consumers of their own
 * household's events only ({@link NatsCredentials#viewer}).
 *
 * <p><b>Restrictions:</b> one consumer thread; {@link #close()} from any thread ends a blocked
 * {@link #next} within half a second, which then returns {@code null}.
 */
public final class NatsEventSubscriber implements EventSubscriber {
  private static final int BATCH = 16;
  private static final long SLICE_MILLIS = 500;

  /**
   * Where a subscriber starts.
   *
   * @param keepPosition whether the consumer is durable (the server keeps this device's position)
   * @param since for a new consumer, the first event's earliest publish time; null for the
   *     first event kept
   */
  public record Start(boolean keepPosition, Instant since) {
    /**
     * A durable consumer: the events this device has not read yet (all kept, the first time).
     *
     * @return the start
     */
    public static Start durable() {
      return new Start(true, null);
    }

    /**
     * An ephemeral consumer from the first event the stream keeps.
     *
     * @return the start
     */
    public static Start all() {
      return new Start(false, null);
    }

    /**
     * An ephemeral consumer from the first event published at or after {@code since}.
     *
     * @param since the time
     * @return the start
     */
    public static Start since(Instant since) {
      return new Start(false, Objects.requireNonNull(since, "since"));
    }
  }

  private final NatsSession session;
  private final String household;
  private final StreamId camera;
  private final String consumer;
  private final boolean durable;
  private final JetStreamSubscription subscription;
  private final ArrayDeque<Message> queue = new ArrayDeque<>();
  private volatile boolean closed;
  private long delivered;
  private long malformed;

  private NatsEventSubscriber(NatsLiveConfig config, String household, StreamId camera,
      Start start) throws IOException {
    this.household = NatsSubjects.household(household);
    this.camera = Objects.requireNonNull(camera, "camera");
    Objects.requireNonNull(start, "start");
    this.session = NatsSession.open(config, "viewer-events");
    this.durable = start.keepPosition();
    String name = NatsSubjects.eventsConsumer(session.user, camera);
    if (!durable) {
      byte[] r = new byte[6];
      new SecureRandom().nextBytes(r);
      name = name + "_" + Hex.format(r);
    }
    this.consumer = name;
    String stream = NatsSubjects.eventsStream(household);
    boolean ok = false;
    try {
      ConsumerConfiguration.Builder cc = ConsumerConfiguration.builder()
          .filterSubject(NatsSubjects.events(household, camera))
          .ackPolicy(AckPolicy.Explicit)
          .ackWait(Duration.ofSeconds(30))
          .maxAckPending(1024);
      if (durable) {
        cc.durable(name);
      } else {
        cc.name(name).inactiveThreshold(Duration.ofMinutes(5));
      }
      if (start.since() != null) {
        cc.deliverPolicy(DeliverPolicy.ByStartTime)
            .startTime(start.since().atZone(ZoneOffset.UTC));
      } else {
        cc.deliverPolicy(DeliverPolicy.All);
      }
      try {
        session.connection.jetStreamManagement().addOrUpdateConsumer(stream, cc.build());
      } catch (JetStreamApiException e) {
        session.checkPermitted();
        throw new IOException("NATS refused a consumer of the events of " + household + "/"
            + camera + ": " + e.getErrorDescription());
      } catch (IOException e) {
        session.checkPermitted();
        throw e;
      }
      session.checkPermitted();
      this.subscription = session.connection.jetStream()
          .subscribe(null, PullSubscribeOptions.fastBind(stream, name));
      ok = true;
    } catch (JetStreamApiException e) {
      throw new IOException("NATS refused the events consumer of " + household + "/" + camera
          + ": " + e.getErrorDescription());
    } finally {
      if (!ok) {
        session.close();
      }
    }
  }

  /**
   * Connects as a viewer of a camera's events.
   *
   * @param config servers and credentials (a viewer's, {@link NatsCredentials#viewer})
   * @param household the camera's household
   * @param camera the camera's stream
   * @param start durable or ephemeral, and from when
   * @return the connected subscriber
   * @throws NatsRefusedException if the server refused the credentials or the consumer (a viewer
   *     of another household, or not of this camera)
   * @throws IOException if no server can be reached or the events stream does not exist yet
   */
  public static NatsEventSubscriber connect(NatsLiveConfig config, String household,
      StreamId camera, Start start) throws IOException {
    return new NatsEventSubscriber(config, household, camera, start);
  }

  @Override
  public EventMessage next(Duration timeout) throws IOException {
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed) {
      while (!queue.isEmpty()) {
        Message m = queue.poll();
        EventMessage e = toEvent(m);
        try {
          m.ack();
        } catch (IllegalStateException ex) {
          // disconnected: redelivered after the ack wait, and the reader's guard refuses it then
        }
        if (e != null) {
          delivered++;
          return e;
        }
      }
      long left = (deadline - System.nanoTime()) / 1_000_000;
      session.checkPermitted();
      List<Message> batch;
      try {
        batch = subscription.fetch(BATCH, Duration.ofMillis(Math.max(10, Math.min(left, SLICE_MILLIS))));
      } catch (IllegalStateException e) {
        if (closed) {
          return null;
        }
        batch = java.util.Collections.emptyList(); // reconnecting
        pause();
      }
      session.checkPermitted();
      for (Message m : batch) {
        if (m.isJetStream()) {
          queue.add(m);
        }
      }
      if (queue.isEmpty() && System.nanoTime() - deadline >= 0) {
        return null;
      }
    }
    return null;
  }

  private EventMessage toEvent(Message m) {
    EventMessage e = decode(camera, m);
    if (e == null) {
      malformed++;
    }
    return e;
  }

  /**
   * The event one JetStream message carries: the id from its {@value
   * NatsEventPublisher#MSG_ID_HEADER} header, the sealed record from its data.
   *
   * @param camera the camera whose subject the message came from
   * @param m the message, as the server sent it
   * @return the event, or null if the message has no valid id or no data
   */
  static EventMessage decode(StreamId camera, Message m) {
    String id = m.getHeaders() == null ? null
        : m.getHeaders().getFirst(NatsEventPublisher.MSG_ID_HEADER);
    byte[] data = m.getData();
    if (id == null || data == null || data.length == 0) {
      return null;
    }
    try {
      return new EventMessage(camera, EventId.parse(id), data);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void pause() throws InterruptedIOException {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for NATS");
    }
  }

  /**
   * Events handed over.
   *
   * @return the count
   */
  public long delivered() {
    return delivered;
  }

  /**
   * Messages skipped because they carried no valid event id or no payload.
   *
   * @return the count
   */
  public long malformed() {
    return malformed;
  }

  /**
   * The consumer's name on the server.
   *
   * @return the name
   */
  public String consumer() {
    return consumer;
  }

  /**
   * Closes the connection; a durable consumer stays on the server with this device's position,
   * an ephemeral one is deleted by the server when idle. Idempotent.
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      session.close();
    }
  }

  @Override
  public String toString() {
    return "NatsEventSubscriber[" + household + "/" + camera + ", consumer " + consumer + ", "
        + delivered + " delivered]";
  }
}
