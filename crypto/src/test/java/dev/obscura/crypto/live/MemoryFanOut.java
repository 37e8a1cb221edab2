package dev.obscura.crypto.live;

import dev.obscura.core.EpochId;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.LivePublisher;
import dev.obscura.core.LiveSubscriber;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A live fan-out in memory, for tests: what a relay does (forward every message to every
 * subscriber, in order, numbering frames per publisher) and what a hostile one can do
 * ({@link #inject} anything, {@link #published} records everything for a later replay).
 * It implements the core interfaces exactly as a transport would, so the tests of {@link
 * LiveCamera} and {@link LiveViewer} run against nothing but them.
 */
final class MemoryFanOut {
  private static final LiveMessage END = new LiveMessage.Envelope(0, new byte[] {0});

  /** Every message any publisher sent, in order: what a relay operator can record. */
  final List<LiveMessage> published = Collections.synchronizedList(new ArrayList<>());
  private final List<Sub> subscribers = Collections.synchronizedList(new ArrayList<>());

  /** A new publisher connection; its frames are numbered from 0. */
  LivePublisher publisher() {
    return new LivePublisher() {
      long next;
      boolean closed;

      @Override
      public void publishEnvelope(EpochId epoch, byte[] sealedEnvelope) throws IOException {
        open();
        deliver(new LiveMessage.Envelope(epoch.value(), sealedEnvelope));
      }

      @Override
      public long publishFrame(EpochId epoch, boolean keyframe, byte[] sealedFrame) throws IOException {
        open();
        long seq = next++;
        deliver(new LiveMessage.Frame(epoch.value(), seq, keyframe, sealedFrame));
        return seq;
      }

      private void open() throws IOException {
        if (closed) {
          throw new IOException("publisher closed");
        }
      }

      @Override
      public void close() {
        closed = true;
      }
    };
  }

  /** A new viewer connection: it gets every message delivered from now on. */
  Sub subscriber() {
    Sub s = new Sub();
    subscribers.add(s);
    return s;
  }

  /** A hostile transport (or anyone with a publish credential) sends {@code m} to every viewer. */
  void inject(LiveMessage m) {
    deliver(m);
  }

  /** The transport ends the stream normally for every viewer. */
  void end() {
    synchronized (subscribers) {
      for (Sub s : subscribers) {
        s.queue.add(END);
      }
    }
  }

  private void deliver(LiveMessage m) {
    published.add(m);
    synchronized (subscribers) {
      for (Sub s : subscribers) {
        s.queue.add(m);
      }
    }
  }

  static final class Sub implements LiveSubscriber {
    final LinkedBlockingQueue<LiveMessage> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    @Override
    public LiveMessage next(Duration timeout) throws IOException {
      if (closed) {
        return null;
      }
      LiveMessage m;
      try {
        m = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted");
      }
      if (m == null) {
        throw new SocketTimeoutException("nothing within " + timeout);
      }
      return m == END || closed ? null : m;
    }

    @Override
    public void close() {
      closed = true;
      queue.add(END);
    }
  }
}
