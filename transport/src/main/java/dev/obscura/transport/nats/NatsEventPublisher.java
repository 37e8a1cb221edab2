package dev.obscura.transport.nats;

import dev.obscura.core.EventMessage;
import dev.obscura.core.EventPublisher;
import dev.obscura.core.StreamId;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;

/**
 * A camera's end of the motion-event bus over NATS JetStream: each sealed event is published on
 * the camera's events subject ({@link NatsSubjects#events}) with the header {@value
 * #MSG_ID_HEADER} set to the event id's hex, and {@link #publish} returns only once the
 * household's events stream has acknowledged it (stored on a majority of its replicas). A
 * republished event (a retry after a lost acknowledgement, a restarted camera) is stored once:
 * the server drops a message id it has seen within {@link NatsEventsConfig#duplicateWindow()}.
 *
 * <p>Connect creates the household's events stream if it does not exist ({@link
 * NatsSubjects#eventsStream}: subjects {@link NatsSubjects#eventsStreamSubjects}, file storage,
 * {@link NatsEventsConfig} replicas, max age and max messages per camera, discard old). While a
 * node is down, a publish retries until {@link NatsLiveConfig#requestTimeout()}; it then fails
 * with an {@link IOException} (the recorder keeps the event in the store and logs the failure).
 *
 * <p><b>Security guarantees:</b> none needed: it moves sealed records, and the server sees only
 * the subject, the event id, sizes (every event is padded to a bucket) and timing. Credentials
 * appear in no log, {@code toString()} or exception message; the server lets them publish this
 * camera's events subject only ({@link NatsCredentials#camera}).
 *
 * <p><b>Restrictions:</b> calls come from one thread at a time (synchronised).
 */
public final class NatsEventPublisher implements EventPublisher {
  /** The JetStream header the server dedupes on: the event id, 32 hex digits. */
  public static final String MSG_ID_HEADER = "Nats-Msg-Id";

  private final NatsSession session;
  private final NatsLiveConfig config;
  private final String household;
  private final StreamId camera;
  private final String subject;
  private final String stream;
  private final JetStream js;
  private long published;
  private long duplicates;
  private boolean closed;

  private NatsEventPublisher(NatsLiveConfig config, NatsEventsConfig events, String household,
      StreamId camera) throws IOException {
    this.config = config;
    this.subject = NatsSubjects.events(household, camera);
    this.household = household;
    this.camera = camera;
    this.stream = NatsSubjects.eventsStream(household);
    this.session = NatsSession.open(config, "camera-events");
    boolean ok = false;
    try {
      this.js = session.connection.jetStream();
      session.ensureStream(streamConfiguration(household, events), config.requestTimeout(),
          "events");
      ok = true;
    } finally {
      if (!ok) {
        session.close();
      }
    }
  }

  /**
   * Connects as the publisher of a camera's events and makes sure its household's events
   * stream exists.
   *
   * @param config servers and credentials (the camera's, {@link NatsCredentials#camera})
   * @param events the events stream's configuration, used if the camera creates it
   * @param household the camera's household
   * @param camera the camera's stream
   * @return the connected publisher
   * @throws NatsRefusedException if the server refused the credentials or the stream creation
   * @throws IOException if no server can be reached or the stream cannot be created
   */
  public static NatsEventPublisher connect(NatsLiveConfig config, NatsEventsConfig events,
      String household, StreamId camera) throws IOException {
    return new NatsEventPublisher(config, events, household, camera);
  }

  /**
   * The household's events stream as a camera creates it.
   *
   * @param household the household
   * @param events retention and replicas
   * @return the stream's configuration
   */
  public static StreamConfiguration streamConfiguration(String household,
      NatsEventsConfig events) {
    return StreamConfiguration.builder()
        .name(NatsSubjects.eventsStream(household))
        .subjects(NatsSubjects.eventsStreamSubjects(household))
        .storageType(StorageType.File)
        .replicas(events.replicas())
        .maxAge(events.maxAge())
        .maxMessagesPerSubject(events.maxMessagesPerCamera())
        .maxMsgSize(events.maxEventBytes())
        .duplicateWindow(events.duplicateWindow())
        .discardPolicy(DiscardPolicy.Old)
        .build();
  }

  /**
   * Publishes one sealed event and waits for the stream's acknowledgement.
   *
   * @param event an event of this publisher's camera
   * @throws IllegalArgumentException if the event is of another stream
   * @throws NatsRefusedException if the server refused the publish (permissions)
   * @throws java.net.SocketTimeoutException if the stream did not acknowledge it in time
   * @throws IOException if the publisher is closed or the stream refused it
   */
  @Override
  public synchronized void publish(EventMessage event) throws IOException {
    if (closed) {
      throw new IOException("NATS event publisher of " + household + "/" + camera + " is closed");
    }
    if (!event.stream().equals(camera)) {
      throw new IllegalArgumentException("an event of " + event.stream()
          + " given to the event publisher of " + camera);
    }
    session.checkPermitted();
    PublishOptions options = PublishOptions.builder().messageId(event.id().toHex())
        .expectedStream(stream).build();
    io.nats.client.api.PublishAck ack = session.publishAcked(js, subject, null, event.sealed(),
        options, config.requestTimeout(), "event " + event.id() + " of " + household + "/" + camera);
    published++;
    if (ack.isDuplicate()) {
      duplicates++;
    }
  }

  /**
   * Events acknowledged by the stream, duplicates included.
   *
   * @return the count
   */
  public synchronized long published() {
    return published;
  }

  /**
   * Publishes the stream acknowledged as a duplicate (an event id it had already stored).
   *
   * @return the count
   */
  public synchronized long duplicates() {
    return duplicates;
  }

  /** Closes the connection. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      session.close();
    }
  }

  @Override
  public synchronized String toString() {
    return "NatsEventPublisher[" + household + "/" + camera + ", " + published + " published, "
        + duplicates + " duplicates]";
  }
}
