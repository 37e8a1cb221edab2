package dev.obscura.crypto.live;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.LiveSubscriber;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.Identity;
import dev.obscura.crypto.sframe.LiveFrame;
import dev.obscura.crypto.sframe.LiveFrameBuffer;
import dev.obscura.crypto.sframe.ReplayedFrameException;
import dev.obscura.crypto.sframe.SFrameReceiver;
import dev.obscura.crypto.sframe.TamperedFrameException;
import dev.obscura.crypto.sframe.UnknownKeyIdException;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.Provider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer side of live view: takes what an untrusted fan-out forwards ({@link LiveSubscriber}:
 * the relay, or any other transport), opens each epoch's key envelope with the viewer's identity,
 * verifies and decrypts each frame, and hands the frames on from the first keyframe, only ever
 * starting again at a keyframe after a gap.
 *
 * <p>Checks, in order, and what a failure does (it never ends the watch: the transport is
 * untrusted, and one bad message must not let it switch a viewer off; each is counted in {@link
 * Stats}):
 *
 * <ul>
 *   <li>ENVELOPE: parses; its authenticated header names this stream; the SDK's one verification
 *       path accepts it ({@link VerifiedStore#verifyEnvelope}: it names a roster of the verified
 *       chain and is signed by the camera in force for that roster, not a retired one); its epoch is
 *       not older than the newest epoch already accepted (no downgrade to an old epoch); it was
 *       created at most {@link Builder#maxEnvelopeAge} ago (by default the camera's epoch
 *       duration plus the frame tolerance: no envelope of a live session can be older) and at
 *       most the frame tolerance in the future; it opens with the identity. Else it is refused.
 *   <li>FRAME: decrypted by {@link SFrameReceiver}: an unknown epoch, a replay (a frame accepted
 *       before, or older than the replay window) and any forgery are refused before any byte is
 *       released. The keyframe flag used is the authenticated one inside the frame, not the
 *       transport's routing header.
 *   <li>FRESHNESS: the capture time inside the authenticated live frame is within {@link
 *       Builder#frameTolerance} (default 10 seconds) of this viewer's clock, either way; else the
 *       frame is refused and counted as stale ({@link Stats#framesStale}), no byte of it written.
 *       A relay that records a session cannot replay it later, to this or a new viewer.
 *   <li>COVER: an authenticated cover frame (a pacing camera's filler, docs/spec/live-sframe-v1.md
 *       section 5.2) is counted ({@link Stats#framesCover}) and dropped, never written; its counter
 *       counts for continuity like a frame's.
 *   <li>Continuity: frames are output from a keyframe on while the SFrame counter goes up by one
 *       per frame; after a gap (a frame the transport dropped) output waits for the next keyframe,
 *       so the decoder never sees a frame whose reference is missing.
 * </ul>
 *
 * <p><b>Security guarantees:</b> no byte of a frame reaches the {@link FrameSink} unless it
 * authenticated under an epoch key from an envelope that passed every check above, is fresh, and
 * was not accepted before. What a transport can still do: drop, delay (within the tolerances) or
 * withhold messages, and learn sizes and timing. Derived keys are wiped at {@link #close()}; no
 * key or plaintext appears in logs or messages.
 *
 * <p><b>Restrictions:</b> not thread-safe: one thread feeds it. Stop a {@link #watch} from another
 * thread by closing its subscriber. A viewer only sees epochs whose envelope reached it: one that
 * joins mid-epoch relies on the transport's copy of the envelope, as the relay keeps it.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * VerifiedStore trust = VerifiedStore.builder().store(store).trust(pins, storeId).open();
 * try (LiveSubscriber relay = RelayLive.connectSubscriber(uri, stream, token, RelayClientConfig.defaults());
 *     LiveViewer viewer = LiveViewer.builder(stream, phone, trust).build()) {
 *   LiveViewer.Stats seen = viewer.watch(relay, Duration.ofMinutes(1), decoder::decode);
 * }
 * }</pre>
 */
public final class LiveViewer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveViewer.class);

  /**
   * Default frame tolerance: 10 seconds. A live frame travels camera to relay to viewer in well
   * under a second, a relay's per-viewer queue holds a few seconds at most, and NTP-synchronized
   * clocks agree to well under a second; 10 seconds leaves room for all of it and for a clock a few
   * seconds off, while a session replayed even a minute later is refused.
   */
  public static final Duration DEFAULT_FRAME_TOLERANCE = Duration.ofSeconds(10);

  /** First size of the reused frame buffer; it grows to the largest frame seen (a keyframe). */
  private static final int INITIAL_FRAME_BUFFER = 64 * 1024;

  /** Receives the verified frames, in order, from the first keyframe. */
  public interface FrameSink {
    /**
     * Takes one verified, decrypted frame.
     *
     * @param frame the frame; its data array is the sink's from now on
     * @throws IOException if the sink fails (it ends the {@link #watch})
     */
    void write(EncodedFrame frame) throws IOException;
  }

  /**
   * Receives the verified frames, in order, from the first keyframe, without a copy: the buffer
   * path of a viewer (a decoder that takes an array range).
   */
  @FunctionalInterface
  public interface FrameBufferSink {
    /**
     * Takes one verified, decrypted frame.
     *
     * <p><b>Buffer ownership:</b> {@code frame} is the viewer's reused buffer: its bytes and
     * fields are valid during the call only (the next frame overwrites them); copy what must be
     * kept ({@link LiveFrameBuffer#toEncodedFrame()}), and do not modify the array.
     *
     * @param frame the frame: bytes {@code frame.array()[frame.offset(), frame.offset() +
     *     frame.length())}, authenticated times and keyframe flag
     * @throws IOException if the sink fails (it ends the {@link #watch})
     */
    void write(LiveFrameBuffer frame) throws IOException;
  }

  /**
   * What the viewer saw. Every refused message is counted in exactly one field.
   *
   * @param envelopesAccepted envelopes that passed every check and gave a key
   * @param envelopesDuplicate envelopes of an epoch already held (transports repeat them)
   * @param envelopesRefused envelopes that failed a check
   * @param envelopesNotForUs valid envelopes not wrapped to this identity
   * @param framesOut frames written to the sink
   * @param framesBeforeKeyframe verified frames before the first keyframe
   * @param framesAfterGap verified frames after a gap, before the next keyframe
   * @param framesNoKey frames of an epoch whose key this viewer does not hold
   * @param framesReplayed frames refused as replays
   * @param framesTampered frames refused as forged or damaged
   * @param framesMalformed frames refused as malformed
   * @param framesStale frames refused because their capture time is off this viewer's clock
   * @param framesCover cover frames of a pacing camera (docs/padding.md): authenticated, then
   *     dropped, never written
   */
  public record Stats(
      long envelopesAccepted,
      long envelopesDuplicate,
      long envelopesRefused,
      long envelopesNotForUs,
      long framesOut,
      long framesBeforeKeyframe,
      long framesAfterGap,
      long framesNoKey,
      long framesReplayed,
      long framesTampered,
      long framesMalformed,
      long framesStale,
      long framesCover) {
    /**
     * Frames and envelopes refused because they failed a check.
     *
     * @return the sum of the refusal counts
     */
    public long refused() {
      return envelopesRefused + framesReplayed + framesTampered + framesMalformed + framesStale;
    }
  }

  private final StreamId stream;
  private final Identity identity;
  private final VerifiedStore trust;
  private final Duration maxEnvelopeAge;
  private final Duration frameTolerance;
  private final Clock clock;
  private final SFrameReceiver receiver;
  private final long frameToleranceMicros;
  private final LiveFrameBuffer frameBuffer = new LiveFrameBuffer(INITIAL_FRAME_BUFFER);
  private long newestEpoch = -1;
  private boolean outputting;
  private long lastCounter;
  private String lastProblem;
  private long envelopesAccepted;
  private long envelopesDuplicate;
  private long envelopesRefused;
  private long envelopesNotForUs;
  private long framesOut;
  private long framesBeforeKeyframe;
  private long framesAfterGap;
  private long framesNoKey;
  private long framesReplayed;
  private long framesTampered;
  private long framesMalformed;
  private long framesStale;
  private long framesCover;

  private LiveViewer(Builder b) {
    this.stream = b.stream;
    this.identity = b.identity;
    this.trust = b.trust;
    this.frameTolerance = b.frameTolerance;
    this.frameToleranceMicros = micros(b.frameTolerance);
    this.maxEnvelopeAge = b.maxEnvelopeAge != null ? b.maxEnvelopeAge : b.epochDuration.plus(b.frameTolerance);
    this.clock = b.clock;
    this.receiver = SFrameReceiver.builder(stream).provider(b.provider).build();
  }

  /**
   * A viewer of {@code stream} that opens envelopes with {@code identity} and accepts only those
   * the SDK's one verification path accepts ({@link VerifiedStore#verifyEnvelope}: the roster it
   * names is in the verified chain, signed by the camera in force for it, not retired).
   *
   * @param stream the stream to watch
   * @param identity this device's identity (a roster member, to get keys)
   * @param trust the household's store as this device verified it; it must have a roster
   * @return a new builder
   * @throws IllegalArgumentException if {@code trust} has no verified roster
   */
  public static Builder builder(StreamId stream, Identity identity, VerifiedStore trust) {
    return new Builder(stream, identity, trust);
  }

  /** Builds a {@link LiveViewer}. */
  public static final class Builder {
    private final StreamId stream;
    private final Identity identity;
    private final VerifiedStore trust;
    private Duration maxEnvelopeAge; // null: epochDuration + frameTolerance
    private Duration epochDuration = LiveCamera.DEFAULT_EPOCH_DURATION;
    private Duration frameTolerance = DEFAULT_FRAME_TOLERANCE;
    private Clock clock = Clock.systemUTC();
    private Provider provider;

    private Builder(StreamId stream, Identity identity, VerifiedStore trust) {
      this.stream = Objects.requireNonNull(stream, "stream");
      this.identity = Objects.requireNonNull(identity, "identity");
      this.trust = Objects.requireNonNull(trust, "trust");
      if (!trust.roster().isPresent()) {
        throw new IllegalArgumentException("live view needs a store with a verified roster");
      }
    }

    /**
     * Refuse envelopes created longer ago than this. By default it is the camera's {@link
     * #epochDuration} plus the {@link #frameTolerance} (10 minutes 10 seconds): a camera starts a
     * fresh epoch, with a fresh envelope, at least that often, so an older envelope can only be a
     * replay. Envelopes from more than the frame tolerance in the future are refused too.
     *
     * @param d the bound
     * @return this builder
     * @throws IllegalArgumentException if {@code d} is not positive
     */
    public Builder maxEnvelopeAge(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("maxEnvelopeAge must be > 0");
      }
      this.maxEnvelopeAge = d;
      return this;
    }

    /**
     * The camera's epoch duration ({@link LiveCamera.Builder#epochDuration}; default {@link
     * LiveCamera#DEFAULT_EPOCH_DURATION}, 10 minutes), from which the default {@link
     * #maxEnvelopeAge} follows.
     *
     * @param d the camera's epoch duration
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
     * How far a frame's authenticated capture time may be from this viewer's clock, either way,
     * for network and relay delay plus clock skew (default {@link #DEFAULT_FRAME_TOLERANCE}, 10
     * seconds). Frames further off are refused as stale.
     *
     * @param d the tolerance
     * @return this builder
     * @throws IllegalArgumentException if {@code d} is not positive
     */
    public Builder frameTolerance(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("frameTolerance must be > 0");
      }
      this.frameTolerance = d;
      return this;
    }

    /**
     * This viewer's clock, against which capture times and envelope dates are checked.
     *
     * @param clock the clock; default the system's UTC clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The JCA provider of the SFrame cipher and HMAC ({@link SFrameReceiver.Builder#provider});
     * {@code null} (default) for the platform's preferred one. It opens frames a camera on any
     * provider sealed.
     *
     * @param provider the provider, or {@code null}
     * @return this builder
     */
    public Builder provider(Provider provider) {
      this.provider = provider;
      return this;
    }

    /**
     * Builds the viewer; it holds no key until an envelope arrives.
     *
     * @return the viewer
     * @throws IllegalStateException if the {@link #provider} lacks the SFrame cipher or HMAC
     */
    public LiveViewer build() {
      return new LiveViewer(this);
    }
  }

  /**
   * Reads messages from {@code subscriber} into {@code sink} until {@code watchFor} has passed,
   * the transport ends the stream, or the subscriber is closed (from another thread). Refused
   * messages are counted, never thrown.
   *
   * @param subscriber the transport's subscriber of this stream (not closed here)
   * @param watchFor how long to watch at most
   * @param sink where the verified frames go
   * @return what the viewer saw, in all (since it was built)
   * @throws IOException if the connection fails abnormally, or the sink fails
   */
  public Stats watch(LiveSubscriber subscriber, Duration watchFor, FrameSink sink) throws IOException {
    Objects.requireNonNull(sink, "sink");
    return watchInto(subscriber, watchFor, copying(sink));
  }

  /**
   * {@link #watch(LiveSubscriber, Duration, FrameSink)} on the buffer path: each verified frame
   * is decrypted into one buffer the viewer reuses, and handed to {@code sink} without a copy.
   *
   * @param subscriber the transport's subscriber of this stream (not closed here)
   * @param watchFor how long to watch at most
   * @param sink where the verified frames go (valid during each call only)
   * @return what the viewer saw, in all (since it was built)
   * @throws IOException if the connection fails abnormally, or the sink fails
   */
  public Stats watchInto(LiveSubscriber subscriber, Duration watchFor, FrameBufferSink sink) throws IOException {
    Objects.requireNonNull(sink, "sink");
    long deadline = System.nanoTime() + watchFor.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      LiveMessage m;
      try {
        m = subscriber.next(Duration.ofNanos(left));
      } catch (SocketTimeoutException e) {
        break;
      }
      if (m == null) {
        break;
      }
      acceptInto(m, sink);
    }
    return stats();
  }

  /**
   * Handles one message from the transport: checks it, and writes a frame that passes to
   * {@code sink}. A refused message is counted in {@link #stats()} and described by {@link
   * #lastProblem()}; it is not an exception.
   *
   * @param message an envelope or a frame, as the transport delivered it
   * @param sink where a verified frame goes
   * @return whether a frame was written to {@code sink}
   * @throws IOException if the sink fails
   */
  public boolean accept(LiveMessage message, FrameSink sink) throws IOException {
    Objects.requireNonNull(sink, "sink");
    return acceptInto(message, copying(sink));
  }

  /**
   * {@link #accept(LiveMessage, FrameSink)} on the buffer path: a frame that passes is decrypted
   * into the viewer's reused buffer and handed to {@code sink} without a copy; nothing is
   * allocated per frame by the viewer.
   *
   * @param message an envelope or a frame, as the transport delivered it
   * @param sink where a verified frame goes (valid during the call only)
   * @return whether a frame was written to {@code sink}
   * @throws IOException if the sink fails
   */
  public boolean acceptInto(LiveMessage message, FrameBufferSink sink) throws IOException {
    Objects.requireNonNull(message, "message");
    if (message instanceof LiveMessage.Envelope e) {
      acceptEnvelope(e);
      return false;
    }
    return acceptFrame((LiveMessage.Frame) message, sink);
  }

  private void acceptEnvelope(LiveMessage.Envelope message) {
    KeyEnvelope envelope;
    try {
      envelope = KeyEnvelope.parse(message.payload());
    } catch (MalformedDataException e) {
      refuseEnvelope("malformed key envelope: " + e.getMessage());
      return;
    }
    long epoch = envelope.header().epoch().value();
    if (!envelope.header().stream().equals(stream)) {
      refuseEnvelope("a key envelope of stream " + envelope.header().stream() + " was sent on " + stream);
      return;
    }
    if (receiver.hasEpoch(envelope.header().epoch())) {
      envelopesDuplicate++; // transports repeat envelopes after skips and to late joiners
      return;
    }
    try {
      trust.verifyEnvelope(envelope);
    } catch (IntegrityException | MalformedDataException e) {
      refuseEnvelope(e.getMessage());
      return;
    }
    if (epoch < newestEpoch) {
      refuseEnvelope("the key envelope of " + stream + " epoch " + epoch + " is older than epoch "
          + newestEpoch + ", already in use");
      return;
    }
    Instant created = envelope.header().created();
    Instant now = clock.instant();
    if (created.isBefore(now.minus(maxEnvelopeAge)) || created.isAfter(now.plus(frameTolerance))) {
      refuseEnvelope("the key envelope of " + stream + " epoch " + epoch + " was made at " + created
          + ", not between " + text(maxEnvelopeAge) + " before and " + text(frameTolerance)
          + " after now (" + now + "): a replayed session, or a clock off?");
      return;
    }
    EpochKey key;
    try {
      key = envelope.open(identity);
    } catch (KeyUnavailableException e) {
      envelopesNotForUs++;
      lastProblem = "this identity is not a recipient of " + stream + " epoch " + epoch
          + " (not in the camera's roster?)";
      log.debug("{}", lastProblem);
      return;
    } catch (IntegrityException | MalformedDataException e) {
      refuseEnvelope(e.getMessage());
      return;
    }
    try {
      receiver.addEpochKey(key);
      envelopesAccepted++;
      newestEpoch = epoch;
    } catch (IllegalStateException e) {
      refuseEnvelope("epoch " + epoch + " was retired and cannot come back");
    } finally {
      key.destroy();
    }
  }

  private void refuseEnvelope(String why) {
    envelopesRefused++;
    lastProblem = why;
    log.warn("refused a key envelope: {}", why);
  }

  private boolean acceptFrame(LiveMessage.Frame message, FrameBufferSink sink) throws IOException {
    byte[] sealed = message.payload();
    LiveFrameBuffer live = frameBuffer;
    try {
      receiver.openLiveFrame(sealed, 0, sealed.length, live);
    } catch (UnknownKeyIdException e) {
      framesNoKey++;
      return false;
    } catch (ReplayedFrameException e) {
      framesReplayed++;
      lastProblem = "replayed frame refused: " + e.getMessage();
      log.debug("{}", lastProblem);
      return false;
    } catch (TamperedFrameException e) {
      framesTampered++;
      lastProblem = "forged or damaged frame refused: " + e.getMessage();
      log.warn("{}", lastProblem);
      return false;
    } catch (MalformedDataException e) {
      framesMalformed++;
      lastProblem = "malformed frame refused: " + e.getMessage();
      log.warn("{}", lastProblem);
      return false;
    }
    long counter = live.counter();
    if (live.cover()) { // authenticated filler of a pacing camera: counted, never written
      framesCover++;
      if (outputting) {
        if (counter == lastCounter + 1) {
          lastCounter = counter; // it holds its counter: the next frame follows it
        } else {
          outputting = false; // a frame before it is missing
        }
      }
      live.clear();
      return false;
    }
    long nowMicros = LiveFrame.micros(clock.instant());
    if (!live.capturedWithin(nowMicros, frameToleranceMicros)) {
      framesStale++;
      lastProblem = "stale frame refused: " + stream + " frame " + Long.toUnsignedString(counter) + " was captured at "
          + live.captureTime() + ", not within " + text(frameTolerance) + " of now (" + Instant.EPOCH.plus(nowMicros, java.time.temporal.ChronoUnit.MICROS)
          + "): a replayed session, or a clock off?";
      log.debug("{}", lastProblem);
      live.clear(); // no byte of a refused frame stays readable
      return false;
    }
    boolean keyframe = live.keyframe();
    if (outputting && counter != lastCounter + 1 && !keyframe) {
      outputting = false; // a frame is missing: its successors cannot be decoded
    }
    if (!outputting) {
      if (!keyframe) {
        if (framesOut == 0) {
          framesBeforeKeyframe++;
        } else {
          framesAfterGap++;
        }
        return false;
      }
      outputting = true;
    }
    lastCounter = counter;
    sink.write(live);
    framesOut++;
    return true;
  }

  /** The sink of frames as their own arrays, over the buffer path: one copy per frame. */
  private static FrameBufferSink copying(FrameSink sink) {
    return frame -> sink.write(frame.toEncodedFrame());
  }

  /** {@code d} in microseconds, saturated. */
  private static long micros(Duration d) {
    try {
      return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * What the viewer saw so far.
   *
   * @return the counts since it was built
   */
  public Stats stats() {
    return new Stats(envelopesAccepted, envelopesDuplicate, envelopesRefused, envelopesNotForUs, framesOut,
        framesBeforeKeyframe, framesAfterGap, framesNoKey, framesReplayed, framesTampered, framesMalformed,
        framesStale, framesCover);
  }

  /**
   * The last refusal or problem, for a message to the user (no key or frame bytes in it).
   *
   * @return its description, or null if none
   */
  public String lastProblem() {
    return lastProblem;
  }

  /**
   * Whether this viewer holds the key of {@code epoch} now.
   *
   * @param epoch the epoch
   * @return whether frames of it can be opened
   */
  public boolean hasEpoch(EpochId epoch) {
    return receiver.hasEpoch(epoch);
  }

  /** Wipes the derived keys. */
  @Override
  public void close() {
    receiver.close();
  }

  /** Metadata only. */
  @Override
  public String toString() {
    return "LiveViewer[" + stream + ", " + framesOut + " frames out, " + stats().refused() + " refused]";
  }

  /** Short human text of a duration ("10s", "10m10s"), for messages. */
  private static String text(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
