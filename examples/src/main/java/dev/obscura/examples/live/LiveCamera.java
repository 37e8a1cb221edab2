package dev.obscura.examples.live;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.FrameSource;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterGuard;
import dev.obscura.crypto.trust.NotPairedException;
import dev.obscura.crypto.trust.TrustException;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.sframe.FileCounterStore;
import dev.obscura.crypto.sframe.SFrameSender;
import dev.obscura.transport.relay.RelayPublisher;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera side of live view: seals each encoded frame with SFrame and publishes it to the
 * relay, with the key envelope of its epoch before the first frame of every epoch.
 *
 * <p>Keys: like the {@link dev.obscura.crypto.Recorder} with a camera, each epoch key is fresh and
 * random, wrapped to the members (and recovery key) of the roster the camera trusts ({@link
 * RosterGuard}: the pinned roster, or a valid successor found in the store), in an envelope
 * <em>signed with the camera's key</em>. The envelope is written to the store under the usual
 * name ({@code ObjectNames.envelope(stream, epoch)}) before it is published, so a viewer that
 * joins later, and {@code export}, read the same envelope. Epoch numbers are never reused: the
 * next one is above every envelope and segment of the stream in the store and above the
 * camera's own record ({@link CameraState#useEpoch}).
 *
 * <p>Rotation happens only at a keyframe (so a viewer can start decoding at the first frame of
 * an epoch): when the roster in the store changed validly, and when the epoch is older than
 * {@link Builder#epochDuration} (default 10 minutes; it also bounds how stale an envelope a
 * viewer has to accept).
 *
 * <p>Counters: the SFrame counter is persisted in the camera folder ({@code live-STREAM.ctr},
 * {@link FileCounterStore}), so no (key, nonce) pair repeats across restarts; the counter runs
 * on across epochs.
 *
 * <p><b>Security guarantees:</b> the relay and the store get only SFrame ciphertexts and sealed,
 * signed envelopes. Epoch keys live only in this object's sender (derived keys) and are destroyed
 * at rotation and close. Nothing here holds or logs the relay token (the caller's publisher does).
 *
 * <p><b>Restrictions:</b> not thread-safe: drive it from one thread. One live camera per stream
 * and camera folder at a time; recording the same stream into the same store at the same time
 * (with {@code record}) is not supported (both would pick the same epoch numbers). Sends block
 * while the relay socket is busy (up to the publisher's send timeout), so a file or an
 * unpaced source is published as fast as the relay takes it, without drops.
 */
public final class LiveCamera implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveCamera.class);

  /**
   * Default epoch duration: a fresh epoch at the first keyframe after 10 minutes. A viewer's
   * default envelope age bound follows from it ({@link LiveViewer.Builder#epochDuration}).
   */
  public static final Duration DEFAULT_EPOCH_DURATION = Duration.ofMinutes(10);

  /** Hears what the camera did; every method has a default that does nothing. */
  public interface Listener {
    /** An epoch started; its envelope was stored and published. */
    default void epochStarted(EpochId epoch, int recipients, byte[] envelope) {}

    /** A frame was sealed and handed to the relay under {@code sequence}. */
    default void frameSent(EncodedFrame frame, byte[] sealed, long sequence) {}
  }

  /** What the camera did. */
  public record Stats(long frames, long keyframes, long plaintextBytes, long sealedBytes, int epochs,
      long envelopeBytes) {}

  private final SegmentStore store;
  private final StreamId stream;
  private final CameraState camera;
  private final RelayPublisher publisher;
  private final Duration epochDuration;
  private final Clock clock;
  private final EntropySource entropy;
  private final Listener listener;
  private final RosterGuard guard;
  private boolean ownersOnly;
  private final FileCounterStore counters;
  private final SFrameSender sender;
  private EpochId epoch;
  private Instant epochStart;
  private long frames;
  private long keyframes;
  private long plaintextBytes;
  private long sealedBytes;
  private int epochs;
  private long envelopeBytes;

  private LiveCamera(Builder b) throws IOException, MalformedDataException, NotPairedException, TrustException {
    this.store = b.store;
    this.stream = b.stream;
    this.camera = b.camera;
    this.publisher = b.publisher;
    this.epochDuration = b.epochDuration;
    this.clock = b.clock;
    this.entropy = b.entropy;
    this.listener = b.listener;
    this.guard = new RosterGuard(store, camera, camera.identity().publicKey(), b.maxRosterAge);
    report(guard.refresh());
    long first = camera.nextEpoch(stream); // its own record: never a number the store planted
    this.counters = FileCounterStore.open(camera.dir().resolve("live-" + stream + ".ctr"));
    EpochKey key = null;
    try {
      key = startEpoch(EpochId.of(first));
      this.sender = SFrameSender.builder(key, counters).clock(clock).build(); // stamps capture times
    } catch (IOException | RuntimeException e) {
      counters.close();
      throw e;
    } finally {
      if (key != null) {
        key.destroy(); // the sender keeps only its derived key
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link LiveCamera}. */
  public static final class Builder {
    private SegmentStore store;
    private StreamId stream;
    private CameraState camera;
    private RelayPublisher publisher;
    private Duration epochDuration = DEFAULT_EPOCH_DURATION;
    private Clock clock = Clock.systemUTC();
    private EntropySource entropy = EntropySource.system();
    private Listener listener = new Listener() {};
    private Duration maxRosterAge = Duration.ZERO;

    private Builder() {}

    /**
     * Wrap an epoch only to owners (and the recovery key) while the newest roster the camera has
     * was signed longer ago than this; zero (default) for no bound (see {@link RosterGuard}).
     */
    public Builder maxRosterAge(Duration age) {
      if (age.isNegative()) {
        throw new IllegalArgumentException("maxRosterAge must be >= 0");
      }
      this.maxRosterAge = age;
      return this;
    }

    /** Where the roster is read and the envelopes are kept. */
    public Builder store(SegmentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    public Builder stream(StreamId stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
      return this;
    }

    /** The camera's folder: its signing key, pinned roster, epoch record and SFrame counter. */
    public Builder camera(CameraState camera) {
      this.camera = Objects.requireNonNull(camera, "camera");
      return this;
    }

    /** The connection to the relay (the caller keeps it and closes it). */
    public Builder publisher(RelayPublisher publisher) {
      this.publisher = Objects.requireNonNull(publisher, "publisher");
      return this;
    }

    /** Start a fresh epoch at the first keyframe after this long; default 10 minutes. */
    public Builder epochDuration(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("epochDuration must be > 0");
      }
      this.epochDuration = d;
      return this;
    }

    /**
     * The camera's wall clock: it dates envelopes, times epochs, and stamps every live frame with
     * its capture time (viewers refuse frames not within their tolerance of their own clock).
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder entropy(EntropySource entropy) {
      this.entropy = Objects.requireNonNull(entropy, "entropy");
      return this;
    }

    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Starts the first epoch: stores and publishes its envelope.
     *
     * @throws NoRosterException if the camera trusts no roster (none pinned, none valid in the store)
     */
    public LiveCamera build() throws IOException, MalformedDataException, NotPairedException, TrustException {
      if (store == null || stream == null || camera == null || publisher == null) {
        throw new IllegalStateException("store, stream, camera and publisher are required");
      }
      return new LiveCamera(this);
    }
  }

  /** The camera trusts no roster, so there is nobody to wrap the key to. */
  public static final class NoRosterException extends IOException {
    private static final long serialVersionUID = 1L;

    NoRosterException(String message) {
      super(message);
    }
  }

  /**
   * Seals and publishes one frame (rotating the epoch first if it is a keyframe and rotation is
   * due), stamped with the camera clock's time now as its capture time.
   *
   * @return the relay sequence number of the frame
   */
  public long send(EncodedFrame frame) throws IOException, TrustException {
    return send(frame, dev.obscura.crypto.sframe.LiveFrame.micros(clock.instant()));
  }

  /**
   * {@link #send(EncodedFrame)} for a source that knows when it captured the frame: {@code
   * captureMicros} is that wall-clock time, microseconds since the Unix epoch.
   */
  public long send(EncodedFrame frame, long captureMicros) throws IOException, TrustException {
    if (frame.keyframe()) {
      rotateIfDue();
    }
    byte[] sealed = sender.seal(frame, captureMicros);
    long seq = publisher.sendFrame(epoch.value(), frame.keyframe(), sealed);
    frames++;
    if (frame.keyframe()) {
      keyframes++;
    }
    plaintextBytes += frame.sizeBytes();
    sealedBytes += sealed.length;
    listener.frameSent(frame, sealed, seq);
    return seq;
  }

  /** Publishes every frame of {@code source} until it ends; does not close it. */
  public Stats run(FrameSource source) throws IOException, TrustException {
    for (EncodedFrame f; (f = source.next()) != null; ) {
      send(f);
    }
    publisher.flush();
    return stats();
  }

  public Stats stats() {
    return new Stats(frames, keyframes, plaintextBytes, sealedBytes, epochs, envelopeBytes);
  }

  /** The epoch frames are sealed under now. */
  public EpochId epoch() {
    return epoch;
  }

  private void rotateIfDue() throws IOException, TrustException {
    RosterGuard.Update u;
    try {
      u = guard.refresh();
    } catch (NotPairedException e) {
      throw new IllegalStateException("the camera lost its pinned roster while live", e);
    }
    report(u);
    Instant now = clock.instant();
    boolean due = u.changed() || guard.stale(now) != ownersOnly || !now.isBefore(epochStart.plus(epochDuration));
    if (!due) {
      return;
    }
    EpochKey key = startEpoch(epoch.next());
    try {
      sender.rotate(key);
    } finally {
      key.destroy();
    }
  }

  private EpochKey startEpoch(EpochId id) throws IOException {
    Optional<Roster> roster = guard.current();
    if (roster.isEmpty()) {
      throw new NoRosterException("the camera trusts no roster: the store holds no valid roster for it"
          + " (enrol a device first)");
    }
    Roster r = roster.get();
    camera.useEpoch(stream, id.value()); // before the envelope: an epoch number is never reused
    EpochKey key = EpochKey.generate(stream, id, entropy);
    try {
      Instant now = clock.instant();
      ownersOnly = guard.stale(now);
      byte[] envelope = KeyEnvelope.seal(new EnvelopeHeader(stream, id, now), key, guard.recipients(now),
          camera.identity().signingKey(), r.ref());
      store.put(ObjectNames.envelope(stream, id), envelope);
      publisher.sendEnvelope(id.value(), envelope);
      epoch = id;
      epochStart = now;
      epochs++;
      envelopeBytes += envelope.length;
      log.debug("live {}: started {} for {} recipient(s)", stream, id, r.recipients().size());
      listener.epochStarted(id, r.recipients().size(), envelope);
      return key;
    } catch (IOException | RuntimeException e) {
      key.destroy();
      throw e;
    }
  }

  private void report(RosterGuard.Update u) {
    for (RosterRejectedException e : u.refused()) {
      log.warn("{}", e.getMessage());
    }
    u.accepted().ifPresent(r -> log.info("roster version {} accepted ({} members, fingerprint {})",
        r.version(), r.members().size(), r.fingerprint()));
  }


  /** Wipes the current epoch's derived keys and closes the counter file (not the publisher). */
  @Override
  public void close() throws IOException {
    try {
      sender.close();
    } finally {
      counters.close();
    }
  }

  @Override
  public String toString() {
    return "LiveCamera[" + stream + ", " + epoch + ", " + frames + " frames]";
  }
}
