package dev.obscura.transport.internal;

import java.util.ArrayDeque;

/**
 * Not API. The bounded queue of one viewer of a live stream, with the fan-out's skip rule: when a
 * message does not fit (too many messages or bytes), the whole queue is dropped and the viewer
 * restarts at the next keyframe, preceded by the envelope of that keyframe's epoch. A viewer that
 * has not had a keyframe yet gets none of the frames before it. Used by the embedded relay (one
 * queue per connected viewer, on the server) and by the NATS subscriber (one queue per viewer, in
 * the client), so both skip by the same rule.
 *
 * <p><b>Restrictions:</b> not thread-safe; the owner locks. Messages are compared by identity to
 * tell whether an envelope was queued already.
 *
 * @param <M> the message type
 */
public final class KeyframeSkipQueue<M> {
  /** Told about every overflow and every skipped frame, under the owner's lock. */
  public interface Listener {
    /**
     * The queue overflowed and was dropped.
     *
     * @param droppedMessages messages dropped
     * @param droppedBytes bytes dropped
     * @param droppedFrames frames among them
     */
    void overflow(int droppedMessages, long droppedBytes, int droppedFrames);

    /** One frame was skipped (not queued) while waiting for a keyframe after an overflow. */
    void skipped();
  }

  private static final Listener NONE = new Listener() {
    @Override
    public void overflow(int droppedMessages, long droppedBytes, int droppedFrames) {}

    @Override
    public void skipped() {}
  };

  private final int maxMessages;
  private final long maxBytes;
  private final Listener listener;
  private final ArrayDeque<M> queue = new ArrayDeque<>();
  private final ArrayDeque<Integer> sizes = new ArrayDeque<>(); // negative: envelope
  private long queuedBytes;
  private boolean awaitingKeyframe = true;
  private boolean skipping;
  private M lastEnvelope;
  private long skippedFrames;
  private long skipEvents;

  /**
   * @param maxMessages the most messages queued
   * @param maxBytes the most bytes queued
   * @param listener told about overflows and skips; null for none
   */
  public KeyframeSkipQueue(int maxMessages, long maxBytes, Listener listener) {
    if (maxMessages < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("queue bounds must be positive");
    }
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    this.listener = listener == null ? NONE : listener;
  }

  /**
   * Queues an envelope; if it does not fit, the queue overflows and the envelope is dropped (it is
   * queued again before the next keyframe of its epoch).
   *
   * @param envelope the envelope
   * @param bytes its size
   * @return whether it was queued
   */
  public boolean offerEnvelope(M envelope, int bytes) {
    if (!fits(1, bytes)) {
      overflow();
      return false;
    }
    enqueue(envelope, bytes, false);
    lastEnvelope = envelope;
    return true;
  }

  /**
   * Queues a frame, or skips it: frames wait for a keyframe after an overflow and at the start;
   * the envelope of the frame's epoch is queued before it unless it was queued last.
   *
   * @param frame the frame
   * @param bytes its size
   * @param keyframe whether a decoder can start at it
   * @param envelope the newest envelope of the frame's epoch, or null if none is known
   * @param envelopeBytes the envelope's size
   * @return whether the frame was queued
   */
  public boolean offerFrame(M frame, int bytes, boolean keyframe, M envelope, int envelopeBytes) {
    if (awaitingKeyframe && !keyframe) {
      if (skipping) {
        skip();
      }
      return false;
    }
    boolean needEnvelope = envelope != null && envelope != lastEnvelope;
    if (!fits(needEnvelope ? 2 : 1, bytes + (needEnvelope ? envelopeBytes : 0))) {
      overflow();
      needEnvelope = envelope != null;
      if (!keyframe || !fits(needEnvelope ? 2 : 1, bytes + (needEnvelope ? envelopeBytes : 0))) {
        skip();
        return false;
      }
    }
    if (needEnvelope) {
      enqueue(envelope, envelopeBytes, false);
      lastEnvelope = envelope;
    }
    enqueue(frame, bytes, true);
    awaitingKeyframe = false;
    skipping = false;
    return true;
  }

  /**
   * Makes the queue wait for a keyframe (without dropping what is queued), as after a gap.
   */
  public void awaitKeyframe() {
    awaitingKeyframe = true;
  }

  /**
   * Takes the oldest message.
   *
   * @return it, or null if the queue is empty
   */
  public M poll() {
    M m = queue.pollFirst();
    if (m != null) {
      queuedBytes -= Math.abs(sizes.pollFirst());
    }
    return m;
  }

  /** Drops everything queued, without counting a skip. */
  public void clear() {
    queue.clear();
    sizes.clear();
    queuedBytes = 0;
  }

  /** @return messages queued now */
  public int size() {
    return queue.size();
  }

  /** @return whether nothing is queued */
  public boolean isEmpty() {
    return queue.isEmpty();
  }

  /** @return bytes queued now */
  public long bytes() {
    return queuedBytes;
  }

  /** @return whether the next frame queued must be a keyframe */
  public boolean awaitingKeyframe() {
    return awaitingKeyframe;
  }

  /** @return frames dropped or skipped because of overflows */
  public long skippedFrames() {
    return skippedFrames;
  }

  /** @return overflows */
  public long skipEvents() {
    return skipEvents;
  }

  private boolean fits(int count, long bytes) {
    return queue.size() + count <= maxMessages && queuedBytes + bytes <= maxBytes;
  }

  private void enqueue(M m, int bytes, boolean frame) {
    queue.addLast(m);
    sizes.addLast(frame ? bytes : -bytes);
    queuedBytes += bytes;
  }

  private void skip() {
    skippedFrames++;
    listener.skipped();
  }

  private void overflow() {
    int frames = 0;
    for (Integer s : sizes) {
      if (s > 0) {
        frames++;
      }
    }
    int messages = queue.size();
    long dropped = queuedBytes;
    clear();
    lastEnvelope = null;
    awaitingKeyframe = true;
    skipping = true;
    skippedFrames += frames;
    skipEvents++;
    listener.overflow(messages, dropped, frames);
  }
}
