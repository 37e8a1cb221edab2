package dev.obscura.transport.relay.internal;

import dev.obscura.transport.relay.RelayConfig;
import dev.obscura.transport.relay.RelayServer;
import dev.obscura.transport.relay.RelayStats;
import dev.obscura.transport.relay.RelayWire;

import dev.obscura.core.StreamId;
import dev.obscura.transport.internal.KeyframeSkipQueue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not API. The relay's state for one stream: its publisher, its viewers with their bounded queues, and
 * the newest envelope per epoch. Lock order: hub, then viewer; a viewer's send callbacks take
 * only the viewer's lock.
 */
public final class StreamHub {
  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
  private static final long SKIP_LOG_INTERVAL_NANOS = 10_000_000_000L;

  final StreamId stream;
  private final RelayConfig config;
  private final AtomicLong viewerIds;

  private Object publisher; // guarded by this
  private final List<Viewer> viewers = new CopyOnWriteArrayList<>();
  private final TreeMap<Long, byte[]> envelopes = new TreeMap<>(); // guarded by this

  final AtomicLong framesIn = new AtomicLong();
  final AtomicLong bytesIn = new AtomicLong();
  final AtomicLong envelopesIn = new AtomicLong();
  final AtomicLong messagesOut = new AtomicLong();
  final AtomicLong bytesOut = new AtomicLong();
  final AtomicLong skippedFrames = new AtomicLong();
  final AtomicLong skipEvents = new AtomicLong();
  final AtomicLong malformed = new AtomicLong();

  public StreamHub(StreamId stream, RelayConfig config, AtomicLong viewerIds) {
    this.stream = stream;
    this.config = config;
    this.viewerIds = viewerIds;
  }

  /** Makes {@code p} the publisher; returns the one it replaces, or null. */
  synchronized Object attachPublisher(Object p) {
    Object old = publisher;
    publisher = p;
    return old;
  }

  synchronized boolean isPublisher(Object p) {
    return publisher == p;
  }

  synchronized void detachPublisher(Object p) {
    if (publisher == p) {
      publisher = null;
    }
  }

  synchronized boolean publisherConnected() {
    return publisher != null;
  }

  public int viewerCount() {
    return viewers.size();
  }

  List<Viewer> viewers() {
    return viewers;
  }

  synchronized Viewer addViewer(Session session) {
    Viewer v = new Viewer(viewerIds.incrementAndGet(), session);
    viewers.add(v);
    return v;
  }

  void removeViewer(Viewer v) {
    synchronized (this) {
      viewers.remove(v);
    }
    v.close();
  }

  /** Fans one checked message out; called by the publisher's endpoint, one message at a time. */
  void publish(Object from, RelayWire.Header header, byte[] message) {
    List<Viewer> toPump = new ArrayList<>();
    synchronized (this) {
      if (publisher != from) {
        return; // replaced while this message was in flight
      }
      bytesIn.addAndGet(message.length);
      if (header.isFrame()) {
        framesIn.incrementAndGet();
        byte[] envelope = envelopes.get(header.epoch());
        for (Viewer v : viewers) {
          if (v.offerFrame(message, header.keyframe(), envelope)) {
            toPump.add(v);
          }
        }
      } else {
        envelopesIn.incrementAndGet();
        envelopes.put(header.epoch(), message);
        while (envelopes.size() > config.envelopesKeptPerStream()) {
          envelopes.pollFirstEntry();
        }
        for (Viewer v : viewers) {
          if (v.offerEnvelope(message)) {
            toPump.add(v);
          }
        }
      }
    }
    for (Viewer v : toPump) {
      v.pump();
    }
  }

  public RelayStats.StreamStats stats() {
    List<RelayStats.ViewerStats> vs = new ArrayList<>();
    for (Viewer v : viewers) {
      vs.add(v.stats());
    }
    return new RelayStats.StreamStats(stream, publisherConnected(), framesIn.get(), bytesIn.get(),
        envelopesIn.get(), messagesOut.get(), bytesOut.get(), skippedFrames.get(),
        skipEvents.get(), malformed.get(), vs);
  }

