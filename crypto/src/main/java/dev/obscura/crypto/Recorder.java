package dev.obscura.crypto;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentSink;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.chain.ChainSigner;
import dev.obscura.crypto.internal.EpochStart;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.Recipient;
import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.padding.PaddingPolicy;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.segment.SealingSuite;
import dev.obscura.crypto.segment.SegmentFormat;
import dev.obscura.crypto.segment.SegmentPadding;
import dev.obscura.crypto.segment.SegmentSealer;
import dev.obscura.crypto.segment.SegmentWriter;
import dev.obscura.crypto.sign.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.ArrayList;
import java.util.Optional;
import java.time.Duration;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterGuard;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.sign.SigningKey;
import java.util.Objects;
import dev.obscura.crypto.trust.NotPairedException;
import dev.obscura.crypto.trust.TrustException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera side in one object: seals each segment as it arrives and keeps the key envelopes
 * beside them. On {@link Builder#build()}, it starts a fresh epoch: a new random epoch key, wrapped to
 * every recipient in a {@link KeyEnvelope} that is committed to the store <em>before</em> any
 * segment of the epoch, so a stored segment never lacks its envelope. With {@code
 * segmentsPerEpoch}, it rotates to a new epoch every N segments; the old key is destroyed.
 *
 * <p>Recording into a store that already holds the stream continues it: the next sequence
 * number, the hash chain from the last stored segment, and the next unused epoch number.
 *
 * <p>With {@link Builder#chainSigner}, the recorder also signs the hash chain as the camera: a
 * {@link dev.obscura.crypto.chain.ChainManifest} over the digests of every N segments, and over
 * the rest at {@link #close()}, stored under {@code STREAM/manifests/}.
 *
 * <p><b>Security guarantees:</b> the store receives only sealed segments, envelopes and signed
 * chain manifests; the epoch key never leaves this object except wrapped; closing destroys it.
 *
 * <p><b>Roster and camera</b> ({@link Builder#camera(CameraState)}): the camera must be paired
 * (its pinned roster, or a roster its pairing secret authenticates: see {@link RosterGuard}); the
 * recorder wraps each epoch key to the members of that roster and its valid successors (and the
 * recovery key), names the roster in every envelope and signs it with the camera's key, and
 * re-reads the roster before every segment: a valid newer roster starts a new epoch at once, for
 * the new member set; a refused one (unsigned, signed by a non-member or revoked device, older,
 * conflicting) is reported to the {@link Listener} and logged at WARN, and the pinned roster stays
 * in force. A roster that pins another camera key stops the recorder ({@link TrustException}).
 * With {@link Builder#maxRosterAge}, an epoch begun when the roster is older than that is wrapped
 * only to owners (and the recovery key).
 *
 * <p><b>Rotation:</b> a fresh epoch key every {@code segmentsPerEpoch} segments and/or every
 * {@code epochDuration}, at every roster change, and at every start (no epoch key is ever
 * persisted, so a restarted camera cannot continue an epoch: that is what gives forward
 * secrecy against a later copy of the camera's state).
 *
 * <p><b>Frames or whole segments:</b> {@link #open} opens the next segment and takes its frames
 * as they arrive ({@link OpenSegment#write}: sealed 16 KiB at a time, never the whole segment in
 * memory); {@link #seal(MediaSegment)} is a decorator over it for a segment already whole. The
 * segment's duration is part of its authenticated header, fixed at {@code open}: the frame path
 * is for a caller that knows it then (an encoder with a fixed GOP); otherwise seal whole segments.
 *
 * <p><b>Restrictions:</b> one recorder per stream at a time (two would fork the chain); one
 * segment open at a time.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (Recorder recorder = Recorder.builder().store(store).stream(StreamId.of("porch"))
 *         .recipients(List.of(viewer.publicKey())).build()) {
 *   for (MediaSegment s; (s = camera.next()) != null; ) recorder.accept(s);
 *   // or frame by frame, for a segment whose duration is known at its start:
 *   try (Recorder.OpenSegment segment = recorder.open(start, 4_000_000L)) {
 *     for (EncodedFrame f : gop) segment.write(f.data(), 0, f.data().length);
 *     segment.finish();
 *   }
 * }
 * }</pre>
 */
public final class Recorder implements SegmentSink {
  private static final Logger log = LoggerFactory.getLogger(Recorder.class);

  /** Hears what the camera decided; every method has a default that does nothing. */
  public interface Listener {
    /** A new roster was accepted (an epoch for its members starts at once). */
    default void rosterAccepted(Roster roster) {}

    /** A roster in the store was refused; the camera keeps its pinned one. */
    default void rosterRefused(RosterRejectedException refusal) {}

    /** An epoch started, its envelope wrapping the key for {@code recipients}. */
    default void epochStarted(EpochId epoch, int recipients, int envelopeBytes) {}
  }

  private final SegmentStore store;
  private final StreamId stream;
  private final List<Recipient> fixedRecipients;
  private List<Recipient> recipients;
  private final EntropySource entropy;
  private final Clock clock;
  private final int segmentsPerEpoch;
  private final Duration epochDuration;
  private final SigningKey signingKey;
  private final RosterGuard guard;
  private final CameraState camera;
  private final Listener listener;
  private boolean ownersOnly;
  private final SegmentSealer sealer;
  private final PaddingPolicy padding;
  private final ChainSigner chain;
  private OpenSegment current;
  private boolean closed;
  private java.time.Instant epochStart;
  private final List<RosterRejectedException> refusals = new ArrayList<>();
  private EpochId epoch;
  private int segmentsInEpoch;
  private long segments;
  private long plaintextBytes;
  private long sealedBytes;
  private long envelopeBytes;
  private int epochsStarted;
  private final SigningKey eventSigner;
  private final List<dev.obscura.core.EventPublisher> eventPublishers;
  private dev.obscura.crypto.event.MotionEventSealer eventSealer;
  /** The most recent segments sealed: sequence, start (us since 1970), duration (us). */
  private final java.util.ArrayDeque<long[]> recentSegments = new java.util.ArrayDeque<>();
  private long eventsRecorded;

  private Recorder(Builder b) throws IOException, MalformedDataException, NotPairedException, TrustException {
    this.store = b.store;
    this.stream = b.stream;
    this.fixedRecipients = b.recipients == null ? List.of() : List.copyOf(b.recipients);
    this.entropy = b.entropy;
    this.clock = b.clock;
    this.segmentsPerEpoch = b.segmentsPerEpoch;
    this.epochDuration = b.epochDuration;
    this.camera = b.camera;
    this.signingKey = b.camera != null ? b.camera.identity().signingKey() : b.signingKey;
    this.guard = b.camera != null
        ? new RosterGuard(store, b.camera, b.camera.identity().publicKey(), b.maxRosterAge) : b.guard;
    this.listener = b.listener;
    this.eventSigner = signingKey != null ? signingKey : b.chainKey;
    List<dev.obscura.core.EventPublisher> pubs = new ArrayList<>();
    pubs.add(new dev.obscura.crypto.event.StoreEventBus(store)); // always beside the segments
    pubs.addAll(b.eventPublishers);
    this.eventPublishers = pubs;
    this.padding = b.padding;
    if (b.chainKey == null && b.camera != null) {
      // a camera always signs its chain, so a store cannot drop the end of a stream unnoticed
      this.chain = new ChainSigner(store, b.camera.identity().signingKey(), DEFAULT_MANIFEST_SEGMENTS,
          DEFAULT_MANIFEST_INTERVAL, clock);
    } else {
      this.chain = b.chainKey == null ? null
          : new ChainSigner(store, b.chainKey, b.chainEvery, b.chainEveryDuration, clock);
    }
    if (guard != null) {
      RosterGuard.Update u = guard.refresh();
      report(u);
    }
    this.recipients = currentRecipients();
    CameraState.ChainHead start = camera == null ? null : resolveHead();
    if (camera != null) {
      crossCheckState(start);
    }
    // a camera takes its epoch numbers from its own record only: the store's listing, which may
    // hold planted numbers near the top of the range, is never a base for them
    this.epoch = camera != null ? EpochId.of(camera.nextEpoch(stream)) : nextEpoch(store, stream);
    EpochKey key = startEpoch(epoch);
    try {
      SegmentSealer.Builder sb = SegmentSealer.builder().stream(stream).epochKey(key).suite(b.suite)
          .entropy(entropy).provider(b.provider);
      if (start != null) {
        head = start;
        sb.resumeAt(new HeadKeepingStore(store), start.nextSequence(), start.lastDigest());
      } else {
        sb.resumeFrom(store);
      }
      this.sealer = sb.build();
    } catch (IOException | MalformedDataException | RuntimeException e) {
      key.destroy();
      if (eventSealer != null) {
        eventSealer.destroy();
      }
      throw e;
    }
    if (start != null && chain != null && !start.pending().isEmpty()) {
      chain.restore(stream, start.pendingFirst(), start.pending());
      try {
        chain.flush(); // a manifest over what was sealed before the last stop
        saveHead(-1);
      } catch (IOException e) {
        log.warn("chain manifest of {} not stored yet, will retry: {}", stream, e.getMessage());
      }
    }
  }

  /**
   * Refuses to start when the camera's folder is behind what this camera signed into the store
   * (docs/storage.md, "Rolled-back camera state"): an envelope of an epoch it calls unused, a
   * manifest above its chain head, a segment of one of its epochs above its chain head.
   */
  private void crossCheckState(CameraState.ChainHead head) throws TrustException {
    long nextSequence = head.nextSequence();
    try {
      dev.obscura.crypto.internal.StateRollbackCheck.checkEpochs(store, stream, camera);
      dev.obscura.crypto.internal.StateRollbackCheck.checkChainHead(store, stream, camera, nextSequence);
      dev.obscura.crypto.internal.StateRollbackCheck.checkSegmentsAboveHead(store, stream, camera, head);
    } catch (IOException e) {
      log.warn("cannot cross-check the camera state of {} against the store ({}): starting from the camera's"
          + " own record", stream, e.getMessage());
    }
  }

  /** The camera's own head of this stream (the store's listing is not believed). */
  private CameraState.ChainHead resolveHead() throws IOException, MalformedDataException {
    java.util.Optional<CameraState.ChainHead> saved = camera.chainHead(stream);
    if (!saved.isPresent()) {
      try {
        for (StoredObject o : store.list(ObjectNames.segmentPrefix(stream))) {
          if (ObjectNames.parseSegment(o.name()).filter(id -> id.stream().equals(stream)).isPresent()) {
            throw new IllegalStateException("stream " + stream + " has segments this camera did not seal (or its"
                + " chain head is lost): record to another stream");
          }
        }
        long ours = camera.nextEpoch(stream);
        for (StoredObject o : store.list(ObjectNames.envelopePrefix(stream))) {
          if (ObjectNames.parseEnvelope(o.name()).filter(e -> e.stream().equals(stream)
              && e.epoch().value() >= ours).isPresent()) {
            throw new IllegalStateException("stream " + stream + " has key envelopes this camera did not write:"
                + " record to another stream");
          }
        }
      } catch (IOException e) {
        log.warn("cannot list the store ({}): starting stream {} from sequence 0", e.getMessage(), stream);
      }
      CameraState.ChainHead empty = CameraState.ChainHead.empty();
      camera.saveChainHead(stream, empty);
      return empty;
    }
    CameraState.ChainHead h = saved.get();
    if (h.inFlight() >= 0) {
      h = settleInFlight(h);
      camera.saveChainHead(stream, h);
    }
    reportGaps(h);
    return h;
  }

  /**
   * After a stop during a commit: the segment in flight is either in the store (the commit went
   * through; its digest is adopted and it goes into the next manifest) or it is not (it was never
   * acknowledged, nothing refers to it, and its number is sealed again).
   */
  private CameraState.ChainHead settleInFlight(CameraState.ChainHead h) throws MalformedDataException {
    long n = h.inFlight();
    String name = ObjectNames.segment(new dev.obscura.core.SegmentId(stream, n));
    try (InputStream in = store.open(name)) {
      dev.obscura.crypto.segment.SealedSegmentHead found = SegmentFormat.readWhole(in,
          dev.obscura.core.SegmentHeader.MAX_LENGTH
              + dev.obscura.crypto.chunked.ChunkedEncryption.ciphertextSize(SegmentSealer.DEFAULT_MAX_SEGMENT_BYTES));
      if (found.header().sequence() == n && java.security.MessageDigest.isEqual(found.header().previousDigest(),
          h.lastDigest())) {
        List<byte[]> pending = new ArrayList<>(h.pending());
        pending.add(found.digest());
        log.info("segment {} of {} was stored before the stop: the chain continues after it", n, stream);
        return new CameraState.ChainHead(Math.addExact(n, 1), found.digest(), -1,
            h.pending().isEmpty() ? n : h.pendingFirst(), pending);
      }
      log.warn("the store holds another segment {} of {} than this camera was sealing: it is sealed again", n, stream);
    } catch (dev.obscura.core.NoSuchObjectException e) {
      log.info("segment {} of {} was not stored before the stop (never acknowledged): it is sealed again", n, stream);
    } catch (IOException | dev.obscura.core.IntegrityException e) {
      log.warn("cannot read segment {} of {} ({}): it is sealed again", n, stream, e.getMessage());
    }
    // a manifest this camera signed over it proves it was committed (a stop between the manifest and
    // the head): the store lost it since, and its number is not sealed again (that would contradict
    // the signed manifest); it counts as a gap
    try {
      java.util.Optional<byte[]> signed = dev.obscura.crypto.internal.StateRollbackCheck.signedDigest(store, stream,
          camera, n);
      if (signed.isPresent()) {
        log.warn("segment {} of {} is covered by a manifest this camera signed but the store lacks it: the chain"
            + " continues after it", n, stream);
        return new CameraState.ChainHead(Math.addExact(n, 1), signed.get(), -1, Math.addExact(n, 1), List.of());
      }
    } catch (IOException e) {
      log.debug("cannot list the manifests of {}: {}", stream, e.getMessage());
    }
    return new CameraState.ChainHead(h.nextSequence(), h.lastDigest(), -1, h.pendingFirst(), h.pending());
  }

  /** Says (at WARN, and through {@link #storeGaps()}) which acknowledged segments the store lacks. */
  private void reportGaps(CameraState.ChainHead h) {
    try {
      java.util.BitSet seen = new java.util.BitSet();
      long limit = Math.min(h.nextSequence(), Integer.MAX_VALUE);
      for (StoredObject o : store.list(ObjectNames.segmentPrefix(stream))) {
        ObjectNames.parseSegment(o.name()).filter(id -> id.stream().equals(stream) && id.sequence() < limit)
            .ifPresent(id -> seen.set((int) id.sequence()));
      }
      long missing = limit - seen.cardinality();
      if (missing > 0) {
        storeGaps = missing;
        log.warn("the store lacks {} of the {} segment(s) this camera sealed of {} (first missing: {}):"
            + " the chain continues above them", missing, limit, stream, seen.nextClearBit(0));
      }
    } catch (IOException e) {
      log.debug("cannot list the store to check for gaps: {}", e.getMessage());
    }
  }

  private CameraState.ChainHead head;
  private long storeGaps;

  /** Acknowledged segments the store lacked when this recorder started (0 without a camera). */
  public synchronized long storeGaps() {
    return storeGaps;
  }

  private void saveHead(long inFlight) throws IOException {
    if (camera == null || head == null) {
      return;
    }
    long first = chain == null ? head.nextSequence() : chain.pendingFirst();
    List<byte[]> pending = chain == null ? List.of() : chain.pendingDigests();
    head = new CameraState.ChainHead(head.nextSequence(), head.lastDigest(), inFlight,
        pending.isEmpty() ? head.nextSequence() : first, pending);
    camera.saveChainHead(stream, head);
  }

  /**
   * The store as the sealer sees it: before a segment commits, the camera's head records it as in
   * flight (durably), so that after any stop the camera knows which number was being committed.
   */
  private final class HeadKeepingStore implements SegmentStore {
    private final SegmentStore inner;

    HeadKeepingStore(SegmentStore inner) {
      this.inner = inner;
    }

    @Override
    public dev.obscura.core.ObjectWriter create(String name) throws IOException {
      dev.obscura.core.ObjectWriter w = inner.create(name);
      long seq = ObjectNames.parseSegment(name).map(dev.obscura.core.SegmentId::sequence).orElse(-1L);
      return new dev.obscura.core.ObjectWriter() {
        @Override
        public void write(int b) throws IOException {
          w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          w.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
          w.flush();
        }

        @Override
        public void commit() throws IOException {
          if (seq >= 0) {
            saveHead(seq);
          }
          w.commit();
        }

        @Override
        public void close() throws IOException {
          w.close();
        }
      };
    }

    @Override
    public InputStream open(String name) throws IOException {
      return inner.open(name);
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
      return inner.list(prefix);
    }

    @Override
    public void delete(String name) throws IOException {
      inner.delete(name);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Recorder}. */
  /** A camera's manifest cadence by default: a signed chain manifest every this many segments ... */
  public static final int DEFAULT_MANIFEST_SEGMENTS = 30;
  /** ... or when this long has passed since the last one, and one over the rest at close. */
  public static final Duration DEFAULT_MANIFEST_INTERVAL = Duration.ofSeconds(60);

  public static final class Builder {
    private SegmentStore store;
    private StreamId stream;
    private List<? extends Recipient> recipients;
    private SealingSuite suite = SealingSuite.AES_256_GCM;
    private EntropySource entropy = EntropySource.system();
    private Clock clock = Clock.systemUTC();
    private int segmentsPerEpoch;
    private SigningKey chainKey;
    private int chainEvery;
    private Duration chainEveryDuration = Duration.ZERO;
    private Duration epochDuration = Duration.ZERO;
    private SigningKey signingKey;
    private RosterGuard guard;
    private CameraState camera;
    private Listener listener = new Listener() {};
    private PaddingPolicy padding = PaddingPolicies.none();
    private Duration maxRosterAge = Duration.ZERO;
    private java.security.Provider provider;
    private final List<dev.obscura.core.EventPublisher> eventPublishers = new ArrayList<>();

    private Builder() {}

    /**
     * Also publishes every motion event ({@link Recorder#recordEvent}) to {@code publisher} (a
     * message broker with retention, say), after storing it beside the segments. Not closed by
     * the recorder.
     *
     * @param publisher the extra publisher
     * @return this builder
     */
    public Builder eventPublisher(dev.obscura.core.EventPublisher publisher) {
      this.eventPublishers.add(Objects.requireNonNull(publisher, "publisher"));
      return this;
    }

    /**
     * How stored segments are padded (docs/padding.md): each segment's sealed plaintext starts
     * with a padding box that brings the sealed object to the size the policy gives for it
     * ({@link SegmentPadding}, docs/spec/sealed-segment-v1.md section 1.1); every reader strips
     * it. Because the box goes first and its size depends on the whole segment, a recorder with
     * padding keeps each segment's plaintext in memory until {@link OpenSegment#finish()} (nothing
     * was visible in the store before that anyway). The store still sees when each segment is
     * written: pacing uploads to the policy's {@link PaddingPolicy.Shaper} is the uploader's.
     *
     * @param policy the policy; default {@link PaddingPolicies#none()}, byte-identical to a
     *     recorder without padding
     * @return this builder
     */
    public Builder padding(PaddingPolicy policy) {
      this.padding = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The JCA provider of the segment ciphers (AES-GCM) and HMACs; {@code null} (default) for
     * the platform's preferred one (see {@link SegmentSealer.Builder#provider}). Envelopes and
     * signatures keep theirs.
     *
     * @param provider the provider, or {@code null}
     * @return this builder
     */
    public Builder provider(java.security.Provider provider) {
      this.provider = provider;
      return this;
    }

    /**
     * With {@link #camera}: wrap an epoch only to owners (and the recovery key) when the newest
     * roster the camera has was signed longer ago than this; zero (default) for no bound. This
     * bounds how long a store that withholds a revocation keeps a revoked viewer reading; owners
     * keep the roster fresh by renewing it.
     */
    public Builder maxRosterAge(Duration age) {
      if (age.isNegative()) {
        throw new IllegalArgumentException("maxRosterAge must be >= 0");
      }
      this.maxRosterAge = age;
      return this;
    }

    /**
     * Also sign a manifest when {@code every} has passed since the last one and a segment is
     * sealed (with {@link #chainSigner}); zero (default) for no time cadence.
     */
    public Builder chainEvery(Duration every) {
      if (every.isNegative()) {
        throw new IllegalArgumentException("chainEvery must be >= 0");
      }
      this.chainEveryDuration = every;
      return this;
    }

    /**
     * Sign the hash chain with the camera's key: a chain manifest every {@code everyNSegments}
     * segments and one over the rest at {@link Recorder#close()}. Default: no manifests. The key
     * is not destroyed by the recorder.
     *
     * @param camera the camera's signing key
     * @param everyNSegments how many segments one manifest covers, 1 to {@link
     *     dev.obscura.crypto.chain.ChainManifest#MAX_DIGESTS}
     * @return this builder
     */
    public Builder chainSigner(SigningKey camera, int everyNSegments) {
      if (everyNSegments < 1 || everyNSegments > dev.obscura.crypto.chain.ChainManifest.MAX_DIGESTS) {
        throw new IllegalArgumentException("everyNSegments must be 1..100000");
      }
      this.chainKey = Objects.requireNonNull(camera, "camera");
      this.chainEvery = everyNSegments;
      return this;
    }

    /**
     * The camera's state: its identity signs every envelope and the hash chain (every {@link
     * #DEFAULT_MANIFEST_SEGMENTS} segments or {@link #DEFAULT_MANIFEST_INTERVAL}, unless {@link
     * #chainSigner} says otherwise), recipients come from the newest valid roster in the store
     * (pinned in the state), epoch numbers are never reused. Exclusive with {@link #recipients}:
     * a paired camera wraps keys for its roster's devices only.
     */
    public Builder camera(CameraState camera) {
      this.camera = Objects.requireNonNull(camera, "camera");
      return this;
    }

    /** Signs envelopes with {@code key} (implied by {@link #camera}). */
    public Builder signingKey(SigningKey key) {
      this.signingKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /** Takes recipients from the rosters {@code guard} accepts (implied by {@link #camera}). */
    public Builder roster(RosterGuard guard) {
      this.guard = Objects.requireNonNull(guard, "guard");
      return this;
    }

    /** Rotate to a fresh epoch key when an epoch has lasted this long (by the clock); zero (default) never. */
    public Builder epochDuration(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("epochDuration must be >= 0");
      }
      this.epochDuration = d;
      return this;
    }

    /** Hears roster decisions and epoch starts. */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder store(SegmentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    public Builder stream(StreamId stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
      return this;
    }

    /** Who can read what this recorder seals: at least one. */
    public Builder recipients(List<? extends Recipient> recipients) {
      this.recipients = List.copyOf(recipients);
      return this;
    }

    /** Default {@link SealingSuite#AES_256_GCM}. */
    public Builder suite(SealingSuite suite) {
      this.suite = Objects.requireNonNull(suite, "suite");
      return this;
    }

    public Builder entropy(EntropySource entropy) {
      this.entropy = Objects.requireNonNull(entropy, "entropy");
      return this;
    }

    /** Stamps envelope creation times. Default: the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Rotate to a fresh epoch key every {@code n} segments; 0 (default) keeps one epoch. */
    public Builder segmentsPerEpoch(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("segmentsPerEpoch must be >= 0");
      }
      this.segmentsPerEpoch = n;
      return this;
    }

    /**
     * Starts the first epoch: writes its envelope to the store.
     *
     * @throws MalformedDataException if the store's last segment or envelope names do not parse
     * @throws NotPairedException with {@link #camera}, if the camera is not paired
     * @throws TrustException with {@link #camera}, if the store's rosters are ghosts or retire
     *     this camera
     */
    public Recorder build() throws IOException, MalformedDataException, NotPairedException, TrustException {
      if (store == null || stream == null) {
        throw new IllegalStateException("store and stream are required");
      }
      if ((recipients == null || recipients.isEmpty()) && camera == null && guard == null) {
        throw new IllegalStateException("at least one recipient is required");
      }
      if (camera != null && recipients != null && !recipients.isEmpty()) {
        throw new IllegalStateException("recipients are for a camera without a roster: a paired camera"
            + " wraps keys for its roster's devices");
      }
      return new Recorder(this);
    }
  }

  /**
   * The first epoch number not used by any envelope or segment of the stream in the store (public
   * data only; no key needed). Every producer of a stream's epochs (recording, live view) starts
   * above it, so epoch numbers are never reused.
   */
  public static EpochId nextEpoch(SegmentStore store, StreamId stream)
      throws IOException, MalformedDataException {
    long next = 0;
    for (StoredObject o : store.list(ObjectNames.envelopePrefix(stream))) {
      java.util.Optional<ObjectNames.EnvelopeName> e = ObjectNames.parseEnvelope(o.name());
      if (e.isPresent() && e.get().stream().equals(stream)) {
        next = Math.max(next, e.get().epoch().value() + 1);
      }
    }
    String last = null;
    long lastSeq = -1;
    for (StoredObject o : store.list(ObjectNames.segmentPrefix(stream))) {
      java.util.Optional<dev.obscura.core.SegmentId> id = ObjectNames.parseSegment(o.name());
      if (id.isPresent() && id.get().stream().equals(stream) && id.get().sequence() > lastSeq) {
        lastSeq = id.get().sequence();
        last = o.name();
      }
    }
    if (last != null) {
      try (InputStream in = store.open(last)) {
        next = Math.max(next, SegmentFormat.readHead(in).header().epoch().value() + 1);
      } catch (dev.obscura.core.IntegrityException e) {
        throw new MalformedDataException("the stream's last segment is cut short in its header");
      }
    }
    if (!EpochId.isValid(next)) {
      throw new MalformedDataException("the store claims epoch " + (next - 1) + " of " + stream
          + ", at the top of the range: refusing it as a base for new epochs");
    }
    return EpochId.of(next);
  }

  private List<Recipient> currentRecipients() {
    if (guard != null && guard.current().isPresent()) {
      java.time.Instant now = clock.instant();
      ownersOnly = guard.stale(now);
      if (ownersOnly) {
        log.warn("roster version {} is older than the camera's bound: this epoch is wrapped to owners only",
            guard.current().get().version());
      }
      return guard.recipients(now);
    }
    if (fixedRecipients.isEmpty()) {
      throw new IllegalStateException("no recipients: the store has no valid roster and none were given");
    }
    return fixedRecipients;
  }

  private void report(RosterGuard.Update u) {
    for (RosterRejectedException e : u.refused()) {
      log.warn("{}", e.getMessage());
      refusals.add(e);
      listener.rosterRefused(e);
    }
    u.accepted().ifPresent(r -> {
      log.info("roster version {} accepted ({} members, fingerprint {})", r.version(), r.members().size(), r.fingerprint());
      listener.rosterAccepted(r);
    });
  }

  private EpochKey startEpoch(EpochId id) throws IOException {
    EpochKey key = beginEpoch(id);
    if (eventSigner != null) {
      // the epoch's event key, derived now: it lives exactly as long as the epoch key
      dev.obscura.crypto.event.MotionEventSealer next =
          new dev.obscura.crypto.event.MotionEventSealer(key, eventSigner, entropy);
      if (eventSealer != null) {
        eventSealer.destroy();
      }
      eventSealer = next;
    }
    return key;
  }

  private EpochKey beginEpoch(EpochId id) throws IOException {
    Optional<Roster> roster = guard == null ? Optional.empty() : guard.current();
    return EpochStart.begin(store, stream, id, camera, entropy, clock.instant(), recipients, signingKey,
        roster.map(Roster::ref).orElse(null), (started, envelope) -> {
          envelopeBytes += envelope.length;
          epochsStarted++;
          epochStart = clock.instant();
          log.debug("started {} of {} for {} recipient(s)", started, stream, recipients.size());
          listener.epochStarted(started, recipients.size(), envelope.length);
        });
  }

  /**
   * Seals one whole segment into the store; returns when it is committed. A decorator over the
   * frame-level path: {@link #open} with the segment's start time and duration, {@link
   * OpenSegment#write} of its data, {@link OpenSegment#finish}. This is the path for a segmenter
   * that knows a segment's duration only once it has all of it.
   *
   * @param segment the whole segment
   * @return what was stored
   * @throws IllegalArgumentException if the segment, with the padding box the policy adds, is
   *     larger than the sealer's maximum ({@link SegmentSealer#DEFAULT_MAX_SEGMENT_BYTES}; nothing
   *     is done) or its duration is out of range
   * @throws IllegalStateException if the recorder is closed or a segment is open
   * @throws IOException if the store fails (the segment is not stored; the next one gets the same
   *     sequence number), or the camera's state cannot record a segment the store committed (a
   *     full disk: the segment stays in the store and the chain, the next one gets the next
   *     number, and a restarted camera settles it from the store)
   * @throws TrustException if a roster in the store retires this camera (nothing more is sealed)
   */
  public synchronized SealedSegmentInfo seal(MediaSegment segment) throws IOException, TrustException {
    Objects.requireNonNull(segment, "segment");
    byte[] data = segment.data();
    requireFits(SegmentHeader.MAX_LENGTH - StreamId.MAX_LENGTH + stream.toBytes().length, data.length,
        segment.durationMicros());
    try (OpenSegment open = open(segment.startTime(), segment.durationMicros())) {
      open.write(data, 0, data.length);
      return open.finish();
    }
  }

  /**
   * Opens the next segment for frames written as they arrive ({@link OpenSegment#write},
   * coalesced into 16 KiB chunks, each sealed and handed to the store at once), everything
   * around the sealing done as {@link #seal(MediaSegment)} does it: the roster is re-read and an
   * epoch rotation that is due happens now, before the segment's header is fixed; the counters,
   * the camera's chain head and the signed chain are updated at {@link OpenSegment#finish()}.
   *
   * <p><b>The duration is fixed now.</b> The segment's header, with its start time and media
   * duration, is the authenticated context of its encryption, so it cannot change once the first
   * byte is sealed: use this path when the duration is known when the segment starts (an encoder
   * with a fixed GOP and frame rate, cutting at every N-th keyframe). A segmenter that learns the
   * duration only at the end seals whole segments with {@link #seal(MediaSegment)}.
   *
   * <p>One segment is open at a time; {@link #seal} and {@code open} refuse while one is.
   *
   * @param start the segment's start time (microsecond precision is kept)
   * @param durationMicros the segment's media duration, 0..{@link SegmentHeader#MAX_DURATION_MICROS}
   * @return the open segment: {@link OpenSegment#finish()} it, or {@link OpenSegment#close()} it to
   *     abort (nothing is stored, the sequence number is not used up)
   * @throws IllegalArgumentException if the duration is out of range (nothing is done)
   * @throws IllegalStateException if the recorder is closed or a segment is already open
   * @throws IOException if the store fails (when it fails after a rotation, the new epoch stays)
   * @throws TrustException if a roster in the store retires this camera (nothing more is sealed)
   */
  public synchronized OpenSegment open(java.time.Instant start, long durationMicros)
      throws IOException, TrustException {
    Objects.requireNonNull(start, "start");
    if (closed) {
      throw new IllegalStateException("recorder of " + stream + " is closed");
    }
    if (current != null) {
      throw new IllegalStateException("a segment of " + stream + " is open: finish or close it first");
    }
    if (durationMicros < 0 || durationMicros > SegmentHeader.MAX_DURATION_MICROS) {
      throw new IllegalArgumentException("segment duration of " + durationMicros
          + " us is outside 0.." + SegmentHeader.MAX_DURATION_MICROS);
    }
    rotateIfDue();
    current = new OpenSegment(sealer.open(start, durationMicros));
    return current;
  }

  /**
   * Refuses a segment of {@code plaintext} bytes whose sealed plaintext, with the padding box the
   * policy adds (none without padding), would exceed the sealer's maximum: before anything is
   * done (rotation, sealing), not at finish, where the segment would be lost.
   *
   * @param headerLength the segment header's length (fixed by the stream id)
   */
  private void requireFits(int headerLength, long plaintext, long durationMicros) {
    long max = sealer.maxSegmentBytes();
    long padded = plaintext;
    if (plaintext <= max && padding != PaddingPolicies.none()) {
      try {
        padded = SegmentPadding.paddedPlaintextSize(padding.forSegment(durationMicros), headerLength, plaintext);
      } catch (IllegalArgumentException e) {
        padded = Long.MAX_VALUE;
      }
    }
    if (padded > max) {
      throw new IllegalArgumentException("segment of " + plaintext + " bytes"
          + (padded == Long.MAX_VALUE ? " (too large to pad)"
          : padded != plaintext ? " (" + padded + " with its padding box)" : "") + " exceeds the maximum of " + max);
    }
  }

  /** A fresh epoch when one is due: by count, by duration, or at a roster change. */
  private void rotateIfDue() throws IOException, TrustException {
    boolean rotate = segmentsPerEpoch > 0 && segmentsInEpoch >= segmentsPerEpoch;
    if (!epochDuration.isZero() && !clock.instant().isBefore(epochStart.plus(epochDuration))) {
      rotate = true;
    }
    if (guard != null) {
      RosterGuard.Update u;
      try {
        u = guard.refresh();
      } catch (NotPairedException e) {
        throw new IllegalStateException("the camera lost its pinned roster while recording", e);
      }
      report(u);
      if (u.changed() || guard.stale(clock.instant()) != ownersOnly) {
        recipients = currentRecipients();
        rotate = true;
      }
    }
    if (rotate) {
      EpochId next = epoch.next();
      sealer.rotate(startEpoch(next));
      epoch = next;
      segmentsInEpoch = 0;
    }
  }

  /** After a segment committed: the camera's head, the signed chain, the counters. */
  private void recorded(SealedSegmentInfo info, long paddingBytes) throws IOException {
    if (head != null) {
      long next = Math.addExact(info.header().sequence(), 1);
      head = new CameraState.ChainHead(next, info.digest(), -1, next, List.of()); // pending: from the signer
    }
    if (chain != null) {
      try {
        chain.accept(info);
      } catch (IOException e) {
        // The segment is stored; its digest stays pending and goes into the next manifest.
        log.warn("chain manifest of {} not stored yet, will retry: {}", stream, e.getMessage());
      }
    }
    // the segment is in the store and in the chain from here on, even if the camera's record of
    // it below fails (a full disk): it counts towards the epoch's rotation and the statistics
    recentSegments.addLast(new long[] {info.header().sequence(),
        dev.obscura.crypto.event.MotionEventFormat.micros(info.header().startTime()),
        info.header().durationMicros()});
    if (recentSegments.size() > MAX_RECENT_SEGMENTS) {
      recentSegments.removeFirst();
    }
    segmentsInEpoch++;
    segments++;
    plaintextBytes += info.plaintextSizeBytes() - paddingBytes;
    sealedBytes += info.sealedSizeBytes();
    saveHead(-1); // before the segment is acknowledged: the camera's own record of it
  }

  /**
   * One open segment of a {@link Recorder} ({@link Recorder#open}): frames are written into it as
   * they arrive; {@link #finish()} commits it and does the recorder's bookkeeping; {@link
   * #close()} without {@code finish()} aborts it.
   *
   * <p><b>Security guarantees:</b> as {@link SegmentWriter}: the header fixed at open is the
   * authenticated context; nothing is visible in the store before {@link #finish()}; an aborted
   * or failed segment leaves nothing and does not use up its sequence number, so the next segment
   * continues the chain.
   *
   * <p><b>Restrictions:</b> not thread-safe: one thread writes a segment. After an exception
   * from {@link #write} or {@link #finish()} the segment is aborted and every later call fails
   * with {@link IllegalStateException}. <b>Buffer ownership:</b> {@link #write} reads the
   * caller's array during the call only.
   */
  public final class OpenSegment implements java.io.Closeable {
    private final SegmentWriter writer;
    private boolean ended;
    /** With padding: the plaintext so far, sealed at finish behind its padding box. */
    private byte[] pending;
    private int pendingLength;

    private OpenSegment(SegmentWriter writer) {
      this.writer = writer;
      if (padding != PaddingPolicies.none()) {
        this.pending = new byte[64 * 1024];
      }
    }

    /**
     * The segment's public header, fixed when it was opened.
     *
     * @return the header
     */
    public SegmentHeader header() {
      return writer.header();
    }

    /**
     * Plaintext bytes written so far.
     *
     * @return the count
     */
    public long bytesWritten() {
      return pending != null ? pendingLength : writer.bytesWritten();
    }

    /**
     * Appends {@code len} bytes of the segment (a frame, or part of one).
     *
     * @param b the caller's array, read during the call only
     * @param off where the bytes start
     * @param len how many
     * @throws IllegalStateException if the segment was finished or aborted
     * @throws IllegalArgumentException if the segment, with its padding box, would exceed the
     *     maximum (it is aborted)
     * @throws IOException if the store fails (the segment is aborted)
     */
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (ended) {
        throw new IllegalStateException("segment " + header().segmentId() + " was finished or aborted");
      }
      boolean ok = false;
      try {
        if (pending != null) {
          buffer(b, off, len);
        } else {
          writer.write(b, off, len);
        }
        ok = true;
      } finally {
        if (!ok) {
          close();
        }
      }
    }

    /**
     * Seals the rest, commits the segment, and updates the recorder (chain head, signed chain,
     * counters); returns when it is committed.
     *
     * @return what was stored
     * @throws IllegalStateException if the segment was finished or aborted
     * @throws IOException if the store fails: nothing is stored, the sequence number is not used;
     *     or the camera's state cannot record the segment after the store committed it (a full
     *     disk): it stays in the store and the chain, the next segment gets the next number
     */
    public SealedSegmentInfo finish() throws IOException {
      synchronized (Recorder.this) {
        if (ended) {
          throw new IllegalStateException("segment " + header().segmentId() + " was finished or aborted");
        }
        ended = true;
        current = null;
        long box = 0;
        if (pending != null) {
          try {
            box = SegmentPadding.write(writer, padding.forSegment(header().durationMicros()), pending, 0, pendingLength);
          } catch (IOException | RuntimeException e) {
            writer.close(); // nothing stored, the sequence number is not used
            throw e;
          } finally {
            wipe();
          }
        }
        SealedSegmentInfo info = writer.finish(); // ends the writer, committed or not
        recorded(info, box);
        return info;
      }
    }

    /** Aborts the segment unless it was finished: nothing of it is stored. */
    @Override
    public void close() {
      synchronized (Recorder.this) {
        if (!ended) {
          ended = true;
          current = null;
          wipe();
          writer.close();
        }
      }
    }

    private void buffer(byte[] b, int off, int len) {
      requireFits(header().length(), (long) pendingLength + len, header().durationMicros());
      if (pending.length - pendingLength < len) {
        long grown = Math.max((long) pendingLength + len, pending.length * 2L);
        byte[] bigger = java.util.Arrays.copyOf(pending, (int) Math.min(grown, Integer.MAX_VALUE - 8));
        java.util.Arrays.fill(pending, (byte) 0);
        pending = bigger;
      }
      System.arraycopy(b, off, pending, pendingLength, len);
      pendingLength += len;
    }

    private void wipe() {
      if (pending != null) {
        java.util.Arrays.fill(pending, 0, pendingLength, (byte) 0);
        pending = null;
        pendingLength = 0;
      }
    }

    @Override
    public String toString() {
      return "Recorder.OpenSegment[" + header().segmentId() + ", " + bytesWritten() + " bytes"
          + (ended ? ", ended" : "") + "]";
    }
  }

  /** How many recent segments the recorder remembers to place motion events in. */
  public static final int MAX_RECENT_SEGMENTS = 4096;

  /**
   * A motion event the recorder sealed and published.
   *
   * @param id its opaque id (what a push carries)
   * @param objectName where it is in the store
   * @param epoch the epoch whose key sealed it
   * @param sequence its number within the epoch
   * @param firstSegment the first segment holding the motion
   * @param lastSegment the last one (inclusive)
   * @param unpaddedBytes the record's size before padding
   * @param sealedBytes its size after (a bucket size)
   */
  public record RecordedEvent(dev.obscura.core.EventId id, String objectName, EpochId epoch, long sequence,
      long firstSegment, long lastSegment, int unpaddedBytes, int sealedBytes) {}

  /**
   * Seals a motion event under the current epoch's event key (derived from the epoch key with
   * its own label), signs it with the camera's key, pads it to its bucket ({@link
   * dev.obscura.crypto.event.MotionEventFormat}), stores it beside the segments ({@link
   * ObjectNames#event}) and publishes it to every {@link Builder#eventPublisher} given. The
   * segment range is the segments this recorder sealed that overlap {@code [start, end]}
   * (clamped to the ones it remembers): call it after sealing the segments the motion was
   * detected in. When no segment is open, the roster is re-read and an epoch rotation that is due
   * happens first, as {@link #open} does, so an event right after a revocation is not sealed for
   * the revoked device (while a segment is open the event joins that segment's epoch).
   *
   * @param draft what the detector reported
   * @return what was sealed and stored
   * @throws IllegalStateException if the recorder is closed, has no signing key (give {@link
   *     Builder#camera}, {@link Builder#signingKey} or {@link Builder#chainSigner}), or has sealed
   *     no segment yet, or a roster in the store retires this camera (nothing is sealed; the
   *     cause is the {@link TrustException})
   * @throws IOException if the store fails (the event is lost; an extra publisher failing is
   *     logged, the event stays stored)
   */
  public synchronized RecordedEvent recordEvent(dev.obscura.crypto.event.MotionEventDraft draft) throws IOException {
    Objects.requireNonNull(draft, "draft");
    if (closed) {
      throw new IllegalStateException("recorder of " + stream + " is closed");
    }
    if (eventSealer == null) {
      throw new IllegalStateException("motion events are signed by the camera: give the recorder a camera, a"
          + " signing key or a chain signer");
    }
    if (recentSegments.isEmpty()) {
      throw new IllegalStateException("no segment of " + stream + " was sealed yet: an event needs its footage");
    }
    if (current == null) {
      // as open(): a revocation since the last segment must not let a revoked device read the event
      try {
        rotateIfDue();
      } catch (TrustException e) {
        throw new IllegalStateException("no event of " + stream + " is sealed: " + e.getMessage(), e);
      }
    }
    long from = dev.obscura.crypto.event.MotionEventFormat.micros(draft.start());
    long to = dev.obscura.crypto.event.MotionEventFormat.micros(draft.end());
    long first = -1;
    long last = -1;
    for (long[] seg : recentSegments) {
      boolean overlaps = seg[1] <= to && seg[1] + Math.max(1, seg[2]) > from;
      if (overlaps) {
        first = first < 0 ? seg[0] : first;
        last = seg[0];
      }
    }
    if (first < 0) { // outside what is remembered: the nearest end
      long[] edge = to < recentSegments.peekFirst()[1] ? recentSegments.peekFirst() : recentSegments.peekLast();
      first = edge[0];
      last = edge[0];
    }
    dev.obscura.crypto.event.MotionEventSealer.Sealed sealed = eventSealer.seal(draft, first, last);
    dev.obscura.core.EventMessage message = new dev.obscura.core.EventMessage(stream, sealed.id(), sealed.bytes());
    eventPublishers.get(0).publish(message); // the store: must succeed
    for (int i = 1; i < eventPublishers.size(); i++) {
      try {
        eventPublishers.get(i).publish(message);
      } catch (IOException e) {
        log.warn("event {} of {} is stored but was not published to {}: {}", sealed.id(), stream,
            eventPublishers.get(i).getClass().getSimpleName(), e.getMessage());
      }
    }
    eventsRecorded++;
    log.debug("event {} of {} sealed ({} -> {} bytes), segments {}..{}", sealed.id(), stream, sealed.unpaddedBytes(),
        sealed.bytes().length, first, last);
    return new RecordedEvent(sealed.id(), ObjectNames.event(stream, sealed.id()), eventSealer.epoch(),
        sealed.sequence(), first, last, sealed.unpaddedBytes(), sealed.bytes().length);
  }

  /** Motion events sealed by this recorder. */
  public synchronized long eventsRecorded() {
    return eventsRecorded;
  }

  @Override
  public void accept(MediaSegment segment) throws IOException {
    try {
      seal(segment);
    } catch (TrustException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  public StreamId stream() {
    return stream;
  }

  /** The epoch the next segment is sealed under (unless it triggers a rotation). */
  public synchronized EpochId epoch() {
    return epoch;
  }

  /** Segments sealed by this recorder. */
  public synchronized long segments() {
    return segments;
  }

  public synchronized long plaintextBytes() {
    return plaintextBytes;
  }

  /** Bytes of sealed segments written (headers, commitments and tags included). */
  public synchronized long sealedBytes() {
    return sealedBytes;
  }

  /** Bytes of key envelopes written. */
  public synchronized long envelopeBytes() {
    return envelopeBytes;
  }

  public synchronized int epochsStarted() {
    return epochsStarted;
  }

  /** The rosters refused so far (each reported once). */
  public synchronized List<RosterRejectedException> refusals() {
    return List.copyOf(refusals);
  }

  /** The roster the current epoch was wrapped for, if recipients come from a roster. */
  public synchronized Optional<Roster> roster() {
    return guard == null ? Optional.empty() : guard.current();
  }


  /**
   * Signs and stores a chain manifest over the segments sealed since the last one (no-op without
   * {@link Builder#chainSigner}, or when none are pending).
   *
   * @throws IOException if the store fails (the digests stay pending)
   */
  public synchronized void flushChain() throws IOException {
    if (chain != null) {
      chain.flush();
    }
  }

  /** Segments sealed but not yet covered by a stored chain manifest. */
  public synchronized int chainPendingSegments() {
    return chain == null ? 0 : chain.pendingSegments();
  }

  /**
   * Writes the last chain manifest (with {@link Builder#chainSigner}) and destroys the current
   * epoch key.
   *
   * @throws UncheckedIOException if the last chain manifest cannot be stored (the key is
   *     destroyed all the same; call {@link #flushChain()} first to handle it as a checked one)
   */
  @Override
  public synchronized void close() {
    closed = true;
    if (current != null) {
      current.close(); // aborted: nothing of it is stored
    }
    try {
      flushChain();
    } catch (IOException e) {
      // the cause's words (a full disk, a refused upload) in the message: often the only line shown
      throw new UncheckedIOException("the last chain manifest of " + stream + " was not stored: " + e.getMessage(), e);
    } finally {
      sealer.close();
      if (eventSealer != null) {
        eventSealer.destroy();
      }
    }
  }

  @Override
  public String toString() {
    return "Recorder[" + stream + ", " + epoch + ", " + segments + " segments]";
  }
}
