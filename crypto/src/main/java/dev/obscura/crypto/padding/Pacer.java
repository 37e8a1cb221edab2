package dev.obscura.crypto.padding;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Paces whole units (sealed live frames) to the schedule of a {@code cbr} or {@code interval}
 * policy (docs/padding.md, "Live pacing"): the policy's {@link PaddingPolicy.Shaper} says when
 * and how many bytes go out, and the pacer decides which queued units travel in each send.
 *
 * <p>Units are never split (a viewer decodes each frame whole). The shaper's clock is cut into
 * windows (cbr: each second; interval: each period); within a window a unit that does not fit in
 * the budget accumulated so far waits for the window's later sends, and the budget waits with it.
 * A {@link Batch} therefore carries either every byte accumulated (the queue is empty after it, or
 * it is the window's last send: the rest is cover) or exactly the units it carries (a unit still
 * waits, and the rest of the budget waits for it). Every window's batches add up to exactly the
 * window's bytes, whatever the units: a cbr stream carries the same bytes every second, and an
 * interval stream one batch of the fixed size at every period multiple (a period is one window).
 *
 * <p>The queue is bounded ({@link #of(PaddingPolicy, long, int)}): a unit that would take it over
 * the bound, or that is larger than a whole window (it could never go), is dropped, and so is every
 * following unit up to the next keyframe that fits (counted in {@link #dropped()}), as a relay does
 * for a slow viewer. The caller seals units only when a batch takes them, so dropped units use no
 * counter and the stream stays decodable.
 *
 * <p>Not thread-safe: one stream, one thread. Allocates per call only the batch list.
 */
public final class Pacer {

  /**
   * One send on the wire: at {@code micros} on the shaper's clock, exactly {@code bytes} bytes,
   * made of the next {@code units} queued units (taken off the queue) and, for the rest, cover.
   *
   * @param micros when it is due
   * @param bytes its exact size: at least the sizes offered for its units
   * @param units how many queued units it carries, oldest first
   */
  public record Batch(long micros, long bytes, int units) {}

  private final ScheduledPadding policy;
  private final PaddingPolicy.Shaper shaper;
  private final long maxQueuedBytes;
  private final ArrayDeque<Integer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private long carried;
  private boolean dropping;
  private long dropped;
  private boolean started;
  private long now;

  private Pacer(ScheduledPadding policy, long maxQueuedBytes) {
    this.policy = policy;
    this.shaper = policy.newShaper();
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * Whether {@code policy} sends on a schedule, so that a live camera paces it: {@code cbr} and
   * {@code interval}; {@code none} and {@code buckets} send each unit when it is ready.
   *
   * @param policy the policy
   * @return whether {@link #of} accepts it
   */
  public static boolean paces(PaddingPolicy policy) {
    return policy instanceof ScheduledPadding;
  }

  /**
   * A pacer of one stream under {@code policy}.
   *
   * @param policy a {@code cbr} or {@code interval} policy
   * @param maxQueuedBytes the bound of the queue in bytes; 0 for the default, two windows' bytes;
   *     else at least one window's bytes
   * @param minSendBytes the smallest send the caller can fill (its smallest cover unit): every send
   *     of the policy must be at least this large
   * @return the pacer
   * @throws IllegalArgumentException if the policy does not pace, a send of it is smaller than
   *     {@code minSendBytes}, or the bound is below one window's bytes
   */
  public static Pacer of(PaddingPolicy policy, long maxQueuedBytes, int minSendBytes) {
    Objects.requireNonNull(policy, "policy");
    if (!paces(policy)) {
      throw new IllegalArgumentException(policy.describe() + " does not send on a schedule: nothing to pace");
    }
    ScheduledPadding p = (ScheduledPadding) policy;
    if (p.smallestSend() < minSendBytes) {
      throw new IllegalArgumentException(policy.describe() + " has sends of " + p.smallestSend()
          + " bytes; pacing needs at least " + minSendBytes + " per send (one cover frame)");
    }
    long window = p.windowBytes();
    long bound = maxQueuedBytes == 0 ? saturatedDouble(window) : maxQueuedBytes;
    if (bound < window) {
      throw new IllegalArgumentException("the pacing queue must hold at least one window ("
          + window + " bytes), not " + maxQueuedBytes);
    }
    return new Pacer(p, bound);
  }

  private static long saturatedDouble(long v) {
    return v > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * v;
  }

  /**
   * The largest unit that can ever be sent: one window's bytes (cbr: the bytes of a second;
   * interval: one upload).
   *
   * @return the bytes of one window
   */
  public long windowBytes() {
    return policy.windowBytes();
  }

  /**
   * Queues a unit, or drops it: when it is larger than a window, when it would take the queue
   * over its bound, and, after such a drop, until a keyframe that fits.
   *
   * @param bytes the unit's size as it will be sealed (an upper bound: the batch pads the rest)
   * @param keyframe whether a decoder can start at it
   * @return whether it was queued (else it was dropped and counted)
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  public boolean offer(int bytes, boolean keyframe) {
    MonotonicClock.checkBytes(bytes);
    if (dropping && !keyframe) {
      dropped++;
      return false;
    }
    if (!fits(bytes)) {
      dropping = true;
      dropped++;
      return false;
    }
    dropping = false;
    queue.addLast(bytes);
    queuedBytes += bytes;
    return true;
  }

  /**
   * Whether a unit of {@code bytes} would be queued now rather than dropped for the bound (a unit
   * larger than a window never fits; a caller that can wait does so until this holds).
   *
   * @param bytes the unit's size
   * @return whether it fits in the queue now
   */
  public boolean fits(int bytes) {
    return bytes <= policy.windowBytes() && queuedBytes + bytes <= maxQueuedBytes;
  }

  /**
   * The batches due by {@code micros} on the shaper's clock, in time order, taking their units off
   * the queue. The first call starts the schedule (at the first tick at or after it). A time before
   * the latest one seen counts as the latest (a wall clock stepped back does not go back here).
   *
   * @param micros the time now, microseconds on the caller's clock
   * @return the batches, possibly none
   * @throws IllegalArgumentException if the time jumped by more than a shaper emits in one call
   */
  public List<Batch> advance(long micros) {
    if (started && micros < now) {
      micros = now;
    }
    List<PaddingPolicy.Send> sends = shaper.advance(micros);
    started = true;
    now = micros;
    List<Batch> out = new ArrayList<>();
    for (PaddingPolicy.Send s : sends) {
      carried += s.bytes();
      int units = 0;
      long used = 0;
      while (!queue.isEmpty() && used + queue.peekFirst() <= carried) {
        int u = queue.pollFirst();
        used += u;
        queuedBytes -= u;
        units++;
      }
      if (queue.isEmpty() || lastInWindow(s.micros())) {
        out.add(new Batch(s.micros(), carried, units));
        carried = 0;
      } else if (units > 0) {
        out.add(new Batch(s.micros(), used, units));
        carried -= used;
      }
    }
    return out;
  }

  private boolean lastInWindow(long micros) {
    long w = policy.windowMicros();
    long t = policy.tickMicros();
    long next = micros > Long.MAX_VALUE - t ? Long.MAX_VALUE : micros + t;
    return Math.floorDiv(next, w) != Math.floorDiv(micros, w);
  }

  /**
   * When the next send is due at the earliest, on the shaper's clock: the tick after the latest
   * time seen ({@link Long#MAX_VALUE} if none is left).
   *
   * @return microseconds
   */
  public long nextSendMicros() {
    long t = policy.tickMicros();
    long k = Math.floorDiv(now, t) + 1;
    return k > Long.MAX_VALUE / t ? Long.MAX_VALUE : k * t;
  }

  /**
   * How many units wait in the queue.
   *
   * @return the count
   */
  public int queuedUnits() {
    return queue.size();
  }

  /**
   * How many bytes wait in the queue.
   *
   * @return the sum of the queued units' sizes
   */
  public long queuedBytes() {
    return queuedBytes;
  }

  /**
   * How many units were dropped (queue over its bound, larger than a window, or waiting for a
   * keyframe after such a drop).
   *
   * @return the count since the pacer was made
   */
  public long dropped() {
    return dropped;
  }

  @Override
  public String toString() {
    return "Pacer[" + policy.describe() + ", " + queue.size() + " queued, " + dropped + " dropped]";
  }
}
