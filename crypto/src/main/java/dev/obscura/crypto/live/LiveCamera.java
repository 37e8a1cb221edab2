package dev.obscura.crypto.live;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.FrameSource;
import dev.obscura.core.LivePublisher;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.internal.EpochStart;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.padding.Pacer;
import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.padding.PaddingPolicy;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterGuard;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.sframe.FileCounterStore;
import dev.obscura.crypto.sframe.LiveFrame;
import dev.obscura.crypto.sframe.SFrameSender;
import dev.obscura.crypto.trust.NotPairedException;
import dev.obscura.crypto.trust.TrustException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.Provider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera side of live view: seals each encoded frame with SFrame and publishes it through an
 * untrusted fan-out ({@link LivePublisher}: the relay, or any other transport), with the key
 * envelope of its epoch before the first frame of every epoch.
 *
 * <p>Keys: like the {@link dev.obscura.crypto.Recorder} with a camera, each epoch key is fresh and
 * random, wrapped to the members (and recovery key) of the roster the camera trusts ({@link
 * RosterGuard}: the pinned roster, or a valid successor found in the store), in an envelope
 * <em>signed with the camera's key</em> that names that roster. The envelope is written to the
 * store under the usual name ({@code ObjectNames.envelope(stream, epoch)}) before it is published,
 * so a viewer that joins later, and an export, read the same envelope. Epoch numbers are never
 * reused: the next one comes from the camera's own record ({@link CameraState#nextEpoch}, never a
 * number the store planted), and is recorded ({@link CameraState#useEpoch}) before its envelope
 * is made.
 *
 * <p>Rotation happens only at a keyframe (so a viewer can start decoding at the first frame of
 * an epoch): when the roster in the store changed validly (an enrolment, a revocation: the
 * revoked device gets no key from then on), when the roster became older than {@link
 * Builder#maxRosterAge} (from then on keys go to owners only), and when the epoch is older than
 * {@link Builder#epochDuration} (default 10 minutes; it also bounds how stale an envelope a
 * viewer has to accept, {@link LiveViewer.Builder#epochDuration}).
 *
 * <p>Counters: the SFrame counter is persisted in the camera folder ({@code live-STREAM.ctr},
 * {@link FileCounterStore}) before use, so no (key, nonce) pair repeats across restarts; the
 * counter runs on across epochs. Every frame is stamped with its capture time, authenticated,
 * which viewers check against their clocks.
 *
 * <p><b>Security guarantees:</b> the transport and the store get only SFrame ciphertexts and
 * sealed, signed envelopes. Epoch keys live only in this object's sender (derived keys) and are
 * destroyed at rotation and close (forward secrecy for earlier epochs). Nothing here holds or logs
 * a transport credential (the caller's publisher does).
 *
 * <p><b>Restrictions:</b> not thread-safe: drive it from one thread. One live camera per stream
 * and camera folder at a time; recording the same stream into the same store at the same time is
 * not supported (both would pick the same epoch numbers). Sends block while the transport is busy
 * (up to the publisher's own timeout), so a file or an unpaced source is published as fast as the
 * transport takes it, without drops.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * CameraState camera = CameraState.open(cameraDir, KeyProtection.platformKey(keyFile), EntropySource.system());
 * try (LivePublisher relay = RelayLive.connectPublisher(uri, stream, token, RelayClientConfig.defaults());
 *     LiveCamera live = LiveCamera.builder().store(store).stream(stream).camera(camera).publisher(relay).build()) {
 *   live.run(frames);
 * }
 * }</pre>
 */
public final class LiveCamera implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveCamera.class);

  /**
   * Default epoch duration: a fresh epoch at the first keyframe after 10 minutes. A viewer's
   * default envelope age bound follows from it ({@link LiveViewer.Builder#epochDuration}).
   */
  public static final Duration DEFAULT_EPOCH_DURATION = Duration.ofMinutes(10);

  /** First size of the reused output buffer; it grows to the largest frame seen (a keyframe). */
  private static final int INITIAL_SEAL_BUFFER = 64 * 1024;

  /**
   * The most bytes one window of a pacing policy may carry (64 MiB: cbr at 512 Mbit/s): a cover
   * frame can take a whole window, and is sealed in one buffer.
   */
  public static final long MAX_PACING_WINDOW = 64L << 20;

  /** Hears what the camera did; every method has a default that does nothing. */
  public interface Listener {
    /**
     * An epoch started; its envelope was stored and published.
     *
     * @param epoch the new epoch
     * @param recipients how many roster devices the key was wrapped to
     * @param envelope the sealed, signed envelope (public data; do not modify)
     */
    default void epochStarted(EpochId epoch, int recipients, byte[] envelope) {}

    /**
     * A frame was sealed and handed to the transport.
     *
     * <p><b>Buffer ownership:</b> {@code sealed} is the camera's reused output buffer: the
     * ciphertext {@code sealed[offset, offset + length)} is valid during the call only (the next
     * frame overwrites it); copy it to keep it, and do not modify it.
     *
     * @param frame the plaintext frame (the caller's; do not keep it longer than needed)
     * @param sealed the camera's buffer holding the SFrame ciphertext that was published
     * @param offset where the ciphertext starts in {@code sealed}
     * @param length its length in bytes
     * @param sequence the sequence number the transport gave it
     */
    default void frameSent(EncodedFrame frame, byte[] sealed, int offset, int length, long sequence) {}
  }

  /**
   * What the camera did.
   *
   * @param frames frames sealed and published
   * @param keyframes of which keyframes
   * @param plaintextBytes bytes of encoded video in
   * @param sealedBytes bytes of SFrame ciphertext out
   * @param epochs epochs started
   * @param envelopeBytes bytes of key envelopes stored and published
   * @param covers cover frames published by a pacing camera ({@code cbr}, {@code interval})
   * @param coverBytes their bytes (included in {@code sealedBytes})
   * @param framesDropped frames a pacing camera dropped unsent: its queue was full, the frame was
   *     larger than a window of the schedule, or it came after such a drop before a keyframe
   */
  public record Stats(long frames, long keyframes, long plaintextBytes, long sealedBytes, int epochs,
      long envelopeBytes, long covers, long coverBytes, long framesDropped) {}

  /** A frame waiting for its send. */
  private record Queued(EncodedFrame frame, long captureMicros) {}

  private final SegmentStore store;
  private final StreamId stream;
  private final CameraState camera;
  private final LivePublisher publisher;
  private final Duration epochDuration;
  private final Clock clock;
  private final EntropySource entropy;
  private final Listener listener;
  private final RosterGuard guard;
  private boolean ownersOnly;
  private final FileCounterStore counters;
  private final SFrameSender sender;
  private final PaddingPolicy padding;
  /** The schedule of a pacing policy (cbr, interval), else null. */
  private final Pacer pacer;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private long covers;
  private long coverBytes;
  private byte[] sealBuffer = new byte[INITIAL_SEAL_BUFFER];
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
    this.padding = b.padding;
    this.guard = new RosterGuard(store, camera, camera.identity().publicKey(), b.maxRosterAge);
    report(guard.refresh());
    long first = camera.nextEpoch(stream); // its own record: never a number the store planted
    try {
      // a rolled-back epoch record would reuse a number this camera signed an envelope for
      dev.obscura.crypto.internal.StateRollbackCheck.checkEpochs(store, stream, camera);
    } catch (IOException e) {
      log.warn("cannot cross-check the epoch record of {} against the store ({}): starting from the camera's"
          + " own record", stream, e.getMessage());
    }
    this.counters = FileCounterStore.open(camera.dir().resolve("live-" + stream + ".ctr"));
    EpochKey key = null;
    try {
      counters.load(); // a damaged counter file is refused before an epoch starts (nothing stored or sent)
      key = startEpoch(EpochId.of(first));
      // the sender stamps capture times with the camera's clock
      SFrameSender s = SFrameSender.builder(key, counters).clock(clock).provider(b.provider).build();
      try {
        this.pacer = pacer(padding, b.pacingQueueBytes, s);
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
      this.sender = s;
    } catch (IOException | RuntimeException e) {
      counters.close();
      throw e;
    } finally {
      if (key != null) {
        key.destroy(); // the sender keeps only its derived key
      }
    }
  }

  /**
   * A builder; {@code store}, {@code stream}, {@code camera} and {@code publisher} are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link LiveCamera}. */
  public static final class Builder {
    private SegmentStore store;
    private StreamId stream;
    private CameraState camera;
    private LivePublisher publisher;
    private Duration epochDuration = DEFAULT_EPOCH_DURATION;
    private Clock clock = Clock.systemUTC();
    private EntropySource entropy = EntropySource.system();
    private Listener listener = new Listener() {};
    private Duration maxRosterAge = Duration.ZERO;
    private Provider provider;
    private PaddingPolicy padding = PaddingPolicies.none();
    private long pacingQueueBytes;

    private Builder() {}

    /**
     * How live frames are padded (docs/padding.md), the padding always inside the SFrame
     * ciphertext (docs/spec/live-sframe-v1.md section 5), which viewers strip.
     *
     * <ul>
     *   <li>{@code none}, {@code buckets}: each frame is sealed at once to the size {@link
     *       PaddingPolicies#sealedSize} gives for it and sent when it is ready.
     *   <li>{@code cbr}, {@code interval}: the camera <em>paces</em>: frames are queued and go out
     *       whole on the policy's schedule ({@link Pacer}), each send filled to the exact bytes of
     *       the schedule with a cover frame; the caller drives the schedule with {@link
     *       LiveCamera#tick()} (or {@link LiveCamera#run}, which does). Frames wait up to a window
     *       of the schedule (cbr: a second) plus the queue; the queue is bounded ({@link
     *       #pacingQueueBytes}), and a frame over the bound is dropped, with every frame up to the
     *       next keyframe ({@link Stats#framesDropped}).
     * </ul>
     *
     * @param policy the policy; default {@link PaddingPolicies#none()}, byte-identical to a camera
     *     without padding
     * @return this builder
     */
    public Builder padding(PaddingPolicy policy) {
      this.padding = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The bound of a pacing camera's queue, in sealed bytes ({@link Pacer#of}): frames beyond it
     * are dropped up to the next keyframe. Default 0: two windows of the schedule (cbr: two
     * seconds' bytes; interval: two uploads), so no frame waits longer than about two windows.
     *
     * @param bytes the bound, 0 for the default, else at least one window's bytes (checked at
     *     {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public Builder pacingQueueBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("pacingQueueBytes must be >= 0");
      }
      this.pacingQueueBytes = bytes;
      return this;
    }

    /**
     * The JCA provider of the SFrame cipher and HMAC ({@link SFrameSender.Builder#provider});
     * {@code null} (default) for the platform's preferred one. Envelopes and signatures keep
     * theirs.
     *
     * @param provider the provider, or {@code null}
     * @return this builder
     */
    public Builder provider(Provider provider) {
      this.provider = provider;
      return this;
    }

    /**
     * Wrap an epoch only to owners (and the recovery key) while the newest roster the camera has
     * was signed longer ago than this; zero (default) for no bound (see {@link RosterGuard}).
     *
     * @param age the bound, zero for none
     * @return this builder
     * @throws IllegalArgumentException if {@code age} is negative
     */
    public Builder maxRosterAge(Duration age) {
      if (age.isNegative()) {
        throw new IllegalArgumentException("maxRosterAge must be >= 0");
      }
      this.maxRosterAge = age;
      return this;
    }

    /**
     * Where the roster is read and the envelopes are kept.
     *
     * @param store the household's store
     * @return this builder
     */
    public Builder store(SegmentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The stream to publish.
     *
     * @param stream its id
     * @return this builder
     */
    public Builder stream(StreamId stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
      return this;
    }

    /**
     * The camera's folder: its signing key, pinned roster, epoch record and SFrame counter.
     *
     * @param camera the opened camera state (paired)
     * @return this builder
     */
    public Builder camera(CameraState camera) {
      this.camera = Objects.requireNonNull(camera, "camera");
      return this;
    }

    /**
     * The live fan-out frames go to (the caller keeps it and closes it).
     *
     * @param publisher the transport's publisher of this stream
     * @return this builder
     */
    public Builder publisher(LivePublisher publisher) {
      this.publisher = Objects.requireNonNull(publisher, "publisher");
      return this;
    }

    /**
     * Start a fresh epoch at the first keyframe after this long; default 10 minutes.
     *
     * @param d the epoch duration
     * @return this builder
     * @throws IllegalArgumentException if {@code d} is not positive
     */
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
     *
     * @param clock the clock; default the system's UTC clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where fresh epoch keys come from.
     *
     * @param entropy the randomness; default {@link EntropySource#system()}
     * @return this builder
     */
    public Builder entropy(EntropySource entropy) {
      this.entropy = Objects.requireNonNull(entropy, "entropy");
      return this;
    }

    /**
     * Hears epochs and frames.
     *
     * @param listener the listener; default one that does nothing
     * @return this builder
     */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Starts the first epoch: stores and publishes its envelope.
     *
     * @return the live camera, ready to {@link LiveCamera#send}
     * @throws IllegalStateException if a required part is missing
     * @throws NotPairedException if the camera is not paired (no pinned roster, no pairing code)
     * @throws NoRosterException if the camera trusts no roster, so nobody to wrap the key to
     * @throws TrustException if the store's roster chain pins another camera key, or retired this one
     * @throws MalformedDataException if the camera's own records are malformed
     * @throws IOException if the store, the counter file or the transport fails
     * @throws IllegalArgumentException if a pacing policy's sends are too small to hold a cover
     *     frame (cbr below 10 times {@code maxSealedLiveFrameLength(0) + 4}, about 550 B/s) or a
     *     window is over {@link LiveCamera#MAX_PACING_WINDOW}, or the {@link #pacingQueueBytes} bound is
     *     below one window
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
   * <p>The per-frame path allocates nothing of its own: the frame is sealed ({@link
   * SFrameSender#sealLiveFrame}) into one output buffer the camera reuses for every frame (grown
   * only for a frame larger than any before), and that buffer's range is handed to {@link
   * LivePublisher#publishFrame(EpochId, boolean, byte[], int, int)}, which must not keep it (a
   * transport that keeps payloads copies them).
   *
   * @param frame the encoded frame
   * @return the transport's sequence number of the frame, or -1 if a pacing camera queued or
   *     dropped it (see {@link #send(EncodedFrame, long)})
   * @throws IOException if the store, the counter file or the transport fails
   * @throws TrustException if a rotation finds the roster chain pinning another camera key
   */
  public long send(EncodedFrame frame) throws IOException, TrustException {
    return send(frame, LiveFrame.micros(clock.instant()));
  }

  /**
   * {@link #send(EncodedFrame)} for a source that knows when it captured the frame.
   *
   * <p>A pacing camera ({@code cbr}, {@code interval}) queues the frame instead (or drops it, see
   * {@link Builder#padding}), runs {@link #tick()}, and returns -1: the frame is sealed when its
   * send is due, and its sequence number reaches {@link Listener#frameSent}.
   *
   * @param frame the encoded frame
   * @param captureMicros its wall-clock capture time, microseconds since the Unix epoch
   * @return the transport's sequence number of the frame, or -1 if a pacing camera queued or
   *     dropped it
   * @throws IOException if the store, the counter file or the transport fails
   * @throws TrustException if a rotation finds the roster chain pinning another camera key
   */
  public long send(EncodedFrame frame, long captureMicros) throws IOException, TrustException {
    if (pacer != null) {
      if (pacer.offer(unitBytes(frame), frame.keyframe())) {
        queue.addLast(new Queued(frame, captureMicros));
      }
      tick();
      return -1;
    }
    return sendNow(frame, captureMicros);
  }

  private long sendNow(EncodedFrame frame, long captureMicros) throws IOException, TrustException {
    if (frame.keyframe()) {
      rotateIfDue();
    }
    byte[] data = frame.data();
    int unpadded = sender.sealedLiveFrameLength(data.length);
    int size = PaddingPolicies.sealedSize(padding, unpadded, sender.minPaddedLiveFrameLength(data.length));
    ensureBuffer(size == unpadded ? sender.maxSealedLiveFrameLength(data.length) : size);
    int n = size == unpadded
        ? sender.sealLiveFrame(frame.presentationMicros(), frame.keyframe(), captureMicros, data, 0,
            data.length, sealBuffer, 0)
        : sender.sealPaddedLiveFrame(frame.presentationMicros(), frame.keyframe(), captureMicros,
            data, 0, data.length, size, sealBuffer, 0);
    return publishSealed(frame, n);
  }

  /** Publishes the sealed frame {@code sealBuffer[0, n)} of {@code frame} and counts it. */
  private long publishSealed(EncodedFrame frame, int n) throws IOException {
    long seq = publisher.publishFrame(epoch, frame.keyframe(), sealBuffer, 0, n);
    frames++;
    if (frame.keyframe()) {
      keyframes++;
    }
    plaintextBytes += frame.sizeBytes();
    sealedBytes += n;
    listener.frameSent(frame, sealBuffer, 0, n, seq);
    return seq;
  }

  /**
   * Runs a pacing camera's schedule up to the clock's time now: publishes every send that is due
   * (docs/padding.md, "Live pacing"), each exactly the schedule's bytes, made of whole queued
   * frames (sealed now, padded inside the ciphertext) and a cover frame for the rest, several
   * messages at the same instant. Sends missed by a late call go out at once, in order. Call it at
   * least every tick of the schedule (cbr: every 100 ms; interval: every period), from the thread
   * that calls {@link #send}, for example from a scheduled executor or the capture loop; {@link
   * #run} does. Does nothing for a policy that does not pace.
   *
   * @return how many sends were published
   * @throws IOException if the store, the counter file or the transport fails
   * @throws TrustException if a rotation finds the roster chain pinning another camera key
   */
  public int tick() throws IOException, TrustException {
    if (pacer == null) {
      return 0;
    }
    int n = 0;
    for (Pacer.Batch b : pacer.advance(LiveFrame.micros(clock.instant()))) {
      publish(b);
      n++;
    }
    return n;
  }

  /**
   * Whether this camera paces its frames ({@code cbr}, {@code interval}), so its caller drives
   * {@link #tick()}.
   *
   * @return whether it paces
   */
  public boolean paced() {
    return pacer != null;
  }

  /**
   * When the next send of a pacing camera is due at the earliest: when to call {@link #tick()}.
   *
   * @return the instant, or null for a camera that does not pace
   */
  public Instant nextTick() {
    if (pacer == null) {
      return null;
    }
    return Instant.EPOCH.plus(pacer.nextSendMicros(), java.time.temporal.ChronoUnit.MICROS);
  }

  /** The upper bound of a queued frame's sealed size (padded, largest header). */
  private int unitBytes(EncodedFrame frame) {
    return sender.maxSealedLiveFrameLength(frame.data().length) + 4;
  }

  /** The largest size the smallest cover can have: any counter's header, no padding. */
  private int coverCeiling() {
    return coverCeiling(sender);
  }

  private static int coverCeiling(SFrameSender s) {
    return s.maxSealedLiveFrameLength(0) + 4;
  }

  /** The pacer of a cbr or interval policy (every send must hold a cover), else null. */
  private static Pacer pacer(PaddingPolicy policy, long queueBytes, SFrameSender s) {
    if (!Pacer.paces(policy)) {
      return null;
    }
    Pacer p = Pacer.of(policy, queueBytes, coverCeiling(s));
    if (p.windowBytes() > MAX_PACING_WINDOW) {
      throw new IllegalArgumentException(policy.describe() + " carries " + p.windowBytes()
          + " bytes per window; a live camera paces at most " + MAX_PACING_WINDOW);
    }
    return p;
  }

  /** One send: its frames padded (the last one taking the rest when no cover fits), then a cover. */
  private void publish(Pacer.Batch b) throws IOException, TrustException {
    long left = b.bytes();
    for (int i = 0; i < b.units(); i++) {
      Queued q = queue.pollFirst();
      EncodedFrame frame = q.frame();
      if (frame.keyframe()) {
        rotateIfDue();
      }
      byte[] data = frame.data();
      int min = sender.minPaddedLiveFrameLength(data.length);
      boolean last = i == b.units() - 1;
      int size = last && left - min < coverCeiling() ? (int) left : min;
      ensureBuffer(size);
      int n = sender.sealPaddedLiveFrame(frame.presentationMicros(), frame.keyframe(),
          q.captureMicros(), data, 0, data.length, size, sealBuffer, 0);
      publishSealed(frame, n);
      left -= n;
    }
    if (left > 0) {
      int size = (int) left;
      ensureBuffer(size);
      int n = sender.sealCoverFrame(LiveFrame.micros(clock.instant()), size, sealBuffer, 0);
      publisher.publishFrame(epoch, false, sealBuffer, 0, n);
      covers++;
      coverBytes += n;
      sealedBytes += n;
    }
  }

  private void ensureBuffer(int need) {
    if (sealBuffer.length < need) {
      sealBuffer = new byte[Math.max(need, sealBuffer.length + (sealBuffer.length >> 1))];
    }
  }

  /** A pacing run's wait: sleeps until the next send is due, then runs it. */
  private void waitForNextSend() throws IOException, TrustException {
    long due = pacer.nextSendMicros();
    long now = LiveFrame.micros(clock.instant());
    if (due > now) {
      try {
        Thread.sleep(Math.max(1L, Math.min((due - now + 999) / 1000, 100L)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while pacing live frames");
      }
    }
    tick();
  }

  /**
   * Publishes every frame of {@code source} until it ends, then flushes the publisher; does not
   * close either.
   *
   * <p>A pacing camera waits (sleeping on the calling thread) for room in its queue before each
   * frame, so a source that is faster than the schedule (a file) is slowed to it without drops,
   * and after the last frame it keeps to the schedule until every queued frame is sent. It needs a
   * clock that moves (the system clock); drive {@link #send} and {@link #tick()} yourself to
   * control time.
   *
   * @param source the encoded frames, in decoding order
   * @return what the camera did, in all (since it was built)
   * @throws IOException if the source, the store, the counter file or the transport fails
   * @throws TrustException if a rotation finds the roster chain pinning another camera key
   */
  public Stats run(FrameSource source) throws IOException, TrustException {
    for (EncodedFrame f; (f = source.next()) != null; ) {
      while (pacer != null && !pacer.fits(unitBytes(f)) && unitBytes(f) <= pacer.windowBytes()) {
        waitForNextSend();
      }
      send(f);
    }
    while (pacer != null && pacer.queuedUnits() > 0) {
      waitForNextSend();
    }
    publisher.flush();
    return stats();
  }

  /**
   * What the camera did so far.
   *
   * @return the counts since it was built
   */
  public Stats stats() {
    return new Stats(frames, keyframes, plaintextBytes, sealedBytes, epochs, envelopeBytes, covers,
        coverBytes, pacer == null ? 0 : pacer.dropped());
  }

  /**
   * The epoch frames are sealed under now.
   *
   * @return the current epoch
   */
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
    if (!roster.isPresent()) {
      throw new NoRosterException("the camera trusts no roster: the store holds no valid roster for it"
          + " (enrol a device first)");
    }
    Roster r = roster.get();
    Instant now = clock.instant();
    ownersOnly = guard.stale(now);
    return EpochStart.begin(store, stream, id, camera, entropy, now, guard.recipients(now),
        camera.identity().signingKey(), r.ref(), (started, envelope) -> {
          publisher.publishEnvelope(started, envelope);
          epoch = started;
          epochStart = now;
          epochs++;
          envelopeBytes += envelope.length;
          log.debug("live {}: started {} for {} recipient(s)", stream, started, r.recipients().size());
          listener.epochStarted(started, r.recipients().size(), envelope);
        });
  }

  private void report(RosterGuard.Update u) {
    for (RosterRejectedException e : u.refused()) {
      log.warn("{}", e.getMessage());
    }
    u.accepted().ifPresent(r -> log.info("roster version {} accepted ({} members, fingerprint {})",
        r.version(), r.members().size(), r.fingerprint()));
  }

  /**
   * Wipes the current epoch's derived keys and closes the counter file (not the publisher). A
   * pacing camera's frames still queued are discarded ({@link #run} sends them first).
   *
   * @throws IOException if the counter file cannot be closed
   */
  @Override
  public void close() throws IOException {
    try {
      sender.close();
    } finally {
      counters.close();
    }
  }

  /** Metadata only. */
  @Override
  public String toString() {
    return "LiveCamera[" + stream + ", " + epoch + ", " + frames + " frames]";
  }
}
