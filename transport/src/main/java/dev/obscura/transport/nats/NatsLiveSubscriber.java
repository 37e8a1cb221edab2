package dev.obscura.transport.nats;

import dev.obscura.core.LiveMessage;
import dev.obscura.core.LiveSubscriber;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.transport.internal.KeyframeSkipQueue;
import dev.obscura.transport.relay.RelayLive;
import dev.obscura.transport.relay.RelayMessage;
import dev.obscura.transport.relay.RelayWire;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A viewer's end of the live fan-out over NATS JetStream: the sealed envelopes and frames of one
 * camera, in publish order, pulled one at a time ({@link LiveSubscriber}).
 *
 * <p>Joining: it subscribes to the camera's subjects ({@link NatsSubjects#viewerSubscription}),
 * then reads the newest envelope and the newest keyframe the household's stream keeps (two
 * JetStream direct gets, last message per subject) and hands them over before the live messages
 * that arrived meanwhile: a late joiner gets the epoch's envelope and a keyframe at once, without
 * waiting for a cache in a relay or for the camera's next keyframe. After every reconnect (the
 * client fails over to another server when one goes down) it reads them again, so it resumes at
 * the newest keyframe.
 *
 * <p>The relay's rules carry over, enforced here in the client: the first frame handed over is a
 * keyframe, preceded by its epoch's envelope; frames of an epoch whose envelope is unknown are
 * not handed over; after a gap in the sequence numbers it waits for a keyframe; a frame or
 * envelope seen before (same publisher run, sequence not after the last one) is dropped, so
 * nothing is handed over twice; and the queue is bounded ({@link NatsLiveConfig#queueMessages()},
 * {@link NatsLiveConfig#queueBytes()}): when the consumer is too slow the queue is dropped and the
 * viewer skips to the next keyframe (the same rule and code as the relay's, {@code
 * KeyframeSkipQueue}); {@link #stats()} counts skips, gaps and duplicates.
 *
 * <p><b>Security guarantees:</b> none of its own: it holds no key and authenticates nothing; every
 * field came through an untrusted server. The credentials appear in no log, {@code toString()}
 * or exception message; the server lets them subscribe to their own household's cameras only
 * ({@link NatsCredentials#viewer}).
 *
 * <p><b>Restrictions:</b> one consumer thread; {@link #close()} from any thread ends a blocked
 * {@link #next}, which then returns {@code null}.
 */
public final class NatsLiveSubscriber implements LiveSubscriber {
  private static final int ENVELOPES_KEPT = 4;
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(1);

  private final NatsLiveConfig config;
  private final String household;
  private final NatsSubjects.Camera camera;
  private final NatsSession session;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final KeyframeSkipQueue<LiveMessage> queue;
  private final TreeMap<Long, LiveMessage.Envelope> envelopes = new TreeMap<>();
  private final List<Message> pending = new ArrayList<>();
  private final Thread catchUpThread;
  private boolean catchingUp;
  private boolean catchUpWanted;
  private String run;
  private long lastSequence;
  private boolean haveSequence;
  private boolean ended;
  private IOException failure;
  private long received;
  private long delivered;
  private long envelopesOut;
  private long framesOut;
  private long duplicates;
  private long gaps;
  private long malformed;
  private long catchUps;

  private NatsLiveSubscriber(NatsLiveConfig config, String household, StreamId camera)
      throws IOException {
    this.config = config;
    this.camera = NatsSubjects.Camera.of(household, camera);
    this.household = this.camera.household();
    this.queue = new KeyframeSkipQueue<>(config.queueMessages(), config.queueBytes(), null);
    this.session = NatsSession.open(config, "viewer");
    this.catchUpThread = new Thread(this::catchUpLoop, "obscura-nats-catchup-" + camera);
    this.catchUpThread.setDaemon(true);
    boolean ok = false;
    try {
      session.events(new NatsSession.Events() {
        @Override
        public void reconnected() {
          requestCatchUp();
        }

        @Override
        public void permissionDenied(String what) {
          end(new NatsRefusedException("NATS refused viewer " + session.user + " for "
              + NatsLiveSubscriber.this.camera + ": " + what));
        }

        @Override
        public void closed() {
          end(new IOException("NATS connection of viewer " + session.user + " closed"));
        }
      });
      lock.lock();
      try {
        catchingUp = true;
      } finally {
        lock.unlock();
      }
      Dispatcher d = session.connection.createDispatcher(this::onMessage);
      d.setPendingLimits(Math.max(1024, config.queueMessages() * 4L), config.queueBytes() * 4);
      d.subscribe(NatsSubjects.viewerSubscription(household, camera));
      session.connection.flush(config.requestTimeout());
      catchUp();
      session.checkPermitted();
      catchUpThread.start();
      ok = true;
    } catch (TimeoutException e) {
      throw new SocketTimeoutException("NATS did not confirm the subscription to " + household
          + "/" + camera + " within " + config.requestTimeout().toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while subscribing");
    } finally {
      if (!ok) {
        session.close();
      }
    }
  }

  /**
   * Connects as a viewer of a camera: subscribes, then reads the stored envelope and keyframe.
   *
   * @param config servers, credentials and limits
   * @param household the camera's household
   * @param camera the camera's stream
   * @return the connected subscriber
   * @throws NatsRefusedException if the server refused the credentials or the subscription (a
   *     viewer of another household)
   * @throws IOException if no server can be reached
   */
  public static NatsLiveSubscriber connect(NatsLiveConfig config, String household,
      StreamId camera) throws IOException {
    return new NatsLiveSubscriber(config, household, camera);
  }

  private void onMessage(Message m) {
    lock.lock();
    try {
      received++;
      if (catchingUp) {
        pending.add(m);
      } else {
        accept(m);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Reads the stored envelope and keyframe, then lets the live messages held meanwhile follow. */
  private void catchUp() throws NatsRefusedException {
    lock.lock();
    try {
      catchingUp = true;
    } finally {
      lock.unlock();
    }
    Message[] stored = null;
    try {
      // a direct get to a stream that does not exist yet gets no answer at all (not a 404):
      // at most a second, the live messages carry on without it
      Duration t = config.requestTimeout().compareTo(CATCH_UP_TIMEOUT) < 0
          ? config.requestTimeout() : CATCH_UP_TIMEOUT;
      stored = session.requestAll(t,
          NatsSubjects.directGet(household, camera.envelope()),
          NatsSubjects.directGet(household, camera.keyframe()));
    } catch (NatsRefusedException e) {
      throw e;
    } catch (IOException e) {
      // interrupted: the live messages will do
    } finally {
      lock.lock();
      try {
        catchUps++;
        if (stored != null) {
          for (Message m : stored) {
            if (m != null && m.getData() != null && m.getData().length > 0) {
              received++;
              accept(m);
            }
          }
        }
        for (Message m : pending) {
          accept(m);
        }
        pending.clear();
        catchingUp = false;
      } finally {
        lock.unlock();
      }
    }
  }

  private void requestCatchUp() {
    lock.lock();
    try {
      catchUpWanted = true;
      catchingUp = true; // hold live messages until the stored ones are read
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void catchUpLoop() {
    for (;;) {
      lock.lock();
      try {
        while (!catchUpWanted && !ended) {
          changed.awaitUninterruptibly();
        }
        if (ended) {
          return;
        }
        catchUpWanted = false;
      } finally {
        lock.unlock();
      }
      try {
        catchUp();
      } catch (NatsRefusedException e) {
        end(e);
      }
    }
  }

  /** One message, in order; under the lock. */
  private void accept(Message m) {
    byte[] data = m.getData();
    LiveMessage lm;
    try {
      lm = decode(m, config.maxMessageBytes());
    } catch (MalformedDataException e) {
      malformed++;
      return;
    }
    if (lm instanceof LiveMessage.Envelope e) {
      LiveMessage.Envelope known = envelopes.get(e.epoch());
      if (known != null && Arrays.equals(known.payload(), e.payload())) {
        duplicates++;
        return;
      }
      envelopes.put(e.epoch(), e);
      while (envelopes.size() > ENVELOPES_KEPT) {
        envelopes.pollFirstEntry();
      }
      queue.offerEnvelope(e, data.length);
      changed.signalAll();
      return;
    }
    LiveMessage.Frame f = (LiveMessage.Frame) lm;
    String r = run(m);
    if (!r.equals(run)) {
      if (!f.keyframe()) {
        return; // a publisher run not started at a keyframe here: wait for one
      }
      run = r;
      haveSequence = false;
    }
    if (haveSequence && Long.compareUnsigned(f.sequence(), lastSequence) <= 0) {
      duplicates++;
      return;
    }
    if (haveSequence && f.sequence() != lastSequence + 1) {
      gaps++;
      if (!f.keyframe()) {
        queue.awaitKeyframe();
      }
    }
    haveSequence = true;
    lastSequence = f.sequence();
    LiveMessage.Envelope env = envelopes.get(f.epoch());
    if (env == null) {
      queue.awaitKeyframe(); // cannot be opened; start again at a keyframe of a known epoch
      return;
    }
    if (queue.offerFrame(f, data.length, f.keyframe(), env,
        env.payload().length + RelayWire.HEADER_LENGTH)) {
      changed.signalAll();
    }
  }

  /**
   * The live message one NATS message carries: its data is one relay protocol v1 message.
   *
   * @param m the NATS message, as the server sent it
   * @param maxMessageBytes the largest message accepted
   * @return the envelope or frame
   * @throws MalformedDataException if the data is not one relay message within the limit
   */
  static LiveMessage decode(Message m, int maxMessageBytes) throws MalformedDataException {
    byte[] data = m.getData();
    RelayMessage rm = RelayWire.decode(data == null ? new byte[0] : data, maxMessageBytes);
    return RelayLive.toLive(rm);
  }

  /** The publisher run a message names in its {@value NatsSubjects#RUN_HEADER} header, else "". */
  static String run(Message m) {
    String r = m.hasHeaders() ? m.getHeaders().getFirst(NatsSubjects.RUN_HEADER) : null;
    return r == null ? "" : r;
  }

  @Override
  public LiveMessage next(Duration timeout) throws IOException {
    long timeoutNanos = Math.max(1, timeout.toNanos());
    lock.lock();
    try {
      long remaining = timeoutNanos;
      while (queue.isEmpty() && !ended) {
        if (remaining <= 0) {
          throw new SocketTimeoutException("no message from NATS for " + camera
              + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        }
        remaining = changed.awaitNanos(remaining);
      }
      LiveMessage m = queue.poll();
      if (m == null) {
        if (failure != null) {
          throw failure;
        }
        return null;
      }
      delivered++;
      if (m instanceof LiveMessage.Frame) {
        framesOut++;
      } else {
        envelopesOut++;
      }
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for NATS");
    } finally {
      lock.unlock();
    }
  }

  /**
   * A snapshot of the counters.
   *
   * @return the counters
   */
  public NatsLiveStats stats() {
    lock.lock();
    try {
      return new NatsLiveStats(received, delivered, envelopesOut, framesOut, duplicates, gaps,
          queue.skipEvents(), queue.skippedFrames(), malformed, session.reconnects(), catchUps);
    } finally {
      lock.unlock();
    }
  }

  private void end(IOException error) {
    lock.lock();
    try {
      if (!ended) {
        ended = true;
        failure = error;
        if (error != null) {
          queue.clear();
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Closes the connection; a blocked {@link #next} returns {@code null}. Idempotent. */
  @Override
  public void close() {
    end(null);
    session.close();
  }

  @Override
  public String toString() {
    NatsLiveStats s = stats();
    return "NatsLiveSubscriber[" + camera + ", " + s.delivered() + " delivered, "
        + s.skipEvents() + " skips, " + s.gaps() + " gaps]";
  }
}
