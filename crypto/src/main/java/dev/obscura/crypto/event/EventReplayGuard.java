package dev.obscura.crypto.event;

import dev.obscura.core.EpochId;
import dev.obscura.core.EventId;
import dev.obscura.core.StreamId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a device remembers of the events it accepted, per stream: the position (epoch, sequence)
 * of the last one, and the ids of the most recent {@link #REMEMBERED_IDS}. An event is accepted
 * only after that position (so a replayed, reordered or withheld-then-shown event is refused) and
 * with an id not seen before. A later position is accepted even if events are missing before it;
 * the reader reports how many of its epoch are ({@link MotionEvent#gapBefore()}). Epochs are never reused by a camera and sequences count up within
 * an epoch, so the camera's order is (epoch, sequence).
 *
 * <p>A device that keeps its guard between runs saves {@link #last(StreamId)} per stream and
 * restores it with {@link #restore}; a fresh guard accepts every stream's events from the start.
 *
 * <p><b>Restrictions:</b> not thread-safe.
 */
public final class EventReplayGuard {
  /** How many recent ids are kept per stream (older ones are refused by position anyway). */
  public static final int REMEMBERED_IDS = 4096;

  /**
   * A position in a stream's event order.
   *
   * @param epoch the epoch
   * @param sequence the sequence within it
   */
  public record Position(EpochId epoch, long sequence) {
    public Position {
      Objects.requireNonNull(epoch, "epoch");
    }

    int compareTo(Position o) {
      int c = epoch.compareTo(o.epoch);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    @Override
    public String toString() {
      return epoch + " #" + sequence;
    }
  }

  private static final class State {
    Position last;
    final LinkedHashSet<EventId> ids = new LinkedHashSet<>();
  }

  private final Map<StreamId, State> streams = new HashMap<>();

  /**
   * The last accepted position of {@code stream}.
   *
   * @param stream the stream
   * @return the position, or empty if none was accepted
   */
  public Optional<Position> last(StreamId stream) {
    State s = streams.get(stream);
    return s == null || s.last == null ? Optional.empty() : Optional.of(s.last);
  }

  /**
   * Restores a saved position: events at or before it are refused.
   *
   * @param stream the stream
   * @param last its last accepted position
   */
  public void restore(StreamId stream, Position last) {
    streams.computeIfAbsent(stream, k -> new State()).last = Objects.requireNonNull(last, "last");
  }

  /**
   * Refuses an event this guard would not accept, without recording it.
   *
   * @throws EventRefusedException REPLAYED or REORDERED
   */
  void check(StreamId stream, EventId id, Position at) throws EventRefusedException {
    State s = streams.get(stream);
    if (s == null) {
      return;
    }
    if (s.ids.contains(id)) {
      throw new EventRefusedException(EventRefusedException.Reason.REPLAYED, "event " + id + " of " + stream
          + " was accepted before (replayed)");
    }
    if (s.last != null && at.compareTo(s.last) <= 0) {
      throw new EventRefusedException(EventRefusedException.Reason.REORDERED, "event " + id + " of " + stream
          + " is at " + at + ", not after " + s.last + ", the last one accepted (reordered or replayed)");
    }
  }

  /**
   * How many events of {@code at}'s epoch come before it and after the last one accepted (all of
   * its epoch before it, if the last one accepted is of another epoch or there is none).
   */
  long gapBefore(StreamId stream, Position at) {
    State s = streams.get(stream);
    if (s == null || s.last == null || !s.last.epoch().equals(at.epoch())) {
      return at.sequence();
    }
    return at.sequence() - s.last.sequence() - 1;
  }

  /** Records an accepted event. */
  void accept(StreamId stream, EventId id, Position at) {
    State s = streams.computeIfAbsent(stream, k -> new State());
    s.last = at;
    s.ids.add(id);
    if (s.ids.size() > REMEMBERED_IDS) {
      s.ids.remove(s.ids.iterator().next());
    }
  }
}
