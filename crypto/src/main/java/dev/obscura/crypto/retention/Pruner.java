package dev.obscura.crypto.retention;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentId;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.audit.AuditHead;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.audit.AuditReport;
import dev.obscura.crypto.audit.PruneRecord;
import dev.obscura.crypto.chain.ChainManifest;
import dev.obscura.crypto.chain.ChainVerifier;
import dev.obscura.crypto.event.MotionEventFormat;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.segment.SealedSegmentHead;
import dev.obscura.crypto.segment.SegmentFormat;
import dev.obscura.crypto.segment.SegmentOpener;
import dev.obscura.crypto.segment.StreamStart;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.trust.EnrolmentException;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.StorePin;
import dev.obscura.crypto.trust.TrustException;
import dev.obscura.crypto.trust.TrustStore;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link RetentionPolicy} to a household's store as one of its owners: deletes whole
 * epochs of a stream, oldest first, with their key envelopes and the chain manifests that cover
 * nothing that remains, and records the prune in the audit log, signed by the owner, so that
 * readers can tell it from a store that deletes footage ({@link VerifiedStore#streamStart}).
 *
 * <p><b>What is deleted:</b> the stream's segments before the first kept one P (the first
 * segment of the oldest epoch the policy keeps), the envelopes of epochs before P's epoch, and the
 * manifests that end before P, and the sealed motion events ({@code STREAM/events/}) whose public
 * header names an epoch before P's (the envelopes' rule; the header is read bounded and parsed,
 * never opened). The manifest that covers P is kept (the newest one that covers
 * what remains, and the one the audit entry names), and so is everything after it. The newest
 * epoch is never deleted. P must be covered by a camera-signed manifest: the cut moves to an
 * older epoch boundary until it is (and nothing goes if none is), because a reader accepts the
 * new start only with that manifest.
 *
 * <p><b>Security guarantees:</b>
 *
 * <ul>
 *   <li>The store is opened through {@link VerifiedStore} with the owner's pins; the signer must
 *       be an owner of the newest verified roster ({@link EnrolmentException}, {@code
 *       NOT_AN_OWNER}, otherwise).
 *   <li>The decision rests on camera-signed data only: segments P-1 and P are read whole and must
 *       have the digests the camera signed in its verified manifests (so their epochs and times
 *       are the camera's), and the age rule uses P-1's signed end time. A store that serves
 *       anything else makes the prune fail ({@link ChainBrokenException}) and deletes nothing.
 *   <li>The audit entry ({@link PruneRecord}) is appended, and pinned in the owner's trust store,
 *       before the first deletion; a prune stopped half way leaves a stream that verifies from P,
 *       and running it again finishes the deletion without a second entry.
 *   <li>The audit log must verify before anything is appended to it.
 *   <li>An event is deleted only if its object name is an event name of the stream and its
 *       public header names the same stream and event id and an epoch before P's (verified);
 *       anything else under {@code events/} is left alone and listed in {@link Plan#leftAlone}.
 *       The header is not authenticated here, but the camera's signature covers it: a store that
 *       rewrites an event's epoch to get it deleted has already made it unreadable.
 * </ul>
 *
 * <p><b>Restrictions:</b> the byte budget counts object sizes as the store lists them: a store
 * that lies about sizes can make a budget prune delete more than the budget needs (never the
 * newest epoch; a duration policy uses signed times only). The store may keep copies of what
 * it was asked to delete: deletion cannot be proven. A stream with no camera-signed manifests
 * cannot be pruned. One pruner per store at a time (the audit log has no conditional append).
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * Pruner pruner = Pruner.builder().store(store).owner(phone).trust(pins, "s3://bucket/home").build();
 * Pruner.Result r = pruner.prune(StreamId.of("porch"), RetentionPolicy.keepFor(Duration.ofDays(30)));
 * System.out.println(r.plan().describe());
 * }</pre>
 */
public final class Pruner {
  private static final Logger log = LoggerFactory.getLogger(Pruner.class);

  private final SegmentStore store;
  private final ViewerIdentity owner;
  private final TrustStore trust;
  private final String storeId;
  private final Clock clock;

  private Pruner(Builder b) {
    this.store = b.store;
    this.owner = b.owner;
    this.trust = b.trust;
    this.storeId = b.storeId;
    this.clock = b.clock;
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Pruner}; store, owner and trust are required. */
  public static final class Builder {
    private SegmentStore store;
    private ViewerIdentity owner;
    private TrustStore trust;
    private String storeId;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * @param store the household's store
     * @return this builder
     */
    public Builder store(SegmentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * @param owner the owner device that signs the prune (its Ed25519 key)
     * @return this builder
     */
    public Builder owner(ViewerIdentity owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /**
     * @param trust the owner device's pins
     * @param storeId the name the device knows the store by
     * @return this builder
     */
    public Builder trust(TrustStore trust, String storeId) {
      this.trust = Objects.requireNonNull(trust, "trust");
      this.storeId = Objects.requireNonNull(storeId, "storeId");
      return this;
    }

    /**
     * @param clock the clock the age rule and the audit entry use (default: system UTC)
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @return the pruner
     * @throws IllegalStateException if store, owner or trust is missing
     */
    public Pruner build() {
      if (store == null || owner == null || trust == null) {
        throw new IllegalStateException("store, owner and trust are required");
      }
      return new Pruner(this);
    }
  }

  /**
   * What a prune of one stream deletes (or would delete).
   *
   * @param stream the stream
   * @param firstKept the first sequence kept after the prune (P); the current start if nothing goes
   * @param firstKeptEpoch the epoch of P, or null if nothing goes
   * @param manifestLast the last sequence of the manifest that covers P (kept), or -1
   * @param firstKeptDigest the chain digest of P as the camera signed it, or null
   * @param epochs the epochs deleted, oldest first
   * @param deletions the objects to delete, in deletion order
   * @param segmentsDeleted segment objects among them
   * @param bytesDeleted their sizes as listed
   * @param alreadyMissing segments before P the store did not hold (deleted before this prune, by
   *     an earlier interrupted prune or by the store)
   * @param note why nothing (more) goes, or empty
   * @param eventsDeleted sealed motion event objects among the deletions (those whose public header
   *     names an epoch before P's, the rule the envelopes follow)
   * @param leftAlone objects under the stream's {@code events/} prefix the prune did not delete
   *     because they are not events it can place (name not an event name, header not parsing, or a
   *     header that names another stream or event than the object name), each with the reason
   */
  public record Plan(StreamId stream, long firstKept, EpochId firstKeptEpoch, long manifestLast, byte[] firstKeptDigest,
      List<EpochId> epochs, List<String> deletions, long segmentsDeleted, long bytesDeleted, long alreadyMissing,
      String note, long eventsDeleted, List<String> leftAlone) {
    public Plan {
      epochs = Collections.unmodifiableList(new ArrayList<>(epochs));
      deletions = Collections.unmodifiableList(new ArrayList<>(deletions));
      leftAlone = Collections.unmodifiableList(new ArrayList<>(leftAlone));
      firstKeptDigest = firstKeptDigest == null ? null : firstKeptDigest.clone();
    }

    @Override
    public byte[] firstKeptDigest() {
      return firstKeptDigest == null ? null : firstKeptDigest.clone();
    }

    /** @return whether this plan deletes anything */
    public boolean deletesAnything() {
      return !deletions.isEmpty();
    }

    /** @return the audit payload that records this plan (only if it deletes anything) */
    PruneRecord record() {
      return new PruneRecord(stream, firstKept, firstKeptEpoch, manifestLast, firstKeptDigest, segmentsDeleted,
          bytesDeleted);
    }

    /** @return one line for people */
    public String describe() {
      if (!deletesAnything()) {
        return stream + ": nothing to delete" + (note.isEmpty() ? "" : " (" + note + ")");
      }
      return stream + ": " + epochs.size() + " epoch(s), " + segmentsDeleted + " segment(s), " + eventsDeleted
          + " event(s), " + deletions.size() + " object(s), " + bytesDeleted + " bytes; the stream then begins at"
          + " segment " + firstKept
          + (alreadyMissing > 0 ? "; " + alreadyMissing + " segment(s) before it were already missing" : "")
          + (leftAlone.isEmpty() ? "" : "; " + leftAlone.size() + " object(s) under events/ left alone: " + leftAlone)
          + (note.isEmpty() ? "" : " (" + note + ")");
    }
  }

  /**
   * What {@link #prune} did.
   *
   * @param plan what was deleted
   * @param entry the audit entry that records it, if one was appended (empty when nothing went, or
   *     when an earlier, interrupted prune had recorded the same start)
   */
  public record Result(Plan plan, Optional<AuditEntry> entry) {}

  /**
   * The streams in the store: every stream with a segment object.
   *
   * @param store the store
   * @return the stream ids, sorted
   * @throws IOException if the store cannot be listed
   */
  public static List<StreamId> streams(SegmentStore store) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (StoredObject o : store.list("")) {
      ObjectNames.parseSegment(o.name()).ifPresent(id -> names.add(id.stream().value()));
    }
    List<StreamId> out = new ArrayList<>();
    for (String n : names) {
      out.add(StreamId.of(n));
    }
    return out;
  }

  /**
   * What {@link #prune} would delete now, deleting nothing.
   *
   * @param stream the stream
   * @param policy what to keep
   * @return the plan
   * @throws EnrolmentException if the signer is not an owner of the newest roster, or the store
   *     has no roster ({@code NO_ROSTER})
   * @throws TrustException if the store shows less than the owner's device pinned
   * @throws IntegrityException if the stream's current start, a manifest, or segment P-1 or P does
   *     not verify
   * @throws MalformedDataException if a manifest or a segment header does not parse
   * @throws IOException if the store cannot be read
   */
  public Plan plan(StreamId stream, RetentionPolicy policy)
      throws IOException, EnrolmentException, IntegrityException, MalformedDataException {
    return plan(open(), stream, policy);
  }

  /**
   * Applies {@code policy} to {@code stream}: plans, records the prune in the audit log (signed by
   * the owner, pinned in its trust store), then deletes, oldest first.
   *
   * @param stream the stream
   * @param policy what to keep
   * @return what was deleted, and the audit entry
   * @throws EnrolmentException as {@link #plan}
   * @throws TrustException as {@link #plan}
   * @throws IntegrityException as {@link #plan}, or if the audit log does not verify (nothing is
   *     appended to it, nothing deleted)
   * @throws MalformedDataException as {@link #plan}
   * @throws IOException if the store fails; what was recorded stays valid, and running the prune
   *     again finishes it
   */
  public Result prune(StreamId stream, RetentionPolicy policy)
      throws IOException, EnrolmentException, IntegrityException, MalformedDataException {
    VerifiedStore view = open();
    Plan plan = plan(view, stream, policy);
    if (!plan.deletesAnything()) {
      return new Result(plan, Optional.empty());
    }
    AuditReport report = view.auditLog();
    if (!report.verified()) {
      throw new IntegrityException("the audit log does not verify (" + report.problems().get(0)
          + "): not recording a prune in it; run the audit");
    }
    Optional<AuditEntry> entry = Optional.empty();
    StreamStart current = view.streamStart(stream);
    if (current.sequence() != plan.firstKept()) {
      SigningKey key = Household.signingKey(owner);
      AuditEntry e = AuditLog.append(store, key, AuditEntry.Type.PRUNE, plan.record().encode(), clock);
      StorePin base = trust.load(storeId).orElse(new StorePin(null, null, null));
      trust.save(storeId, base.withAudit(new AuditHead(e.sequence(), e.hash())));
      entry = Optional.of(e);
    }
    for (String name : plan.deletions()) {
      store.delete(name);
    }
    log.info("{}", plan.describe());
    return new Result(plan, entry);
  }

  private VerifiedStore open() throws IOException, EnrolmentException, TrustException {
    VerifiedStore view = VerifiedStore.builder().store(store).trust(trust, storeId).open();
    Roster latest = view.roster().orElseThrow(() -> new EnrolmentException(EnrolmentException.Reason.NO_ROSTER,
        "the store has no roster: retention needs an owner to sign the prune (pair the camera first)"));
    dev.obscura.crypto.sign.VerifyingKey signer = Household.signingKey(owner).verifyingKey();
    boolean isOwner = latest.members().stream()
        .anyMatch(m -> m.role() == Roster.Role.OWNER && m.verifyingKey().equals(signer));
    if (!isOwner) {
      throw new EnrolmentException(EnrolmentException.Reason.NOT_AN_OWNER,
          "this identity is not an owner of roster version " + latest.version() + ": only an owner may prune");
    }
    return view;
  }

  /** One stored segment as listed, with its public head (not authenticated). */
  private record Listed(long sequence, String name, long size, SegmentHeader header) {}

  private Plan plan(VerifiedStore view, StreamId stream, RetentionPolicy policy)
      throws IOException, IntegrityException, MalformedDataException {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(policy, "policy");
    StreamStart current = view.streamStart(stream);
    List<dev.obscura.crypto.sign.VerifyingKey> cameras = view.cameraKeys();
    ChainVerifier chain = ChainVerifier.load(store, stream, cameras);
    List<Listed> below = new ArrayList<>(); // stored before the current start: left by an interrupted prune
    List<Listed> segments = new ArrayList<>();
    for (StoredObject o : store.list(ObjectNames.segmentPrefix(stream))) {
      Optional<SegmentId> id = ObjectNames.parseSegment(o.name());
      if (!id.isPresent() || !id.get().stream().equals(stream)) {
        continue;
      }
      SegmentHeader h;
      try (InputStream in = store.open(o.name())) {
        h = SegmentFormat.readHead(in).header();
      } catch (NoSuchObjectException e) {
        continue; // gone meanwhile
      } catch (TruncatedSegmentException e) {
        throw new MalformedDataException("segment " + o.name() + " is cut short in its head");
      }
      Listed l = new Listed(id.get().sequence(), o.name(), o.sizeBytes(), h);
      (l.sequence() < current.sequence() ? below : segments).add(l);
    }
    segments.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    long envelopeBytes = 0;
    List<StoredObject> envelopes = new ArrayList<>();
    for (StoredObject o : store.list(ObjectNames.envelopePrefix(stream))) {
      Optional<ObjectNames.EnvelopeName> e = ObjectNames.parseEnvelope(o.name());
      if (e.isPresent() && e.get().stream().equals(stream)) {
        envelopes.add(o);
        envelopeBytes += o.sizeBytes();
      }
    }
    // epochs as consecutive runs of stored segments (by their public heads; the cut is verified below)
    List<int[]> runs = new ArrayList<>(); // [from index, to index] in segments
    for (int i = 0; i < segments.size(); i++) {
      if (i == 0 || !segments.get(i).header().epoch().equals(segments.get(i - 1).header().epoch())) {
        runs.add(new int[] {i, i});
      } else {
        runs.get(runs.size() - 1)[1] = i;
      }
    }
    if (segments.isEmpty()) {
      return nothing(stream, current, "no segments");
    }
    long total = envelopeBytes;
    for (Listed l : segments) {
      total += l.size();
    }
    Instant cutoff = policy.maxAge().map(a -> clock.instant().minus(a)).orElse(null);
    long budget = policy.maxBytes().orElse(Long.MAX_VALUE);
    int keepFrom = 0; // index into runs of the oldest run kept
    long remaining = total;
    while (keepFrom < runs.size() - 1) {
      int[] r = runs.get(keepFrom);
      boolean old = cutoff != null && !endOf(segments.get(r[1]).header()).isAfter(cutoff);
      boolean over = remaining > budget;
      if (!old && !over) {
        break;
      }
      for (int i = r[0]; i <= r[1]; i++) {
        remaining -= segments.get(i).size();
      }
      keepFrom++;
    }
    String note = "";
    // the cut must be where the camera's signed manifests cover both sides
    while (keepFrom > 0) {
      long p = segments.get(runs.get(keepFrom)[0]).sequence();
      if (chain.covers(p) && chain.covers(p - 1) && segments.get(runs.get(keepFrom)[0] - 1).sequence() == p - 1) {
        break;
      }
      note = "the cut moved to an older epoch boundary that the camera's signed manifests cover";
      keepFrom--;
    }
    long p;
    EpochId firstEpoch;
    SealedSegmentHead firstHead;
    if (keepFrom == 0) {
      // nothing new goes; finish what an interrupted prune to the current start left, if anything
      if (current.isGenesis() || segments.get(0).sequence() != current.sequence()) {
        return nothing(stream, current, note.isEmpty() ? "nothing is older than the policy keeps" : note);
      }
      firstHead = verified(chain, segments.get(0));
      if (!java.security.MessageDigest.isEqual(firstHead.digest(), current.digest().get())) {
        throw new ChainBrokenException("segment " + current.sequence() + " of " + stream
            + " is not the one the owner's prune kept");
      }
      p = current.sequence();
      firstEpoch = firstHead.header().epoch();
      if (note.isEmpty()) {
        note = "nothing is older than the policy keeps";
      }
    } else {
      Listed first = segments.get(runs.get(keepFrom)[0]);
      Listed last = segments.get(runs.get(keepFrom)[0] - 1);
      // what the decision rests on, read whole and checked against the camera's signed digests
      firstHead = verified(chain, first);
      SealedSegmentHead lastHead = verified(chain, last);
      if (firstHead.header().epoch().equals(lastHead.header().epoch())) {
        throw new ChainBrokenException("segments " + last.sequence() + " and " + first.sequence() + " of " + stream
            + " are of one epoch: the store's heads are not the camera's");
      }
      if (cutoff != null && !policy.maxBytes().isPresent() && endOf(lastHead.header()).isAfter(cutoff)) {
        throw new ChainBrokenException("segment " + last.sequence() + " of " + stream + " ends after the cutoff by"
            + " the camera's signed time: the store's heads are not the camera's");
      }
      p = first.sequence();
      firstEpoch = firstHead.header().epoch();
    }
    ChainManifest covering = null;
    for (ChainManifest m : chain.manifests()) {
      if (m.covers(p) && (covering == null || m.lastSequence() > covering.lastSequence())) {
        covering = m;
      }
    }
    if (covering == null) {
      return nothing(stream, current, "no camera-signed manifest covers segment " + p);
    }
    List<String> deletions = new ArrayList<>();
    List<EpochId> epochs = new ArrayList<>();
    long segmentsDeleted = 0;
    long bytesDeleted = 0;
    below.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    for (Listed l : below) {
      deletions.add(l.name());
      segmentsDeleted++;
      bytesDeleted += l.size();
    }
    for (int r = 0; r < keepFrom; r++) {
      int[] run = runs.get(r);
      // the run's epoch is from an unauthenticated head: only an epoch before P's (verified) may go
      EpochId epoch = segments.get(run[0]).header().epoch();
      boolean older = epoch.value() < firstEpoch.value();
      if (older) {
        epochs.add(epoch);
      }
      for (int i = run[0]; i <= run[1]; i++) {
        deletions.add(segments.get(i).name());
        segmentsDeleted++;
        bytesDeleted += segments.get(i).size();
      }
      for (StoredObject o : envelopes) {
        if (older && o.name().equals(ObjectNames.envelope(stream, epoch))) {
          deletions.add(o.name());
          bytesDeleted += o.sizeBytes();
        }
      }
    }
    java.util.Set<String> queued = new java.util.HashSet<>(deletions);
    for (StoredObject o : envelopes) { // epochs with no stored segments (live-only, or empty) before P's
      EpochId e = ObjectNames.parseEnvelope(o.name()).get().epoch();
      if (e.value() < firstEpoch.value() && !queued.contains(o.name())) {
        deletions.add(o.name());
        bytesDeleted += o.sizeBytes();
      }
    }
    for (StoredObject o : store.list(ChainManifest.prefix(stream))) {
      Optional<Long> end = ChainManifest.parseObjectName(stream, o.name());
      if (end.isPresent() && end.get() < p) {
        deletions.add(o.name());
        bytesDeleted += o.sizeBytes();
      }
    }
    List<String> leftAlone = new ArrayList<>();
    long eventsDeleted = 0;
    for (StoredObject o : store.list(ObjectNames.eventPrefix(stream))) {
      EpochId e = eventEpoch(stream, o, leftAlone);
      if (e != null && e.value() < firstEpoch.value()) { // the envelopes' rule: the epochs before P's
        deletions.add(o.name());
        eventsDeleted++;
        bytesDeleted += o.sizeBytes();
      }
    }
    for (String l : leftAlone) {
      log.warn("{}: left alone under events/: {}", stream, l);
    }
    long storedBefore = 0; // stored in [current start, P)
    for (int r = 0; r < keepFrom; r++) {
      storedBefore += runs.get(r)[1] - runs.get(r)[0] + 1;
    }
    long alreadyMissing = Math.max(0, p - current.sequence() - storedBefore);
    if (deletions.isEmpty()) {
      return nothing(stream, current, runs.size() < 2 ? "one epoch: the newest epoch is never deleted" : note);
    }
    return new Plan(stream, p, firstEpoch, covering.lastSequence(), firstHead.digest(), epochs, deletions,
        segmentsDeleted, bytesDeleted, alreadyMissing, note, eventsDeleted, leftAlone);
  }

  /**
   * The epoch a stored event's public header names, read bounded (at most {@link
   * MotionEventFormat#MAX_SEALED_BYTES}) and parsed, never opened; null, with the reason added
   * to {@code leftAlone}, if the object is not an event of {@code stream} whose header agrees
   * with its name (or it is gone meanwhile).
   */
  private EpochId eventEpoch(StreamId stream, StoredObject o, List<String> leftAlone) throws IOException {
    Optional<ObjectNames.EventName> name = ObjectNames.parseEvent(o.name());
    if (!name.isPresent() || !name.get().stream().equals(stream)) {
      leftAlone.add(o.name() + " (not an event name)");
      return null;
    }
    MotionEventFormat.Header header;
    try {
      header = MotionEventFormat.parseHeader(store.readAll(o.name(), MotionEventFormat.MAX_SEALED_BYTES));
    } catch (NoSuchObjectException gone) {
      return null;
    } catch (MalformedDataException e) {
      leftAlone.add(o.name() + " (not a sealed event: " + e.getMessage() + ")");
      return null;
    }
    if (!header.stream().equals(stream) || !header.id().equals(name.get().id())) {
      leftAlone.add(o.name() + " (its header names event " + header.id() + " of " + header.stream() + ")");
      return null;
    }
    return header.epoch();
  }

  private static Instant endOf(SegmentHeader h) {
    return dev.obscura.crypto.segment.StreamReader.endOf(h);
  }

  /** Reads a segment whole and checks it against the camera's signed digest. */
  private SealedSegmentHead verified(ChainVerifier chain, Listed l) throws IOException, IntegrityException,
      MalformedDataException {
    SealedSegmentHead whole;
    try (InputStream in = store.open(l.name())) {
      whole = SegmentFormat.readWhole(in, SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES);
    }
    chain.checkSegment(whole);
    if (whole.header().sequence() != l.sequence()) {
      throw new ChainBrokenException("segment stored as " + l.sequence() + " is segment " + whole.header().sequence());
    }
    return whole;
  }

  private static Plan nothing(StreamId stream, StreamStart current, String note) {
    return new Plan(stream, current.sequence(), null, -1, null, Collections.<EpochId>emptyList(),
        Collections.<String>emptyList(), 0, 0, 0, note, 0, Collections.<String>emptyList());
  }
}
