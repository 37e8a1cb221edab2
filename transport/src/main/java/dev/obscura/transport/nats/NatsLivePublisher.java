package dev.obscura.transport.nats;

import dev.obscura.core.EpochId;
import dev.obscura.core.Hex;
import dev.obscura.core.LivePublisher;
import dev.obscura.core.StreamId;
import dev.obscura.transport.relay.RelayEnvelope;
import dev.obscura.transport.relay.RelayWire;
import io.nats.client.JetStream;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.concurrent.TimeoutException;

/**
 * A camera's end of the live fan-out over NATS JetStream: publishes the sealed envelopes and
 * frames of one stream on its subjects ({@link NatsSubjects}), each as one relay protocol v1
 * message ({@link RelayWire}). Envelopes go through JetStream with an acknowledgement (they are
 * rare and a late joiner needs them); keyframes and the other frames are plain NATS publishes,
 * and the household's stream keeps the newest envelope and the newest keyframe of each camera
 * (memory storage, one message per subject), so a viewer that joins reads both at once.
 *
 * <p>Connect creates the household's stream if it does not exist ({@link
 * NatsLiveConfig#streamReplicas()} replicas, memory, {@code max_msgs_per_subject} 1, direct get
 * allowed). The client fails over to the other servers of the list and reconnects without end;
 * frames offered while it is disconnected are dropped (a late live frame is useless), and after
 * a drop every frame up to the next keyframe is dropped too, so viewers resume at a keyframe.
 * Sequence numbers count every frame offered, dropped ones included, so viewers see the gap.
 *
 * <p><b>Security guarantees:</b> no key, no plaintext: payloads are sealed before they get here.
 * The credentials are used by jnats to sign the server's nonce and appear in no log, {@code
 * toString()} or exception message. The server enforces that these credentials publish only this
 * camera's subjects ({@link NatsCredentials#camera}).
 *
 * <p><b>Restrictions:</b> calls come from one thread at a time (synchronised).
 */
public final class NatsLivePublisher implements LivePublisher {
  private final NatsSession session;
  private final NatsLiveConfig config;
  private final String household;
  private final NatsSubjects.Camera camera;
  private final Headers headers;
  private final JetStream js;
  private long nextSequence;
  private boolean awaitingKeyframe;
  private long sentFrames;
  private long droppedFrames;
  private long envelopes;
  private boolean closed;

  private NatsLivePublisher(NatsLiveConfig config, String household, StreamId camera)
      throws IOException {
    this.config = config;
    this.camera = NatsSubjects.Camera.of(household, camera);
    this.household = this.camera.household();
    byte[] run = new byte[8];
    new SecureRandom().nextBytes(run);
    this.headers = new Headers().put(NatsSubjects.RUN_HEADER, Hex.format(run));
    this.session = NatsSession.open(config, "camera");
    boolean ok = false;
    try {
      this.js = session.connection.jetStream();
      ensureStream();
      ok = true;
    } finally {
      if (!ok) {
        session.close();
      }
    }
  }

  /**
   * Connects as the publisher of a camera's stream and makes sure its household's stream exists.
   *
   * @param config servers, credentials and limits
   * @param household the camera's household
   * @param camera the camera's stream
   * @return the connected publisher
   * @throws NatsRefusedException if the server refused the credentials or the stream creation
   *     (credentials of another household or camera)
   * @throws IOException if no server can be reached or the stream cannot be created
   */
  public static NatsLivePublisher connect(NatsLiveConfig config, String household, StreamId camera)
      throws IOException {
    return new NatsLivePublisher(config, household, camera);
  }

  private void ensureStream() throws IOException {
    StreamConfiguration sc = StreamConfiguration.builder()
        .name(NatsSubjects.liveStream(household))
        .subjects(NatsSubjects.liveStreamSubjects(household))
        .storageType(StorageType.Memory)
        .maxMessagesPerSubject(1)
        .maxMsgSize(config.maxMessageBytes())
        .discardPolicy(DiscardPolicy.Old)
        .replicas(config.streamReplicas())
        .allowDirect(true)
        .build();
    session.ensureStream(sc, config.requestTimeout(), "live");
  }

  @Override
  public synchronized void publishEnvelope(EpochId epoch, byte[] sealedEnvelope) throws IOException {
    checkOpen();
    byte[] message = RelayWire.encode(new RelayEnvelope(epoch.value(), sealedEnvelope));
    session.publishAcked(js, camera.envelope(), headers, message, null, config.requestTimeout(),
        "the envelope of " + camera);
    envelopes++;
  }

  @Override
  public synchronized long publishFrame(EpochId epoch, boolean keyframe, byte[] sealedFrame)
      throws IOException {
    return publishFrame(epoch, keyframe, sealedFrame, 0, sealedFrame.length);
  }

  /** Encodes the range into the NATS message before returning: no copy kept, none needed. */
  @Override
  public synchronized long publishFrame(EpochId epoch, boolean keyframe, byte[] buffer, int offset,
      int length) throws IOException {
    checkOpen();
    if (length == 0) {
      throw new IllegalArgumentException("payload must not be empty");
    }
    byte[] message = RelayWire.encodeFrame(epoch.value(), nextSequence, keyframe, buffer, offset,
        length);
    long seq = nextSequence++;
    if (awaitingKeyframe && !keyframe) {
      droppedFrames++;
      return seq;
    }
    try {
      session.connection.publish(keyframe ? camera.keyframe() : camera.frame(), headers, message);
      awaitingKeyframe = false;
      sentFrames++;
    } catch (IllegalStateException e) {
      // disconnected (reconnecting: nothing is buffered) or closed
      checkOpen();
      awaitingKeyframe = true;
      droppedFrames++;
    }
    return seq;
  }

  /**
   * Blocks until the server has seen everything published so far (a PING round trip).
   *
   * @throws NatsRefusedException if the server reported a permission violation
   * @throws SocketTimeoutException if the server did not answer in time
   */
  @Override
  public synchronized void flush() throws IOException {
    checkOpen();
    try {
      session.connection.flush(config.requestTimeout());
    } catch (TimeoutException e) {
      throw new SocketTimeoutException("NATS did not answer a flush within "
          + config.requestTimeout().toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while flushing to NATS");
    } catch (IllegalStateException e) {
      throw new IOException("NATS connection of " + camera + " is not connected");
    }
    session.checkPermitted();
  }

  /**
   * Frames handed to the connection.
   *
   * @return the count
   */
  public synchronized long sentFrames() {
    return sentFrames;
  }

  /**
   * Frames dropped while disconnected or waiting for a keyframe after that.
   *
   * @return the count
   */
  public synchronized long droppedFrames() {
    return droppedFrames;
  }

  /**
   * Times the connection came back after a loss (it fails over to another server).
   *
   * @return the count
   */
  public long reconnects() {
    return session.reconnects();
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("NATS publisher of " + camera + " is closed");
    }
    session.checkPermitted();
  }

  /** Flushes (best effort) and closes the connection. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.connection.flush(config.requestTimeout());
    } catch (Exception e) {
      // closing anyway
    }
    session.close();
  }

  @Override
  public synchronized String toString() {
    return "NatsLivePublisher[" + camera + ", " + sentFrames + " frames sent, "
        + droppedFrames + " dropped, " + envelopes + " envelopes]";
  }
}