  /** One subscriber connection and its bounded queue. */
  final class Viewer {
    final long id;
    final Session session;

    private final KeyframeSkipQueue<byte[]> queue;
    private boolean inFlight;
    private boolean pumping;
    private boolean closed;
    private long out;
    private long outBytes;
    private long lastSkipLog;

    Viewer(long id, Session session) {
      this.id = id;
      this.session = session;
      this.queue = new KeyframeSkipQueue<>(config.viewerQueueFrames(), config.viewerQueueBytes(),
          new KeyframeSkipQueue.Listener() {
            @Override
            public void overflow(int droppedMessages, long droppedBytes, int droppedFrames) {
              skippedFrames.addAndGet(droppedFrames);
              skipEvents.incrementAndGet();
              logOverflow(droppedMessages, droppedBytes);
            }

            @Override
            public void skipped() {
              skippedFrames.incrementAndGet();
            }
          });
    }

    /** Queues an envelope; returns whether the queue needs pumping. */
    synchronized boolean offerEnvelope(byte[] envelope) {
      // Dropped if it does not fit; it is given again before the first frame of its epoch.
      return !closed && queue.offerEnvelope(envelope, envelope.length);
    }

    /** Queues a frame, or skips it; returns whether the queue needs pumping. */
    synchronized boolean offerFrame(byte[] frame, boolean keyframe, byte[] envelope) {
      return !closed && queue.offerFrame(frame, frame.length, keyframe, envelope,
          envelope == null ? 0 : envelope.length);
    }

    /** After an overflow: the counters are exact, the log is rate-limited. */
    private void logOverflow(int queuedMessages, long dropBytes) {
      // One line at INFO per viewer per SKIP_LOG_INTERVAL at most, so that a viewer that stays
      // too slow cannot flood the log; the counters are exact either way.
      long now = System.nanoTime();
      long events = queue.skipEvents();
      if (events == 1 || now - lastSkipLog >= SKIP_LOG_INTERVAL_NANOS) {
        LOG.info("stream {} viewer #{}: queue full ({} messages, {} bytes); skipping to the next"
                + " keyframe ({} skip events, {} frames skipped so far)",
            stream, id, queuedMessages, dropBytes, events, queue.skippedFrames());
        lastSkipLog = now;
      } else {
        LOG.debug("stream {} viewer #{}: queue full; skip event {}", stream, id, events);
      }
    }

    /** Sends queued messages, one in flight at a time, without recursion. */
    void pump() {
      for (;;) {
        byte[] m;
        synchronized (this) {
          if (pumping) {
            return;
          }
          if (inFlight || closed || queue.isEmpty()) {
            return;
          }
          m = queue.poll();
          inFlight = true;
          pumping = true;
        }
        final int length = m.length;
        session.sendBinary(ByteBuffer.wrap(m), Callback.from(() -> sent(length), this::failed));
        synchronized (this) {
          pumping = false;
          if (inFlight) {
            return; // the callback pumps on
          }
        }
      }
    }

    private void sent(int length) {
      boolean pumpNow;
      synchronized (this) {
        inFlight = false;
        out++;
        outBytes += length;
        pumpNow = !pumping;
      }
      messagesOut.incrementAndGet();
      bytesOut.addAndGet(length);
      if (pumpNow) {
        pump();
      }
    }

    private void failed(Throwable t) {
      synchronized (this) {
        inFlight = false;
        closed = true;
        queue.clear();
      }
      LOG.debug("stream {} viewer #{}: send failed ({})", stream, id, t.getClass().getSimpleName());
    }

    synchronized void close() {
      closed = true;
      queue.clear();
    }

    synchronized long skippedFrames() {
      return queue.skippedFrames();
    }

    synchronized long skipEvents() {
      return queue.skipEvents();
    }

    synchronized long messagesOut() {
      return out;
    }

    synchronized RelayStats.ViewerStats stats() {
      return new RelayStats.ViewerStats(id, queue.size(), queue.bytes(), out, outBytes,
          queue.skippedFrames(), queue.skipEvents(), queue.awaitingKeyframe());
    }
  }
}
