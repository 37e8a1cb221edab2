package dev.obscura.crypto.event;

import dev.obscura.core.EventMessage;
import dev.obscura.core.EventPublisher;
import dev.obscura.core.EventSubscriber;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The event bus over a {@link SegmentStore}: events are stored beside the segments ({@link
 * ObjectNames#event}), so {@code export --event} finds them and a device that was offline lists
 * what it missed. The JetStream implementation ({@code
 * dev.obscura.transport.nats.NatsEventPublisher} / {@code NatsEventSubscriber}) goes beside this
 * one; the recorder publishes to the store always, and to any other publisher it is given.
 *
 * <p><b>Security guarantees:</b> none needed: it moves sealed records (readers check them).
 *
 * <p><b>Subscribing</b> ({@link #subscribe}) polls the store's listing: the events it holds
 * first, then new ones as they appear, each batch in the camera's order by the public header
 * (epoch, sequence), so a reader's order check does not refuse events that were merely listed
 * out of order. An object that does not parse is still delivered (the reader refuses it).
 */
public final class StoreEventBus implements EventPublisher {
  /** How often a subscriber lists the store while it waits. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(250);

  private final SegmentStore store;

  /**
   * @param store the store the segments go to
   */
  public StoreEventBus(SegmentStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public void publish(EventMessage event) throws IOException {
    store.put(ObjectNames.event(event.stream(), event.id()), event.sealed());
  }

  /**
   * Follows the stored events of {@code stream}, from the first.
   *
   * @param stream the stream
   * @return a subscriber; close it
   */
  public EventSubscriber subscribe(StreamId stream) {
    Objects.requireNonNull(stream, "stream");
    return new EventSubscriber() {
      private final Set<String> delivered = new HashSet<>();
      private final ArrayDeque<EventMessage> queue = new ArrayDeque<>();
      private volatile boolean closed;

      @Override
      public EventMessage next(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed) {
          if (queue.isEmpty()) {
            poll();
          }
          if (!queue.isEmpty()) {
            return queue.poll();
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return null;
          }
          try {
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, POLL_INTERVAL.toMillis())));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for events");
          }
        }
        return null;
      }

      private void poll() throws IOException {
        List<EventMessage> batch = new ArrayList<>();
        for (StoredObject o : store.list(ObjectNames.eventPrefix(stream))) {
          Optional<ObjectNames.EventName> n = ObjectNames.parseEvent(o.name());
          if (!n.isPresent() || !n.get().stream().equals(stream) || delivered.contains(o.name())) {
            continue;
          }
          byte[] sealed;
          try {
            sealed = store.readAll(o.name(), MotionEventFormat.MAX_SEALED_BYTES);
          } catch (NoSuchObjectException e) {
            continue; // listed, then gone
          } catch (MalformedDataException e) {
            sealed = new byte[0]; // too large: delivered empty, the reader refuses it
          }
          delivered.add(o.name());
          batch.add(new EventMessage(stream, n.get().id(), sealed));
        }
        queue.addAll(MotionEventFormat.inCameraOrder(batch));
      }

      @Override
      public void close() {
        closed = true;
      }

      @Override
      public String toString() {
        return "StoreEventBus.subscriber[" + stream + "]";
      }
    };
  }

  @Override
  public String toString() {
    return "StoreEventBus[" + store + "]";
  }
}
