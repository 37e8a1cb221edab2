package dev.obscura.crypto.trust;

import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.keys.Identity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterRef;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.segment.StreamStart;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one viewer-side verification path: what a device may believe of a store, checked against
 * what the device itself verified before ({@link TrustStore}). Every reader (export, live view,
 * sharing, the audit) opens the store through it, and takes epoch keys only from {@link
 * #epochKeys} or {@link #verifyEnvelope}, so no read path can skip a check another one makes.
 *
 * <p><b>Opening</b> ({@link Builder#open()}) verifies the store's roster chain from version 1 and
 * compares it with the device's pin. It refuses ({@link TrustException}) a store that shows an
 * older roster than the pinned one ({@code ROLLBACK}), no roster where one was pinned ({@code
 * NO_ROSTER}), another roster at the pinned version ({@code FORK}) or another camera key for it
 * ({@code CAMERA_KEY}). On first contact, an {@link EnrolmentCode} authenticates the roster
 * ({@code ENROLMENT_CODE} if it does not match); without one the roster is trusted on first use,
 * which {@link #firstContact()} says. The newest verified roster is then pinned.
 *
 * <p><b>Envelopes</b> ({@link #verifyEnvelope}): on a store with a roster, an envelope must name a
 * roster of the verified chain (version and digest) and be signed by the camera key in force in
 * that roster; an envelope signed by a key that a later roster retired, for an epoch begun more
 * than the grace period after that roster was signed, is refused. An envelope wrapped for a roster
 * older than one an owner had signed more than the grace period before the epoch began is
 * accepted (the footage is the camera's) but reported as {@link StaleEpoch}: a withheld
 * revocation or enrolment. On a store that never had a roster (recorded with fixed recipients),
 * envelopes need no signature, but one that names a roster is refused (the store hid it).
 *
 * <p><b>Pruned streams</b> ({@link #streamStart}): a stream whose oldest segments are gone is read
 * from its first kept segment only when an owner's signed prune entry in the audit log, and the
 * camera's signed manifest it names, attest that segment; {@link #completeness} and {@link
 * #reader} apply it. Any other missing prefix, gap or tail is refused as before.
 *
 * <p><b>Restrictions:</b> the envelope's creation time is the camera's claim: a stolen camera key
 * can backdate an envelope to before its retirement. Not thread-safe.
 */
public final class VerifiedStore {
  /** The default grace period for a camera to act on a new roster. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(60);

  /** How a device's trust in this store began. */
  public enum FirstContact {
    /** The device had pinned this store before. */
    PINNED,
    /** First contact, authenticated by an enrolment code. */
    ENROLMENT_CODE,
    /** First contact, trusted on first use: nothing authenticated the roster. */
    TRUST_ON_FIRST_USE,
    /** The store has no roster (fixed recipients): nothing to pin. */
    NO_ROSTER
  }

  /**
   * An epoch sealed for a roster older than one an owner had signed before it began (beyond the
   * grace period): the camera did not see, or was kept from seeing, the newer roster.
   */
  public record StaleEpoch(StreamId stream, EpochId epoch, long wrappedFor, long newerVersion, Instant epochCreated,
      Instant newerSigned) {
    /** One line for people. */
    public String describe() {
      return stream + " " + epoch + " sealed at " + epochCreated + " for roster version " + wrappedFor
          + ", but version " + newerVersion + " was signed at " + newerSigned + " (withheld from the camera?)";
    }
  }

  private final SegmentStore store;
  private final TrustStore trust;
  private final String storeId;
  private final List<Roster> chain;
  private final List<String> warnings;
  private final FirstContact firstContact;
  private final Duration grace;
  private final boolean hadRosterObjects;
  private final List<StaleEpoch> stale = new ArrayList<>();

  private VerifiedStore(SegmentStore store, TrustStore trust, String storeId, List<Roster> chain, List<String> warnings,
      FirstContact firstContact, Duration grace, boolean hadRosterObjects) {
    this.store = store;
    this.trust = trust;
    this.storeId = storeId;
    this.chain = new ArrayList<>(chain);
    this.warnings = List.copyOf(warnings);
    this.firstContact = firstContact;
    this.grace = grace;
    this.hadRosterObjects = hadRosterObjects;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Opens a store for reading. */
  public static final class Builder {
    private SegmentStore store;
    private String storeId;
    private TrustStore trust;
    private EnrolmentCode code;
    private Duration grace = DEFAULT_GRACE;

    private Builder() {}

    public Builder store(SegmentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The device's pins ({@code trust}) and the name it knows this store by. Without them nothing
     * is pinned: every open is a first contact.
     */
    public Builder trust(TrustStore trust, String storeId) {
      this.trust = Objects.requireNonNull(trust, "trust");
      this.storeId = Objects.requireNonNull(storeId, "storeId");
      return this;
    }

    /** The enrolment code this device was given, to authenticate a first contact. */
    public Builder enrolmentCode(EnrolmentCode code) {
      this.code = code;
      return this;
    }

    /** How long a camera may keep wrapping for an older roster (default 60 seconds). */
    public Builder grace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("grace must be >= 0");
      }
      this.grace = grace;
      return this;
    }

    /**
     * Verifies the roster chain against the pin and pins the newest verified roster.
     *
     * @throws TrustException if the store shows less than, or other than, what was pinned, or
     *     does not match the enrolment code
     * @throws IOException if the store or the trust store cannot be read or written
     */
    public VerifiedStore open() throws IOException, TrustException {
      Objects.requireNonNull(store, "store");
      RosterStore.Chain c = RosterStore.verifiedChain(store);
      List<String> warnings = new ArrayList<>();
      for (RosterRejectedException e : c.refused()) {
        warnings.add(e.getMessage());
      }
      boolean hadObjects = !RosterStore.versions(store).isEmpty();
      Optional<StorePin> pin = trust == null ? Optional.empty() : trust.load(storeId);
      Optional<RosterRef> pinned = pin.flatMap(StorePin::rosterRef);
      FirstContact contact;
      if (pinned.isPresent()) {
        RosterRef p = pinned.get();
        if (c.verified().isEmpty()) {
          throw new TrustException(TrustException.Reason.NO_ROSTER, hadObjects
              ? "the store's roster no longer verifies from version 1, but this device verified version " + p.version()
              : "the store shows no roster, but this device verified roster version " + p.version());
        }
        Roster latest = c.latest().get();
        if (latest.version() < p.version()) {
          throw new TrustException(TrustException.Reason.ROLLBACK, "the store's newest verifiable roster is version "
              + latest.version() + ", older than version " + p.version() + " this device verified (rolled back)");
        }
        Roster at = c.verified().get((int) (p.version() - 1));
        if (!p.names(at)) {
          throw new TrustException(TrustException.Reason.FORK, "the store's roster version " + p.version()
              + " is not the one this device verified (a fork)");
        }
        VerifyingKey pinnedCamera = pin.get().camera();
        if (!Objects.equals(pinnedCamera, at.camera().orElse(null))) {
          throw new TrustException(TrustException.Reason.CAMERA_KEY, "the camera key in force in roster version "
              + p.version() + " is not the one this device pinned");
        }
        contact = FirstContact.PINNED;
      } else if (!c.latest().isPresent()) {
        if (hadObjects) {
          throw new TrustException(TrustException.Reason.NO_ROSTER, "the store's roster does not verify from version 1");
        }
        if (code != null) {
          throw new TrustException(TrustException.Reason.ENROLMENT_CODE,
              "the store shows no roster, but an enrolment code for roster version " + code.version() + " was given");
        }
        contact = FirstContact.NO_ROSTER;
      } else if (code != null) {
        if (code.version() > c.latest().get().version()
            || !code.names(c.verified().get((int) (code.version() - 1)))) {
          throw new TrustException(TrustException.Reason.ENROLMENT_CODE, "the store's roster does not match the"
              + " enrolment code (version " + code.version() + "): refusing it");
        }
        contact = FirstContact.ENROLMENT_CODE;
      } else {
        contact = FirstContact.TRUST_ON_FIRST_USE;
      }
      if (trust != null && c.latest().isPresent()) {
        Roster latest = c.latest().get();
        StorePin base = pin.orElse(new StorePin(null, null, null));
        if (!base.rosterRef().map(r -> r.equals(latest.ref())).orElse(false)) {
          trust.save(storeId, base.withRoster(latest.ref(), latest.camera().orElse(null)));
        }
      }
      return new VerifiedStore(store, trust, storeId, c.verified(), warnings, contact, grace, hadObjects);
    }
  }

  /** The newest verified roster, if the store has one. */
  public Optional<Roster> roster() {
    return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1));
  }

  /** The verified chain, version 1 first. */
  public List<Roster> chain() {
    return Collections.unmodifiableList(chain);
  }

  /**
   * Reads the store's rosters after the newest verified one and extends the chain with the valid
   * successors (pinning the newest), as a long-running reader does when an envelope names a
   * roster it has not seen yet.
   *
   * @return whether the chain grew
   */
  public boolean refresh() throws IOException {
    if (chain.isEmpty()) {
      return false;
    }
    RosterStore.Chain more = RosterStore.verifyFrom(store, chain.get(chain.size() - 1));
    if (more.verified().isEmpty()) {
      return false;
    }
    chain.addAll(more.verified());
    Roster latest = chain.get(chain.size() - 1);
    if (trust != null) {
      StorePin base = trust.load(storeId).orElse(new StorePin(null, null, null));
      if (base.roster() == null || base.roster().version() < latest.version()) {
        trust.save(storeId, base.withRoster(latest.ref(), latest.camera().orElse(null)));
      }
    }
    return true;
  }

  /** Versions the store holds that did not verify (each a line for people). */
  public List<String> warnings() {
    return warnings;
  }

  public FirstContact firstContact() {
    return firstContact;
  }

  public SegmentStore store() {
    return store;
  }

  /** Every camera key pinned by a verified roster, oldest first (for signed chain manifests). */
  public List<VerifyingKey> cameraKeys() {
    List<VerifyingKey> out = new ArrayList<>();
    for (Roster r : chain) {
      r.camera().filter(k -> !out.contains(k)).ifPresent(out::add);
    }
    return out;
  }

  /** The camera key in force in the newest roster, if any. */
  public Optional<VerifyingKey> cameraKey() {
    return roster().flatMap(Roster::camera);
  }

  /** The stale epochs found by {@link #verifyEnvelope} so far. */
  public List<StaleEpoch> staleEpochs() {
    return Collections.unmodifiableList(stale);
  }

  /**
   * Checks an envelope (stored or relayed) as described in the class comment, and returns the
   * roster it was wrapped for (empty on a store without a roster).
   *
   * @throws TrustException if it is not acceptable
   * @throws MalformedDataException if its roster stanza does not parse
   */
  public Optional<Roster> verifyEnvelope(KeyEnvelope envelope) throws IntegrityException, MalformedDataException {
    Objects.requireNonNull(envelope, "envelope");
    String what = "the key envelope of " + envelope.header().stream() + " " + envelope.header().epoch();
    Optional<RosterRef> named = envelope.rosterRef();
    if (chain.isEmpty()) {
      if (named.isPresent() || hadRosterObjects) {
        throw new TrustException(TrustException.Reason.NO_ROSTER, what + " was wrapped for "
            + named.map(RosterRef::toString).orElse("a roster") + ", which the store does not show");
      }
      return Optional.empty();
    }
    if (!named.isPresent()) {
      throw new TrustException(TrustException.Reason.ENVELOPE, what + " names no roster (unsigned or planted)");
    }
    RosterRef ref = named.get();
    if (ref.version() > chain.size()) {
      try {
        refresh(); // a roster signed since this reader opened the store
      } catch (IOException e) {
        throw new TrustException(TrustException.Reason.ENVELOPE, what + " names " + ref
            + ", newer than this reader verified, and the store's rosters cannot be read: " + e.getMessage());
      }
    }
    if (ref.version() > chain.size() || !ref.names(chain.get((int) (ref.version() - 1)))) {
      throw new TrustException(TrustException.Reason.ENVELOPE, what + " names " + ref
          + ", which is not in the verified roster chain");
    }
    Roster wrappedFor = chain.get((int) (ref.version() - 1));
    VerifyingKey camera = wrappedFor.camera().orElseThrow(() -> new TrustException(TrustException.Reason.ENVELOPE,
        what + " names roster version " + ref.version() + ", which pins no camera key"));
    try {
      envelope.verifySignature(List.of(camera));
    } catch (IntegrityException e) {
      throw new TrustException(TrustException.Reason.ENVELOPE, e.getMessage()
          + " (the camera in force for roster version " + ref.version() + ")");
    }
    Instant began = envelope.header().created();
    Later later = laterRosters(wrappedFor, camera, began);
    if (later.retired() != null) {
      throw new TrustException(TrustException.Reason.CAMERA_KEY, what + " is signed by a camera key that roster"
          + " version " + later.retired().version() + " retired at " + later.retired().created()
          + ", for an epoch begun after (" + began + ")");
    }
    if (later.newer() != null) {
      stale.add(new StaleEpoch(envelope.header().stream(), envelope.header().epoch(), ref.version(),
          later.newer().version(), began, later.newer().created()));
    }
    return Optional.of(wrappedFor);
  }

  /**
   * What the rosters after {@code wrappedFor}, signed more than the grace period before {@code at},
   * say of an epoch signed by {@code signer}: the first that retired that key, if any, and the
   * first newer one before it (the epoch is then stale).
   */
  private record Later(Roster retired, Roster newer) {}

  private Later laterRosters(Roster wrappedFor, VerifyingKey signer, Instant at) {
    Roster newer = null;
    for (int i = (int) wrappedFor.version(); i < chain.size(); i++) {
      Roster later = chain.get(i);
      if (!later.created().plus(grace).isBefore(at)) {
        continue;
      }
      if (!later.camera().map(signer::equals).orElse(false)) {
        return new Later(later, newer);
      }
      if (newer == null) {
        newer = later;
      }
    }
    return new Later(null, newer);
  }

  /**
   * Epoch keys for {@code identity}: each epoch's envelope is read from the store (1 MiB bound),
   * must be the one of the stream and epoch asked for, passes {@link #verifyEnvelope}, and is
   * opened.
   */
  public EpochKeyResolver epochKeys(Identity identity) {
    Objects.requireNonNull(identity, "identity");
    return new EpochKeyResolver() {
      @Override
      public EpochKey resolve(StreamId stream, EpochId epoch)
          throws IOException, KeyUnavailableException, IntegrityException, MalformedDataException {
        KeyEnvelope envelope = KeyEnvelope.read(store, stream, epoch);
        verifyEnvelope(envelope);
        return envelope.open(identity);
      }

      @Override
      public String toString() {
        return "VerifiedStore.epochKeys[" + identity + "]";
      }
    };
  }

  /**
   * A verified read of a stream's range ({@link #read}): the reader, what the range resolved to,
   * and a note about segments after the newest signed manifest. Closing it closes the reader.
   *
   * @param reader verifies and decrypts every segment of the range, in order
   * @param range the resolved range and how many segments it selects
   * @param note one line about segments whose completeness is not proven yet, if any
   */
  public record Reading(dev.obscura.crypto.segment.StreamReader reader,
      dev.obscura.crypto.segment.StreamRange.Resolved range, Optional<String> note) implements java.io.Closeable {
    @Override
    public void close() {
      reader.close();
    }
  }

  /**
   * Reads a stream's range through the one verification path, as export does: epoch keys only
   * from envelopes {@link #verifyEnvelope} accepts, opened with {@code identity}; the stream
   * refused if the camera's signed manifests list segments the store lacks ({@link
   * #requireComplete}); the range resolved against the stream's segments.
   *
   * @param stream the stream
   * @param identity the reading device
   * @param range the range ({@link dev.obscura.crypto.segment.StreamRange#all()} for everything)
   * @param now the time the completeness note is measured at
   * @return the reading; close it
   * @throws dev.obscura.core.ChainBrokenException if a segment the camera signed for is missing
   * @throws dev.obscura.core.NoFootageException if the range selects nothing
   * @throws IntegrityException if a manifest does not verify
   * @throws MalformedDataException if a manifest or published key does not parse
   * @throws IOException if the store fails
   */
  public Reading read(StreamId stream, Identity identity, dev.obscura.crypto.segment.StreamRange range, Instant now)
      throws IOException, MalformedDataException, IntegrityException, dev.obscura.core.NoFootageException {
    Optional<String> note = requireComplete(stream, now);
    // the stream's start: segment 0, or where an owner's signed prune kept it
    dev.obscura.crypto.segment.StreamReader.Builder b = reader(stream, identity);
    List<dev.obscura.core.SegmentHeader> headers;
    try (dev.obscura.crypto.segment.StreamReader listing = b.build()) {
      headers = listing.headers();
    }
    dev.obscura.crypto.segment.StreamRange.Resolved resolved = range.resolve(stream, headers);
    if (!range.isAll()) {
      b.timeRange(resolved.from(), resolved.to());
    }
    return new Reading(b.build(), resolved, note);
  }

  /**
   * What the camera's signed manifests say of a stream's completeness, against what the store
   * lists.
   *
   * @param lastCovered the newest sequence a verified manifest covers, or -1
   * @param missing sequences a verified manifest lists that the store lacks (at most 1000 named)
   * @param missingCount how many such sequences in all
   * @param uncovered stored segments after the newest manifest (their truncation is not provable)
   * @param newestCoveredAt the start time of the newest covered segment, if the store holds it
   * @param start where the stream begins ({@link #streamStart}): segments before it were pruned by
   *     an owner and are not counted as missing
   */
  public record Completeness(long lastCovered, List<Long> missing, long missingCount, long uncovered,
      Optional<Instant> newestCoveredAt, StreamStart start) {
    public Completeness {
      missing = List.copyOf(missing);
    }

    /**
     * @throws dev.obscura.core.ChainBrokenException if a segment the camera signed for is missing
     */
    public void requireNothingMissing(StreamId stream) throws dev.obscura.core.ChainBrokenException {
      if (missingCount > 0) {
        throw new dev.obscura.core.ChainBrokenException("segment " + missing.get(0) + " of " + stream
            + (missingCount > 1 ? " (and " + (missingCount - 1) + " more)" : "") + " is listed in the camera's"
            + " signed manifest but missing from the store (deleted or withheld)");
      }
    }

    /** One line about the segments after the newest manifest, at {@code now}; empty if none. */
    public Optional<String> uncoveredNote(Instant now) {
      if (uncovered == 0) {
        return Optional.empty();
      }
      String age = newestCoveredAt.map(t -> ", " + Duration.between(t, now).getSeconds() + " s old").orElse("");
      return Optional.of(uncovered + " segment(s) after the newest signed manifest (it covers up to segment "
          + lastCovered + age + "): their completeness is not proven yet");
    }
  }

  /**
   * Checks a stream against the camera's signed manifests ({@code cameras}: usually {@link
   * #cameraKeys()}): which segments they list that the store lacks, and how many stored segments
   * come after the newest one. Segments before the stream's attested start ({@link #streamStart})
   * were pruned by an owner and are not missing; every other listed one is.
   *
   * @throws IntegrityException if a manifest does not verify under {@code cameras}, or the
   *     stream's start does not verify ({@link #streamStart})
   * @throws MalformedDataException if a manifest does not parse
   */
  public Completeness completeness(StreamId stream, java.util.Collection<VerifyingKey> cameras)
      throws IOException, MalformedDataException, IntegrityException {
    StreamStart begin = streamStart(stream);
    dev.obscura.crypto.chain.ChainVerifier chain = dev.obscura.crypto.chain.ChainVerifier.load(store, stream, cameras);
    java.util.TreeSet<Long> stored = new java.util.TreeSet<>();
    for (StoredObject o : store.list(ObjectNames.segmentPrefix(stream))) {
      ObjectNames.parseSegment(o.name()).filter(id -> id.stream().equals(stream))
          .ifPresent(id -> stored.add(id.sequence()));
    }
    long last = chain.lastCovered();
    List<Long> missing = new ArrayList<>();
    long missingCount = 0;
    for (dev.obscura.crypto.chain.ChainManifest m : chain.manifests()) {
      for (long seq = Math.max(m.firstSequence(), begin.sequence()); seq <= m.lastSequence(); seq++) {
        if (!stored.contains(seq)) {
          missingCount++;
          if (missing.size() < 1000) {
            missing.add(seq);
          }
        }
      }
    }
    missing.sort(null);
    long uncovered = stored.tailSet(last + 1).size();
    Optional<Instant> at = Optional.empty();
    if (last >= 0 && stored.contains(last)) {
      try (java.io.InputStream in = store.open(ObjectNames.segment(new dev.obscura.core.SegmentId(stream, last)))) {
        at = Optional.of(dev.obscura.crypto.segment.SegmentFormat.readHeader(in).startTime());
      } catch (NoSuchObjectException e) {
        // listed, then gone: the read path reports it
      }
    }
    return new Completeness(last, missing, missingCount, uncovered, at, begin);
  }

  // ---- retention: the attested start of a pruned stream -------------------------------------

  /**
   * The keys allowed to sign the audit log: every device, camera and recovery key of the verified
   * roster chain; on a store without a roster, the keys published in it (trust on first use, see
   * {@link TrustOnFirstUseKeys}).
   *
   * @return the keys, oldest roster first
   * @throws IOException if the store cannot be read
   * @throws MalformedDataException if a key published in a store without a roster does not parse
   */
  public List<VerifyingKey> auditSigners() throws IOException, MalformedDataException {
    List<VerifyingKey> trusted = new ArrayList<>();
    for (Roster r : chain) {
      for (Roster.Member m : r.members()) {
        trusted.add(m.verifyingKey());
      }
      r.camera().ifPresent(trusted::add);
      r.recovery().ifPresent(k -> trusted.add(k.verifyingKey()));
    }
    if (chain.isEmpty()) {
      trusted.addAll(TrustOnFirstUseKeys.allKeys(store));
    }
    return trusted;
  }

  /**
   * Reads and verifies the audit log ({@link dev.obscura.crypto.audit.AuditLog#verify}) against
   * {@link #auditSigners()} and the head this device pinned, if any.
   *
   * @return what the log holds and every problem found
   * @throws IOException if the store or the pins cannot be read
   * @throws MalformedDataException as {@link #auditSigners()}
   */
  public dev.obscura.crypto.audit.AuditReport auditLog() throws IOException, MalformedDataException {
    dev.obscura.crypto.audit.AuditHead pinned = trust == null ? null
        : trust.load(storeId).flatMap(StorePin::auditHead).orElse(null);
    return dev.obscura.crypto.audit.AuditLog.verify(store, auditSigners(), pinned);
  }

  /**
   * Where {@code stream} begins: {@link StreamStart#GENESIS} if no owner ever pruned it, else the
   * first segment the newest prune kept. The rule, checked here and nowhere else:
   *
   * <ol>
   *   <li>a prune counts only as a {@link dev.obscura.crypto.audit.AuditEntry.Type#PRUNE} entry in
   *       an audit log that verifies whole (every entry, from 0, against this device's pinned head:
   *       a log rolled back to before the prune is refused), signed by a device that is an owner
   *       in the verified roster chain and not revoked when it signed (an entry of a viewer, a
   *       camera or the recovery key attests nothing);
   *   <li>the camera's chain manifest that the entry names must be in the store, verify under a
   *       camera key of the verified chain, cover the first kept segment and sign for it the digest
   *       the entry names.
   * </ol>
   *
   * Readers then begin at that segment ({@link StreamReader.Builder#start}), which must be stored
   * with that digest; every segment after it must follow as usual. So a prefix the store deletes
   * without such an entry, more than the entry says, the attesting manifest, or the entry itself
   * (rolled back) is refused, and so is a gap anywhere after the start.
   *
   * <p>If the log holds prune entries of this stream and does not verify, the start is refused
   * too: the store cannot make a reader skip checking them by breaking the log.
   *
   * @param stream the stream
   * @return where it begins
   * @throws IntegrityException if the stream has prune entries and the log does not verify, or the
   *     attesting manifest is missing or does not attest the entry's segment and digest
   * @throws MalformedDataException if the attesting manifest does not parse
   * @throws IOException if the store cannot be read
   */
  public StreamStart streamStart(StreamId stream) throws IOException, IntegrityException, MalformedDataException {
    Objects.requireNonNull(stream, "stream");
    dev.obscura.crypto.audit.AuditReport report = auditLog();
    List<dev.obscura.crypto.audit.AuditEntry> prunes = new ArrayList<>();
    for (dev.obscura.crypto.audit.AuditEntry e : report.entries()) {
      if (e.type() != dev.obscura.crypto.audit.AuditEntry.Type.PRUNE) {
        continue;
      }
      try {
        if (dev.obscura.crypto.audit.PruneRecord.of(e).stream().equals(stream)) {
          prunes.add(e);
        }
      } catch (MalformedDataException ex) {
        prunes.add(e); // maybe this stream's, edited: it counts until the log verifies
      }
    }
    if (prunes.isEmpty()) {
      return StreamStart.GENESIS;
    }
    List<String> problems = new ArrayList<>(report.problems());
    problems.addAll(Household.revokedSigners(report, chain));
    if (!problems.isEmpty()) {
      throw new IntegrityException("the audit log that records the prunes of " + stream + " does not verify ("
          + problems.get(0) + "): where the stream begins is not attested");
    }
    dev.obscura.crypto.audit.PruneRecord best = null;
    dev.obscura.crypto.audit.AuditEntry bestEntry = null;
    for (dev.obscura.crypto.audit.AuditEntry e : prunes) {
      if (!isOwner(e.actor())) {
        continue; // a viewer's (or camera's) prune attests nothing
      }
      if (!signedBeforeLosingOwnership(e, report.entries())) {
        continue; // a former owner's prune counts only if the log shows it came before the change
      }
      dev.obscura.crypto.audit.PruneRecord r;
      try {
        r = dev.obscura.crypto.audit.PruneRecord.of(e);
      } catch (MalformedDataException ex) {
        continue; // signed by an owner, but not a prune record this version reads: attests nothing
      }
      if (!r.stream().equals(stream)) {
        continue;
      }
      if (best == null || r.firstKept() > best.firstKept()) {
        best = r;
        bestEntry = e;
      }
    }
    if (best == null) {
      return StreamStart.GENESIS;
    }
    String what = "the camera's signed manifest of " + stream + " up to segment " + best.manifestLast()
        + ", which attests where the owner's prune (audit entry " + bestEntry.sequence() + ") kept the stream";
    byte[] bytes;
    try {
      bytes = store.readAll(dev.obscura.crypto.chain.ChainManifest.objectName(stream, best.manifestLast()),
          dev.obscura.crypto.chain.ChainManifest.MAX_ENCODED_BYTES);
    } catch (NoSuchObjectException e) {
      throw new dev.obscura.core.ChainBrokenException(what + ", is missing (deleted by the store?)");
    }
    dev.obscura.crypto.chain.ChainManifest m = dev.obscura.crypto.chain.ChainManifest.parse(bytes);
    if (!m.stream().equals(stream) || m.lastSequence() != best.manifestLast() || !m.covers(best.firstKept())) {
      throw new dev.obscura.core.ChainBrokenException(what + ", is not that manifest");
    }
    dev.obscura.crypto.chain.ChainVerifier.of(stream, cameraKeys(), Collections.singletonList(m)); // the camera signed it
    if (!java.security.MessageDigest.isEqual(m.digestOf(best.firstKept()), best.firstKeptDigest())) {
      throw new dev.obscura.core.ChainBrokenException(what + ", signs another segment " + best.firstKept()
          + " than the prune kept");
    }
    return StreamStart.attested(best.firstKept(), best.firstKeptDigest());
  }

  /**
   * Whether an entry signed by a device that is an owner in some roster of the verified chain was
   * signed while it was one. A device still an owner of the newest roster: yes. Otherwise the
   * roster version that first dropped it (revoked, removed or made a viewer) must be named, after
   * the entry, by a roster-change entry signed by that roster's own signer: the hash chain then
   * puts the entry before the change. Without such an entry (the store cut the log back to before
   * the revocation, and the revoked key appended to it) the entry attests nothing. A device that
   * pinned the roster but not the audit head would otherwise accept it.
   */
  private boolean signedBeforeLosingOwnership(dev.obscura.crypto.audit.AuditEntry e,
      List<dev.obscura.crypto.audit.AuditEntry> entries) {
    VerifyingKey key = e.actor();
    Roster dropped = null;
    boolean wasOwner = false;
    for (Roster r : chain) {
      boolean owner = false;
      for (Roster.Member m : r.members()) {
        owner |= m.role() == Roster.Role.OWNER && m.verifyingKey().equals(key);
      }
      if (owner) {
        wasOwner = true;
        dropped = null;
      } else if (wasOwner && dropped == null) {
        dropped = r;
      }
    }
    if (!wasOwner) {
      return false;
    }
    if (dropped == null) {
      return true;
    }
    for (dev.obscura.crypto.audit.AuditEntry later : entries) {
      if (later.sequence() <= e.sequence() || later.type() == dev.obscura.crypto.audit.AuditEntry.Type.SHARE
          || later.type() == dev.obscura.crypto.audit.AuditEntry.Type.PRUNE
          || later.payload().length != Household.ROSTER_CHANGE_BYTES) {
        continue;
      }
      long version = java.nio.ByteBuffer.wrap(later.payload()).getLong();
      if (version >= dropped.version()
          && java.security.MessageDigest.isEqual(later.actor().keyId(), rosterSigner(version))) {
        return true;
      }
    }
    return false;
  }

  /** The signer key id of roster {@code version} of the verified chain, or an empty array. */
  private byte[] rosterSigner(long version) {
    for (Roster r : chain) {
      if (r.version() == version) {
        return r.signerKeyId();
      }
    }
    return new byte[0];
  }

  /** Whether {@code key} is an owner in some roster of the verified chain. */
  private boolean isOwner(VerifyingKey key) {
    for (Roster r : chain) {
      for (Roster.Member m : r.members()) {
        if (m.role() == Roster.Role.OWNER && m.verifyingKey().equals(key)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A reader of {@code stream} for {@code identity} on the one verification path: epoch keys from
   * {@link #epochKeys}, and the stream's attested {@link #streamStart}. Add ranges and build it.
   *
   * @param stream the stream to read
   * @param identity whose keys open it
   * @return a builder with store, stream, resolver and start set
   * @throws IntegrityException as {@link #streamStart}
   * @throws MalformedDataException as {@link #streamStart}
   * @throws IOException if the store cannot be read
   */
  public StreamReader.Builder reader(StreamId stream, Identity identity)
      throws IOException, IntegrityException, MalformedDataException {
    return StreamReader.builder().store(store).stream(stream).resolver(epochKeys(identity)).start(streamStart(stream));
  }

  /**
   * The camera keys a stream's signed chain is verified with: those the verified roster chain
   * pins ({@link #cameraKeys()}); on a store without a roster, the keys published in the store for
   * the stream, trusted on first use ({@link TrustOnFirstUseKeys}).
   *
   * @param stream the stream
   * @return the keys, empty if the stream has no signed chain
   * @throws IOException if the store cannot be read
   * @throws MalformedDataException if a published key does not parse
   */
  public List<VerifyingKey> cameraKeys(StreamId stream) throws IOException, MalformedDataException {
    return roster().isPresent() ? cameraKeys() : TrustOnFirstUseKeys.cameraKeys(store, stream);
  }

  /**
   * Refuses a stream whose camera-signed manifests list segments the store lacks (deleted or
   * withheld at the end or inside), and says how many segments come after the newest manifest.
   * A stream with no signed chain passes (there is nothing to check it against).
   *
   * @param stream the stream
   * @param now the time the note's age is measured at
   * @return a one-line note about the segments after the newest manifest, if any
   * @throws dev.obscura.core.ChainBrokenException if a segment the camera signed for is missing
   * @throws IntegrityException if a manifest does not verify
   * @throws MalformedDataException if a manifest or published key does not parse
   * @throws IOException if the store cannot be read
   */
  public Optional<String> requireComplete(StreamId stream, Instant now)
      throws IOException, MalformedDataException, IntegrityException {
    List<VerifyingKey> cameras = cameraKeys(stream);
    if (cameras.isEmpty()) {
      return Optional.empty();
    }
    Completeness c = completeness(stream, cameras);
    c.requireNothingMissing(stream);
    return c.uncoveredNote(now);
  }

  /** What {@link #auditEnvelopes} found. */
  public record EnvelopeAudit(int verified, List<String> refused, List<StaleEpoch> stale) {
    public EnvelopeAudit {
      refused = List.copyOf(refused);
      stale = List.copyOf(stale);
    }

    public boolean clean() {
      return refused.isEmpty() && stale.isEmpty();
    }
  }

  /**
   * Checks every key envelope in the store ({@link #verifyEnvelope}) with no key, and every
   * segment's public header against the envelope of its epoch: what the audit reports. An epoch is
   * stale when its envelope, or any of its segments (by the start time in its header), is newer by
   * more than the grace period than a roster signed after the one the epoch was wrapped for. An
   * epoch with a segment newer by more than the grace period than a roster that retired the key
   * that signed its envelope is refused (a backdated envelope of a retired key).
   * Envelopes of streams recorded without a roster on a store without one pass.
   */
  public EnvelopeAudit auditEnvelopes() throws IOException {
    int ok = 0;
    List<String> refused = new ArrayList<>();
    List<StaleEpoch> found = new ArrayList<>();
    java.util.Map<String, Instant> lastSegment = new java.util.HashMap<>();
    List<StoredObject> all = store.list("");
    for (StoredObject o : all) {
      Optional<dev.obscura.core.SegmentId> id = ObjectNames.parseSegment(o.name());
      if (!id.isPresent()) {
        continue;
      }
      try (java.io.InputStream in = store.open(o.name())) {
        dev.obscura.core.SegmentHeader h = dev.obscura.crypto.segment.SegmentFormat.readHeader(in);
        lastSegment.merge(ObjectNames.envelope(h.stream(), h.epoch()), h.startTime(),
            (a, b) -> a.isAfter(b) ? a : b);
      } catch (MalformedDataException | NoSuchObjectException e) {
        refused.add(o.name() + ": " + e.getMessage());
      }
    }
    for (StoredObject o : all) {
      Optional<StreamId> stream = ObjectNames.parseEnvelopeStream(o.name());
      if (!stream.isPresent()) {
        continue;
      }
      try {
        KeyEnvelope e = KeyEnvelope.parse(store.readAll(o.name(), KeyEnvelope.MAX_ENVELOPE_BYTES));
        if (!ObjectNames.envelope(e.header().stream(), e.header().epoch()).equals(o.name())) {
          refused.add(o.name() + ": holds the envelope of " + e.header().stream() + " " + e.header().epoch());
          continue;
        }
        Optional<Roster> wrappedFor = verifyEnvelope(e);
        if (!wrappedFor.isPresent()) {
          ok++;
          continue;
        }
        Instant latest = lastSegment.getOrDefault(o.name(), e.header().created());
        if (latest.isBefore(e.header().created())) {
          latest = e.header().created();
        }
        // verifyEnvelope checked the camera key; here the epoch's segment times count too
        Later later = laterRosters(wrappedFor.get(), wrappedFor.get().camera().get(), latest);
        Roster retired = later.retired();
        Roster newer = later.newer();
        if (retired != null) {
          // the envelope predates the retirement (verifyEnvelope passed it), its segments do not:
          // a retired (stolen) key backdating an envelope, as the segment times show
          refused.add(o.name() + ": signed by the camera key that roster version " + retired.version()
              + " retired at " + retired.created() + ", with segments recorded after it (" + latest + ")");
          continue;
        }
        ok++;
        if (newer != null) {
          StaleEpoch st = new StaleEpoch(e.header().stream(), e.header().epoch(), wrappedFor.get().version(),
              newer.version(), latest, newer.created());
          found.add(st);
          if (stale.stream().noneMatch(x -> x.stream().equals(st.stream()) && x.epoch().equals(st.epoch()))) {
            stale.add(st);
          }
        }
      } catch (IntegrityException | MalformedDataException | NoSuchObjectException e) {
        refused.add(o.name() + ": " + e.getMessage());
      }
    }
    return new EnvelopeAudit(ok, refused, found);
  }

  @Override
  public String toString() {
    return "VerifiedStore[" + store + ", " + (chain.isEmpty() ? "no roster" : "roster v" + chain.size()) + ", "
        + firstContact + "]";
  }
}
