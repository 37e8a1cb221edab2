package dev.obscura.transport.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.EventId;
import dev.obscura.core.EventMessage;
import dev.obscura.core.StreamId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JetStream event bus on the real three-node cluster: a viewer offline while events were
 * published gets all of them, in order, once; a republished event id is stored once; a viewer
 * of another household is refused; retention by count; a node SIGKILLed while events are
 * published loses no acknowledged event.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatsEventsTest {
  static final String A = "house-a";
  static final String B = "house-b";

  @TempDir static Path dir;
  static NatsCredentials authority;
  static NatsCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    NatsCluster.assumeInstalled();
    authority = NatsCredentials.createOperator("obscura-events");
    cluster = NatsCluster.start(dir, authority, List.of(A, B));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static NatsLiveConfig config(NatsUserCreds creds) {
    return NatsLiveConfig.builder(cluster.urls(), creds).requestTimeout(Duration.ofSeconds(10)).build();
  }

  /** A stand-in for a sealed event: 16 KiB of noise starting with its number. */
  static EventMessage event(StreamId cam, int n) {
    byte[] b = new byte[16 * 1024];
    new Random(n).nextBytes(b);
    ByteBuffer.wrap(b).putInt(n);
    byte[] id = new byte[EventId.LENGTH];
    new Random(1000L + n).nextBytes(id);
    return new EventMessage(cam, EventId.of(id), b);
  }

  /** How long the expected events may take to arrive before the test fails. */
  static final Duration DEADLINE = Duration.ofSeconds(30);
  /** How long, once they are all there, the subscriber is read on for duplicates or extras. */
  static final Duration QUIET = Duration.ofMillis(400);

  /**
   * Reads until every one of {@code expected} has arrived, failing with the missing events'
   * numbers if they have not within {@link #DEADLINE}; then on until {@link #QUIET} passes
   * with nothing, so that a duplicate or extra message is returned too for the caller to see.
   */
  static List<EventMessage> drain(NatsEventSubscriber s, List<EventMessage> expected) throws Exception {
    List<EventMessage> got = new ArrayList<>();
    List<EventMessage> missing = new ArrayList<>(expected);
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!missing.isEmpty()) {
      long left = deadline - System.nanoTime();
      EventMessage m = left > 0 ? s.next(Duration.ofNanos(left)) : null;
      if (m == null) {
        fail("events " + numbers(missing) + " of the " + expected.size() + " expected did not arrive within "
            + DEADLINE.toSeconds() + " s; arrived: " + numbers(got));
      }
      got.add(m);
      missing.remove(m);
    }
    for (EventMessage m; (m = s.next(QUIET)) != null; ) {
      got.add(m);
    }
    return got;
  }

  /** The numbers {@link #event} wrote at the start of these events. */
  static List<Integer> numbers(List<EventMessage> events) {
    return events.stream().map(e -> ByteBuffer.wrap(e.sealed()).getInt()).toList();
  }

  @Test
  @Order(1)
  void aViewerThatWasOfflineGetsEveryEventInOrderOnceAndRepublishedIdsAreStoredOnce() throws Exception {
    StreamId cam = StreamId.of("front.door");
    List<EventMessage> sent = new ArrayList<>();
    try (NatsEventPublisher p = NatsEventPublisher.connect(config(authority.camera(A, cam)),
        NatsEventsConfig.defaults(), A, cam)) {
      for (int i = 0; i < 20; i++) {
        sent.add(event(cam, i));
        p.publish(sent.get(i));
      }
      p.publish(sent.get(3)); // a retry after a lost ack: the server drops it by its msg id
      p.publish(sent.get(19));
      assertEquals(22, p.published());
      assertEquals(2, p.duplicates());
    }
    // the phone connects only now
    try (NatsEventSubscriber s = NatsEventSubscriber.connect(config(authority.viewer(A, "phone")), A, cam,
        NatsEventSubscriber.Start.durable())) {
      List<EventMessage> got = drain(s, sent);
      assertEquals(sent.size(), got.size(), "every event, each once");
      for (int i = 0; i < sent.size(); i++) {
        assertEquals(sent.get(i), got.get(i), "in the camera's order: " + i);
      }
      assertNull(s.next(Duration.ZERO));
      assertEquals(0, s.malformed());
    }
    // the durable consumer remembers: a new event only, after a reconnect
    try (NatsEventPublisher p = NatsEventPublisher.connect(config(authority.camera(A, cam)),
        NatsEventsConfig.defaults(), A, cam)) {
      sent.add(event(cam, 20));
      p.publish(sent.get(20));
    }
    try (NatsEventSubscriber s = NatsEventSubscriber.connect(config(authority.viewer(A, "phone")), A, cam,
        NatsEventSubscriber.Start.durable())) {
      List<EventMessage> got = drain(s, List.of(sent.get(20)));
      assertEquals(List.of(sent.get(20)), got);
    }
    // a viewer restricted to this camera, ephemeral from the start: all 21
    try (NatsEventSubscriber s = NatsEventSubscriber.connect(config(authority.viewer(A, "tablet", cam)), A, cam,
        NatsEventSubscriber.Start.all())) {
      assertEquals(sent, drain(s, sent));
    }
  }

  @Test
  @Order(2)
  void aViewerOfAnotherHouseholdOrCameraCannotConsume() throws Exception {
    StreamId cam = StreamId.of("garage");
    try (NatsEventPublisher p = NatsEventPublisher.connect(config(authority.camera(A, cam)),
        NatsEventsConfig.defaults(), A, cam)) {
      p.publish(event(cam, 1));
    }
    // B's viewer, asking for A's events: B's account has no such stream, and its JWT names
    // only B's subjects: the server reports a permission violation
    NatsRefusedException e = assertThrows(NatsRefusedException.class, () -> NatsEventSubscriber.connect(
        config(authority.viewer(B, "stranger")), A, cam, NatsEventSubscriber.Start.all()).close());
    assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("permission"), e.getMessage());
    // A's viewer restricted to another camera
    assertThrows(NatsRefusedException.class, () -> NatsEventSubscriber.connect(
        config(authority.viewer(A, "kid", StreamId.of("front.door"))), A, cam, NatsEventSubscriber.Start.all()).close());
    // B's camera cannot publish into A's events
    assertThrows(NatsRefusedException.class, () -> {
      try (NatsEventPublisher p = NatsEventPublisher.connect(config(authority.camera(B, cam)),
          NatsEventsConfig.defaults(), A, cam)) {
        p.publish(event(cam, 2));
      }
    });
    // nor can A's other camera publish as this one
    StreamId other = StreamId.of("porch");
    assertThrows(NatsRefusedException.class, () -> {
      try (NatsEventPublisher p = NatsEventPublisher.connect(config(authority.camera(A, other)),
          NatsEventsConfig.defaults(), A, cam)) {
        p.publish(event(cam, 3));
      }
    });
  }

  @Test
  @Order(3)
  void retentionKeepsTheNewestEventsPerCamera() throws Exception {
    // the stream is B's first: created here with a limit of 5 per camera
    StreamId cam = StreamId.of("yard");
    NatsEventsConfig five = NatsEventsConfig.builder().maxMessagesPerCamera(5).build();
    List<EventMessage> sent = new ArrayList<>();
    try (NatsEventPublisher p = NatsEventPublisher.connect(config(authority.camera(B, cam)), five, B, cam)) {
      for (int i = 0; i < 12; i++) {
        sent.add(event(cam, 100 + i));
        p.publish(sent.get(i));
      }
    }
    try (NatsEventSubscriber s = NatsEventSubscriber.connect(config(authority.viewer(B, "phone")), B, cam,
        NatsEventSubscriber.Start.all())) {
      assertEquals(sent.subList(7, 12), drain(s, sent.subList(7, 12)));
    }
  }

  @Test
  @Order(4)
  void noAcknowledgedEventIsLostWhenANodeIsKilled() throws Exception {
    StreamId cam = StreamId.of("drive");
    List<EventMessage> acked = new ArrayList<>();
    int failed = 0;
    int outage;
    try (NatsEventPublisher p = NatsEventPublisher.connect(config(authority.camera(A, cam)),
        NatsEventsConfig.defaults(), A, cam)) {
      NatsSession admin = NatsSession.open(config(authority.camera(A, cam)), "test");
      try {
        io.nats.client.api.StreamConfiguration sc = admin.connection.jetStreamManagement()
            .getStreamInfo(NatsSubjects.eventsStream(A)).getConfiguration();
        assertEquals(3, sc.getReplicas(), "R3 by default");
        assertEquals(io.nats.client.api.StorageType.File, sc.getStorageType());
        assertEquals(Duration.ofDays(30), sc.getMaxAge());
        assertEquals(10_000, sc.getMaxMsgsPerSubject());
      } finally {
        admin.close();
      }
      int n = 0;
      for (; n < 10; n++) {
        p.publish(event(cam, 200 + n));
        acked.add(event(cam, 200 + n));
      }
      cluster.kill(0);
      long killedAt = System.nanoTime();
      for (int k = 0; k < 15 || System.nanoTime() - killedAt < 2_000_000_000L; k++, n++) {
        EventMessage e = event(cam, 200 + n);
        try {
          p.publish(e);
          acked.add(e);
        } catch (java.io.IOException ex) {
          failed++;
        }
        Thread.sleep(50);
      }
      outage = acked.size() - 10;
      cluster.restart(0);
      for (int k = 0; k < 10; k++, n++) {
        p.publish(event(cam, 200 + n));
        acked.add(event(cam, 200 + n));
      }
    }
    System.out.println("node kill: " + acked.size() + " events acknowledged, " + outage + " of them while n0 was down, "
        + failed + " publishes failed");
    assertTrue(outage >= 10, "events were acknowledged during the outage: " + outage);
    // a phone reading now, through the restarted node only, gets every acknowledged event
    NatsLiveConfig viaRestarted = NatsLiveConfig.builder(List.of(cluster.url(0)),
        authority.viewer(A, "watch")).requestTimeout(Duration.ofSeconds(10)).build();
    try (NatsEventSubscriber s = NatsEventSubscriber.connect(viaRestarted, A, cam, NatsEventSubscriber.Start.all())) {
      List<EventMessage> got = drain(s, acked);
      List<EventMessage> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(got));
      assertEquals(got.size(), distinct.size(), "each once");
      for (EventMessage e : acked) {
        assertTrue(got.contains(e), "acknowledged event " + e.id() + " was lost");
      }
      for (int i = 1; i < got.size(); i++) {
        int prev = ByteBuffer.wrap(got.get(i - 1).sealed()).getInt();
        assertTrue(ByteBuffer.wrap(got.get(i).sealed()).getInt() > prev, "in order");
      }
      assertArrayEquals(acked.get(0).sealed(), got.get(0).sealed());
    }
  }
}
