package dev.obscura.crypto.trust;

import dev.obscura.core.EntropySource;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoFootageException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.StreamId;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.audit.AuditHead;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.audit.AuditReport;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.keys.RecoveryKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.share.ShareGrant;
import dev.obscura.crypto.share.ShareRequest;
import dev.obscura.crypto.share.ShareVerifier;
import dev.obscura.crypto.share.VerifiedShare;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import dev.obscura.core.Hex;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an owner's device does to a household's roster, with the enrolment rules enforced here and
 * nowhere else: pairing a camera (setup, or a new or reset camera), enrolling and revoking
 * devices, renewing the roster, publishing a recovery key, and reading the audit log. Every change
 * first opens the store through {@link VerifiedStore} (so it refuses a store that shows less than
 * this device pinned), is signed by the owner, checked as a valid successor, published, recorded
 * in the audit log, and pinned in the device's {@link TrustStore}.
 *
 * <p><b>Rules:</b> the first roster is signed by the device it enrols, which becomes the first
 * owner, and pins the camera its pairing code names; later versions are signed by an owner of
 * the newest version (or its recovery key); a device cannot revoke itself; a device is enrolled
 * once. The audit payload of a roster change is u64 roster version || the 16-byte key id of the
 * device concerned ({@link #describe(AuditEntry)}).
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * Household home = Household.of(store, FileTrustStore.besideKeyFile(keyFile), "s3://bucket/home");
 * Household.Change setup = home.create(phone, "phone", PairingCode.parse(codeFromTheCamera), null);
 * Household.Change added = home.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet");
 * System.out.println("enrolment code for the tablet: " + added.enrolmentCode());
 * }</pre>
 */
public final class Household {
  /** Prefix of the camera public keys a camera publishes for pairing. */
  public static final String CAMERA_KEYS_PREFIX = "pairing/";
  /** Size of a roster-change audit payload. */
  public static final int ROSTER_CHANGE_BYTES = 8 + 16;

  private final SegmentStore store;
  private final TrustStore trust;
  private final String storeId;
  private final Clock clock;
  private final EntropySource entropy;

  private Household(SegmentStore store, TrustStore trust, String storeId, Clock clock, EntropySource entropy) {
    this.store = Objects.requireNonNull(store, "store");
    this.trust = Objects.requireNonNull(trust, "trust");
    this.storeId = Objects.requireNonNull(storeId, "storeId");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.entropy = Objects.requireNonNull(entropy, "entropy");
  }

  /**
   * The household of {@code store}, as the device whose pins are {@code trust} sees it.
   *
   * @param store the household's store (untrusted)
   * @param trust this device's pins ({@link TrustStore#none()} for a device that keeps none)
   * @param storeId the name the pins of this store are kept under (stable, chosen by the caller)
   * @return the household
   */
  public static Household of(SegmentStore store, TrustStore trust, String storeId) {
    return new Household(store, trust, storeId, Clock.systemUTC(), EntropySource.system());
  }

  /** The same household with another clock (roster signing times). */
  public Household withClock(Clock clock) {
    return new Household(store, trust, storeId, clock, entropy);
  }

  /**
   * The same household with another source of randomness (recovery salts, share keys).
   *
   * @param entropy the source
   * @return a household that uses it
   */
  public Household withEntropy(EntropySource entropy) {
    return new Household(store, trust, storeId, clock, entropy);
  }

  /** What a change did. */
  public record Change(Optional<Roster> previous, Roster roster, String signedBy) {
    /** The code to give a newly enrolled device for its first contact. */
    public EnrolmentCode enrolmentCode() {
      return EnrolmentCode.of(roster);
    }
  }

  /** Opens the store through the one verification path, pinning what it verifies. */
  public VerifiedStore open(EnrolmentCode code) throws IOException, TrustException {
    return VerifiedStore.builder().store(store).trust(trust, storeId).enrolmentCode(code).open();
  }

  /**
   * Camera setup: roster version 1 with {@code owner} as its first owner, pinning the camera the
   * code names, authenticated to the camera by a {@link PairingRecord}.
   *
   * @param camera the camera's key if the caller has it (read from the camera's {@code camera.pub});
   *     null to take the one the camera published in the store
   * @throws TrustException if the camera key is not the one the code names, or this device
   *     pinned a roster of this store and the store shows none ({@code NO_ROSTER})
   * @throws EnrolmentException if the store already has a roster, or the camera key is nowhere
   */
  public Change create(ViewerIdentity owner, String name, PairingCode code, VerifyingKey camera)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    SigningKey key = signingKey(owner);
    if (!RosterStore.versions(store).isEmpty()) {
      refuseGhostOrExisting(code);
    }
    if (trust.load(storeId).flatMap(StorePin::rosterRef).isPresent()) {
      // this device verified a roster of this store: a store that shows none now deleted it, and
      // must not get a new household set up over the pin (open refuses it with NO_ROSTER)
      open(null);
    }
    VerifyingKey cam = cameraKey(code, camera);
    Roster v1;
    try {
      v1 = Roster.genesis().add(owner.publicKey(), Roster.Role.OWNER, name).camera(cam).created(clock.instant())
          .sign(key);
    } catch (IllegalArgumentException e) {
      throw new EnrolmentException(EnrolmentException.Reason.INVALID, e.getMessage());
    }
    store.put(PairingRecord.objectName(1), PairingRecord.create(v1, code).encode());
    RosterStore.publish(store, v1);
    return finish(Optional.empty(), v1, key, AuditEntry.Type.ENROL, owner.publicKey().keyId(), "itself (camera setup)");
  }

  /**
   * Camera setup as {@link #create(ViewerIdentity, String, PairingCode, VerifyingKey)}, for the
   * device whose public key the caller holds: the first device signs itself in.
   *
   * @param owner the first owner's identity
   * @param device the device being set up, which must be {@code owner}'s own public key
   * @param name a name to show in the roster
   * @param code the camera's pairing code
   * @param camera the camera's key, or null to take the one it published in the store
   * @return the change (roster version 1)
   * @throws EnrolmentException {@code NOT_SELF_SIGNED} if {@code device} is not {@code owner}'s
   *     key, {@code INVALID} if it has no Ed25519 key; as the other {@code create}
   * @throws TrustException as the other {@code create}
   * @throws IOException if the store fails
   * @throws MalformedDataException if a published camera key does not parse
   */
  public Change create(ViewerIdentity owner, ViewerPublicKey device, String name, PairingCode code, VerifyingKey camera)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    requireSigningKey(device);
    if (!owner.publicKey().equals(device)) {
      throw new EnrolmentException(EnrolmentException.Reason.NOT_SELF_SIGNED,
          "camera setup: the first device signs itself in, so the owner identity must be the device's private key");
    }
    return create(owner, name, code, camera);
  }

  private static void requireSigningKey(ViewerPublicKey device) throws EnrolmentException {
    if (Objects.requireNonNull(device, "device").verifyingKey().isEmpty()) {
      throw new EnrolmentException(EnrolmentException.Reason.INVALID,
          "the device key has no Ed25519 key (made by an older keygen): make a new key");
    }
  }

  /**
   * The store shows a roster at setup. The owner holds the camera's code, so it can tell a roster
   * it (or another holder of the code) paired from a ghost the store made.
   */
  private void refuseGhostOrExisting(PairingCode code) throws IOException, TrustException, EnrolmentException {
    for (long v : RosterStore.versions(store)) {
      try {
        Roster r = RosterStore.read(store, v);
        PairingRecord record = PairingRecord.parse(store.readAll(PairingRecord.objectName(v), PairingRecord.ENCODED_BYTES));
        if (r.camera().isPresent() && code.names(r.camera().get())
            && record.authenticates(r, r.camera().get(), code.secret())) {
          throw new EnrolmentException(EnrolmentException.Reason.HAS_ROSTER, "the store has a roster already"
              + " (version " + v + " is paired with this camera's code): enrol devices with device add");
        }
      } catch (dev.obscura.core.NoSuchObjectException | MalformedDataException e) {
        // not paired with this code
      }
    }
    throw new TrustException(TrustException.Reason.NOT_PAIRED, "the store holds a roster that this camera's pairing"
        + " code did not make (a ghost the store set up): refusing it; the camera refuses it too");
  }

  /** Enrols {@code device} in the next roster version, signed by {@code owner}. */
  public Change enrol(ViewerIdentity owner, ViewerPublicKey device, Roster.Role role, String name)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    requireSigningKey(device);
    Roster latest = latestFor(owner);
    if (latest.member(device).isPresent()) {
      throw new EnrolmentException(EnrolmentException.Reason.ALREADY_ENROLLED,
          "device " + device.fingerprint() + " is already enrolled");
    }
    return change(owner, latest, b -> b.add(device, role, name), AuditEntry.Type.ENROL, device.keyId());
  }

  /** Revokes {@code device} in the next roster version: the camera starts a new epoch at once. */
  public Change revoke(ViewerIdentity owner, ViewerPublicKey device)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    Roster latest = latestFor(owner);
    Roster.Member m = latest.member(device).orElseThrow(() -> new EnrolmentException(
        EnrolmentException.Reason.NOT_A_MEMBER, "no such device in roster version " + latest.version()));
    if (m.verifyingKey().equals(signingKey(owner).verifyingKey())) {
      throw new EnrolmentException(EnrolmentException.Reason.SELF_REVOCATION,
          "a device cannot revoke itself: sign with another owner");
    }
    return change(owner, latest, b -> b.revoke(m.key()), AuditEntry.Type.REVOKE, m.key().keyId());
  }

  /**
   * Revokes the device whose fingerprint is {@code fingerprint} (as {@link Roster.Member#fingerprint()}
   * shows it; spaces and other separators are ignored) in the next roster version.
   *
   * @param owner the signing owner
   * @param fingerprint the device's fingerprint
   * @return the change
   * @throws EnrolmentException {@code NOT_A_MEMBER} if no device of the newest roster has it; as
   *     {@link #revoke(ViewerIdentity, ViewerPublicKey)}
   * @throws TrustException if the store shows less than this device pinned
   * @throws IOException if the store fails
   * @throws MalformedDataException if a stored object does not parse
   */
  public Change revoke(ViewerIdentity owner, String fingerprint)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    return revoke(owner, device(fingerprint).key());
  }

  /**
   * The newest roster of the store, verified against this device's pins.
   *
   * @return the roster
   * @throws EnrolmentException {@code NO_ROSTER} if the store has none
   * @throws TrustException if the store shows less than or other than this device pinned
   * @throws IOException if the store fails
   */
  public Roster roster() throws IOException, TrustException, EnrolmentException {
    return requireRoster(open(null));
  }

  private static Roster requireRoster(VerifiedStore view) throws EnrolmentException {
    return view.roster().orElseThrow(() -> new EnrolmentException(EnrolmentException.Reason.NO_ROSTER,
        "the store has no roster: pair the camera first (device add --pair CODE)"));
  }

  /**
   * The device of the newest verified roster whose fingerprint is {@code fingerprint} (digits
   * compared, separators ignored).
   *
   * @param fingerprint a device fingerprint
   * @return the member
   * @throws EnrolmentException {@code NOT_A_MEMBER} if there is none, {@code NO_ROSTER} if the
   *     store has no roster
   * @throws TrustException if the store shows less than this device pinned
   * @throws IOException if the store fails
   */
  public Roster.Member device(String fingerprint) throws IOException, TrustException, EnrolmentException {
    Roster latest = roster();
    String fp = fingerprint.replaceAll("[^0-9]", "");
    return latest.members().stream().filter(m -> m.fingerprint().replace(" ", "").equals(fp)).findFirst()
        .orElseThrow(() -> new EnrolmentException(EnrolmentException.Reason.NOT_A_MEMBER,
            "no such device in roster version " + latest.version()));
  }

  /**
   * Pins the camera the code names in the next roster version, with a pairing record, so that a
   * new, replacement or reset camera accepts it: a new key retires the old one from this version on.
   *
   * @throws EnrolmentException {@code NOT_AN_OWNER} also for the recovery key: a camera accepts
   *     a pairing roster only if one of its own owners signed it, so the restored identity enrols
   *     a new owner device first, which then pairs the camera
   */
  public Change pairCamera(ViewerIdentity owner, PairingCode code, VerifyingKey camera)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    Roster latest = latestFor(owner);
    VerifyingKey signer = signingKey(owner).verifyingKey();
    if (latest.members().stream().noneMatch(m -> m.verifyingKey().equals(signer))) {
      throw new EnrolmentException(EnrolmentException.Reason.NOT_AN_OWNER, "a camera accepts a pairing roster"
          + " signed by one of its owners, not by the recovery key: enrol a new owner device first, then pair"
          + " the camera from it");
    }
    VerifyingKey cam = cameraKey(code, camera);
    Change c = change(owner, latest, b -> b.camera(cam), AuditEntry.Type.ROSTER, cam.keyId(), code);
    return c;
  }

  /**
   * Signs the next roster version unchanged: a fresh signing time, so that a camera bounding the
   * age of its roster ({@code maxRosterAge}) keeps wrapping for viewers.
   */
  public Change renew(ViewerIdentity owner)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    Roster latest = latestFor(owner);
    return change(owner, latest, b -> b, AuditEntry.Type.ROSTER, signingKey(owner).verifyingKey().keyId());
  }

  /** Publishes {@code recovery} in the next roster version. */
  public Change setRecovery(ViewerIdentity owner, RecoveryKey recovery)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    Roster latest = latestFor(owner);
    return change(owner, latest, b -> b.recovery(recovery), AuditEntry.Type.RECOVERY,
        recovery.verifyingKey().keyId());
  }

  /**
   * Derives a recovery key from {@code secret} (Argon2id at {@code params}) and publishes it in the
   * next roster version. Checks that {@code owner} may sign before the (slow) derivation.
   *
   * @param owner the signing owner
   * @param secret the recovery passphrase or code ({@link RecoveryKey#newRecoveryCode}); the
   *     caller erases it
   * @param params the Argon2id cost
   * @return the change; its roster's {@link Roster#recovery()} is the new key
   * @throws EnrolmentException if {@code owner} may not sign, or the store has no roster
   * @throws TrustException if the store shows less than this device pinned
   * @throws IOException if the store fails
   * @throws MalformedDataException if a stored object does not parse
   */
  public Change setRecovery(ViewerIdentity owner, char[] secret, Argon2idParams params)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    latestFor(owner);
    return setRecovery(owner, RecoveryKey.create(secret, params, entropy));
  }

  /** What {@link #recover} restored. */
  public record Recovered(ViewerIdentity identity, Roster roster, VerifiedStore view) {}

  /**
   * With every device lost: derives the recovery identity from {@code secret}, checks it against
   * the recovery key of the newest verified roster, pins that roster in this household's trust
   * store (the restored identity's), and records the recovery in the audit log. The restored
   * identity reads every epoch sealed since the recovery key was published, and may sign the
   * next roster.
   *
   * @param secret the recovery passphrase or code; the caller erases it
   * @param code the enrolment code that authenticates the roster on this first contact, or null
   *     (trust on first use)
   * @return the restored identity, the roster it was checked against, and the view (warnings)
   * @throws KeyUnavailableException if the roster has no recovery key
   * @throws dev.obscura.crypto.keys.WrongPassphraseException if {@code secret} does not derive it
   * @throws EnrolmentException {@code NO_ROSTER} if the store has no roster
   * @throws TrustException if the roster does not verify or match {@code code}
   * @throws IOException if the store fails
   * @throws MalformedDataException if a stored object does not parse
   */
  public Recovered recover(char[] secret, EnrolmentCode code) throws IOException, TrustException,
      EnrolmentException, KeyUnavailableException, dev.obscura.crypto.keys.WrongPassphraseException,
      MalformedDataException {
    VerifiedStore view = open(code);
    Roster latest = requireRoster(view);
    RecoveryKey published = latest.recovery().orElseThrow(() -> new KeyUnavailableException(
        "roster version " + latest.version() + " has no recovery key (recovery init was not run)"));
    ViewerIdentity restored = published.unlock(secret);
    recordRecovery(signingKey(restored), latest, published);
    return new Recovered(restored, latest, view);
  }

  /** Records in the audit log that {@code restored} recovered the archive of {@code latest}. */
  public AuditEntry recordRecovery(SigningKey restored, Roster latest, RecoveryKey recovery)
      throws IOException, MalformedDataException {
    return appendAudit(restored, AuditEntry.Type.RECOVERY, latest, recovery.verifyingKey().keyId());
  }

  private interface Edit {
    Roster.Builder apply(Roster.Builder b);
  }

  private Change change(ViewerIdentity owner, Roster latest, Edit edit, AuditEntry.Type type, byte[] subject)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    return change(owner, latest, edit, type, subject, null);
  }

  private Change change(ViewerIdentity owner, Roster latest, Edit edit, AuditEntry.Type type, byte[] subject,
      PairingCode pairing) throws IOException, TrustException, EnrolmentException, MalformedDataException {
    SigningKey key = signingKey(owner);
    Roster next;
    try {
      Roster.Builder b = edit.apply(latest.next());
      java.time.Instant now = clock.instant();
      next = b.created(now.isBefore(latest.created()) ? latest.created() : now).sign(key);
      next.verifySuccessorOf(latest);
    } catch (IllegalArgumentException e) {
      throw new EnrolmentException(EnrolmentException.Reason.INVALID, e.getMessage());
    } catch (RosterRejectedException e) {
      throw new EnrolmentException(EnrolmentException.Reason.INVALID, e.getMessage());
    }
    if (pairing != null) {
      store.put(PairingRecord.objectName(next.version()), PairingRecord.create(next, pairing).encode());
    }
    if (RosterStore.versions(store).contains(next.version())) {
      // the verified chain stopped before this version, so what is stored there did not verify
      store.put(RosterStore.objectName(next.version()), next.encoded());
    } else {
      RosterStore.publish(store, next);
    }
    return finish(Optional.of(latest), next, key, type, subject, next.signerDescription(latest));
  }

  private Change finish(Optional<Roster> previous, Roster next, SigningKey key, AuditEntry.Type type, byte[] subject,
      String by) throws IOException, MalformedDataException {
    AuditEntry entry = appendAudit(key, type, next, subject);
    StorePin base = trust.load(storeId).orElse(new StorePin(null, null, null));
    trust.save(storeId, base.withRoster(next.ref(), next.camera().orElse(null))
        .withAudit(new AuditHead(entry.sequence(), entry.hash())));
    return new Change(previous, next, by);
  }

  private AuditEntry appendAudit(SigningKey key, AuditEntry.Type type, Roster roster, byte[] subject)
      throws IOException, MalformedDataException {
    if (subject.length != 16) {
      throw new IllegalArgumentException("a key id is 16 bytes");
    }
    byte[] payload = ByteBuffer.allocate(ROSTER_CHANGE_BYTES).putLong(roster.version()).put(subject).array();
    return AuditLog.append(store, key, type, payload, clock);
  }

  private Roster latestFor(ViewerIdentity owner)
      throws IOException, TrustException, EnrolmentException {
    VerifiedStore view = open(null);
    Roster latest = view.roster().orElseThrow(() -> new EnrolmentException(EnrolmentException.Reason.NO_ROSTER,
        "the store has no roster: pair the camera first (device add --pair CODE)"));
    checkMaySign(latest, owner);
    return latest;
  }

  /**
   * Checks that {@code signer} may sign the version after {@code latest}: an owner of it, or its
   * recovery key.
   */
  public static void checkMaySign(Roster latest, ViewerIdentity signer) throws EnrolmentException {
    VerifyingKey k = signingKey(signer).verifyingKey();
    Optional<Roster.Member> m = latest.members().stream().filter(x -> x.verifyingKey().equals(k)).findFirst();
    boolean recovery = latest.recovery().map(r -> r.verifyingKey().equals(k)).orElse(false);
    if (m.isEmpty() && !recovery) {
      throw new EnrolmentException(EnrolmentException.Reason.NOT_AN_OWNER,
          "this identity is not an owner of roster version " + latest.version());
    }
    if (m.isPresent() && m.get().role() != Roster.Role.OWNER) {
      throw new EnrolmentException(EnrolmentException.Reason.NOT_AN_OWNER,
          "this identity is a viewer of roster version " + latest.version() + ", not an owner");
    }
  }

  /** The identity's Ed25519 key. */
  public static SigningKey signingKey(ViewerIdentity id) throws EnrolmentException {
    return id.signingKey().orElseThrow(() -> new EnrolmentException(EnrolmentException.Reason.NO_SIGNING_KEY,
        "this identity has no signing key (a version-1 key file): make a new one with keygen"));
  }

  private VerifyingKey cameraKey(PairingCode code, VerifyingKey given)
      throws IOException, TrustException, EnrolmentException, MalformedDataException {
    VerifyingKey cam = given;
    if (cam == null) {
      Optional<VerifyingKey> found = findCameraKey(store, code);
      if (found.isEmpty()) {
        long published = store.list(CAMERA_KEYS_PREFIX).size();
        if (published > 0) {
          throw new TrustException(TrustException.Reason.CAMERA_KEY, "no camera key in the store matches the pairing"
              + " code (" + published + " published: substituted, or another camera's code?)");
        }
        throw new EnrolmentException(EnrolmentException.Reason.NO_CAMERA_KEY, "the camera's public key is not in the"
            + " store: run camera init with --store, or give the camera's camera.pub");
      }
      cam = found.get();
    }
    if (!code.names(cam)) {
      throw new TrustException(TrustException.Reason.CAMERA_KEY,
          "the camera key (fingerprint " + cam.fingerprint() + ") is not the one the pairing code names: refusing it");
    }
    return cam;
  }

  /** Publishes a camera's public key for pairing ({@code pairing/KEYID.pub}, public data). */
  public static void publishCameraKey(SegmentStore store, VerifyingKey camera) throws IOException {
    store.put(CAMERA_KEYS_PREFIX + camera.keyIdHex() + ".pub", camera.rawBytes());
  }

  /** The published camera key the code names, if any (the store cannot substitute one: see the code). */
  public static Optional<VerifyingKey> findCameraKey(SegmentStore store, PairingCode code)
      throws IOException, MalformedDataException {
    for (StoredObject o : store.list(CAMERA_KEYS_PREFIX)) {
      if (!o.name().matches("pairing/[0-9a-f]{32}\\.pub")) {
        continue;
      }
      byte[] raw = store.readAll(o.name(), VerifyingKey.LENGTH);
      if (raw.length != VerifyingKey.LENGTH) {
        continue;
      }
      VerifyingKey k = VerifyingKey.fromRawBytes(raw);
      if (code.names(k)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** What {@link #share} made, and what the caller should tell the user. */
  public record Shared(ShareGrant grant, VerifiedStore view, List<String> notes) {
    public Shared {
      notes = java.util.Collections.unmodifiableList(new ArrayList<>(notes));
    }
  }

  /**
   * Exports a share grant under the household's rules: the store is opened through the one
   * verification path (this device's pins, {@code code} on a first contact); on a store with a
   * roster, {@code owner} must be an owner of the newest version, and the camera keys are the
   * ones the verified roster chain pins, no other; a stream whose signed manifests list segments
   * the store lacks is refused, so a grant never claims a range the store cut; the range is
   * resolved against the stream's segments ({@link StreamRange}). On a store without a roster
   * the camera keys are the ones published in the store (trust on first use, said in a note),
   * and the owner's key is published beside them. The grant is recorded in the audit log.
   *
   * @param owner the sharing owner
   * @param request what to share, with whom, and why (makes one grant)
   * @param code the enrolment code for this device's first contact with the store, or null
   * @return the grant (not yet written anywhere), the view, and notes for the user
   * @throws EnrolmentException if {@code owner} may not sign for the household, or has no
   *     signing key
   * @throws NoFootageException if the range selects nothing, or the stream has no signed chain
   * @throws TrustException if the store shows less than or other than this device pinned
   * @throws dev.obscura.core.IntegrityException if the chain or a segment does not verify
   * @throws KeyUnavailableException if the owner cannot open an epoch's envelope
   * @throws IOException if the store fails
   */
  public Shared share(ViewerIdentity owner, ShareRequest request, EnrolmentCode code)
      throws IOException, dev.obscura.core.ObscuraException {
    SigningKey ownerKey = signingKey(owner);
    VerifiedStore view = open(code);
    if (view.roster().isPresent()) {
      checkMaySign(view.roster().get(), owner);
    }
    StreamId stream = request.stream();
    List<String> notes = new ArrayList<>();
    EpochKeyResolver keys = view.epochKeys(owner);
    view.requireComplete(stream, clock.instant()).ifPresent(notes::add);
    List<SegmentHeader> headers;
    try (StreamReader listing = StreamReader.builder().store(store).stream(stream).resolver(keys).build()) {
      headers = listing.headers();
    }
    StreamRange.Resolved range = request.range().resolve(stream, headers);
    List<VerifyingKey> cameras = view.cameraKeys(stream);
    if (cameras.isEmpty()) {
      throw new NoFootageException(NoFootageException.Reason.NO_SIGNED_CHAIN,
          "stream " + stream + " has no signed chain (no camera key)");
    }
    if (view.roster().isEmpty()) {
      notes.add("the store has no roster, so the camera key is the one published in the store"
          + " (not verified); enrol devices and pin the camera to verify it");
      TrustOnFirstUseKeys.publishKey(store, ownerKey.verifyingKey()); // no roster to trust
    }
    ShareGrant.Builder b = ShareGrant.builder().store(store).stream(stream).timeRange(range.from(), range.to())
        .epochKeys(keys).cameraKeys(cameras).owner(ownerKey, owner.publicKey()).clock(clock).entropy(entropy);
    return new Shared(request.create(b), view, notes);
  }

  /**
   * Verifies a share grant as its recipient: the owner's signed record, the camera's signed
   * chain, every segment's digest and continuity, and decrypts the range. A recipient needs no
   * household: this is {@link ShareVerifier#verify(byte[], ViewerIdentity)}.
   *
   * @param grant the grant's bytes ({@link ShareVerifier#readGrant} reads a file with bounds)
   * @param recipient the recipient's identity
   * @return the verified share
   * @throws dev.obscura.core.ObscuraException if it does not parse, verify, or open for {@code recipient}
   */
  public static VerifiedShare verifyShare(byte[] grant, ViewerIdentity recipient)
      throws dev.obscura.core.ObscuraException {
    return new ShareVerifier().verify(grant, recipient);
  }

  /**
   * {@link #verifyShare(byte[], ViewerIdentity)} for a passphrase grant.
   *
   * @param grant the grant's bytes
   * @param passphrase the grant's passphrase; the caller erases it
   * @return the verified share
   * @throws dev.obscura.core.ObscuraException if it does not parse, verify, or open under the passphrase
   */
  public static VerifiedShare verifyShare(byte[] grant, byte[] passphrase) throws dev.obscura.core.ObscuraException {
    return new ShareVerifier().verifyWithPassphrase(grant, passphrase);
  }

  /** What {@link #audit()} found. */
  public record Audit(AuditReport log, VerifiedStore.EnvelopeAudit envelopes, VerifiedStore view,
      boolean trustedPublishedKeys, List<String> revokedSigners) {
    public Audit {
      revokedSigners = List.copyOf(revokedSigners);
    }

    /**
     * Whether the log and every envelope verified, no entry is signed by a device the roster the
     * log had reached revoked, and no epoch was sealed for a stale roster.
     */
    public boolean verified() {
      return log.verified() && envelopes.clean() && revokedSigners.isEmpty();
    }

    /**
     * Every problem, one line each, in a fixed order: the log's own, entries signed by revoked
     * devices, refused key envelopes, stale epochs. Empty exactly when {@link #verified()}.
     *
     * @return the problems
     */
    public List<String> problems() {
      List<String> out = new ArrayList<>(log.problems());
      out.addAll(revokedSigners);
      for (String p : envelopes.refused()) {
        out.add("key envelope " + p);
      }
      for (VerifiedStore.StaleEpoch st : envelopes.stale()) {
        out.add("stale epoch: " + st.describe());
      }
      return java.util.Collections.unmodifiableList(out);
    }
  }

  /**
   * Verifies the audit log (signers: every device, camera and recovery key of the verified roster
   * chain; on a store without a roster, the keys published in it, which {@link
   * Audit#trustedPublishedKeys()} says), against the head this device pinned, and every key
   * envelope ({@link VerifiedStore#auditEnvelopes}). Pins the new head when everything verified.
   */
  public Audit audit() throws IOException, TrustException, MalformedDataException {
    return audit(VerifiedStore.DEFAULT_GRACE);
  }

  /** {@link #audit()} with another grace period for stale epochs. */
  public Audit audit(java.time.Duration grace) throws IOException, TrustException, MalformedDataException {
    return audit(grace, null);
  }

  /**
   * {@link #audit()} with another grace period for stale epochs, and the enrolment code for this
   * device's first contact with the store.
   *
   * @param grace how long a camera may keep wrapping for an older roster
   * @param code the enrolment code, or null (a first contact is then trust on first use, which
   *     {@link VerifiedStore#firstContact()} of {@link Audit#view()} says)
   * @return what the audit found
   * @throws TrustException if the store shows less than or other than this device pinned
   * @throws IOException if the store fails
   * @throws MalformedDataException if a stored object does not parse
   */
  public Audit audit(java.time.Duration grace, EnrolmentCode code)
      throws IOException, TrustException, MalformedDataException {
    VerifiedStore view = VerifiedStore.builder().store(store).trust(trust, storeId).grace(grace)
        .enrolmentCode(code).open();
    List<VerifyingKey> trusted = new ArrayList<>();
    for (Roster r : view.chain()) {
      for (Roster.Member m : r.members()) {
        trusted.add(m.verifyingKey());
      }
      r.camera().ifPresent(trusted::add);
      r.recovery().ifPresent(k -> trusted.add(k.verifyingKey()));
    }
    boolean published = false;
    if (view.chain().isEmpty()) {
      trusted.addAll(TrustOnFirstUseKeys.allKeys(store));
      published = !trusted.isEmpty();
    }
    Optional<StorePin> pin = trust.load(storeId);
    AuditReport report = AuditLog.verify(store, trusted, pin.flatMap(StorePin::auditHead).orElse(null));
    VerifiedStore.EnvelopeAudit envelopes = view.auditEnvelopes();
    Audit a = new Audit(report, envelopes, view, published, revokedSigners(report, view.chain()));
    if (a.verified() && report.head().isPresent()) {
      StorePin base = trust.load(storeId).orElse(new StorePin(null, null, null));
      trust.save(storeId, base.withAudit(report.head().get()));
    }
    return a;
  }

  /**
   * Entries signed by a device that the roster the log had reached (the newest version a
   * roster-change entry before it names) lists as revoked: a revoked device signs nothing after
   * its revocation is in the log.
   */
  static List<String> revokedSigners(AuditReport report, List<Roster> chain) {
    List<String> out = new ArrayList<>();
    long reached = 0;
    for (AuditEntry e : report.entries()) {
      if (reached >= 1 && reached <= chain.size()) {
        byte[] id = e.actor().keyId();
        for (byte[] r : chain.get((int) (reached - 1)).revokedKeyIds()) {
          if (java.security.MessageDigest.isEqual(r, id)) {
            out.add("entry " + e.sequence() + " is signed by a device that roster version " + reached
                + " revoked (key " + e.actor().keyIdHex() + ")");
          }
        }
      }
      if (e.type() != AuditEntry.Type.SHARE && e.payload().length == ROSTER_CHANGE_BYTES) {
        reached = Math.max(reached, ByteBuffer.wrap(e.payload()).getLong());
      }
    }
    return out;
  }

  /**
   * An audit entry's payload in words: a share's grant, a roster change's version and key id,
   * else the first bytes in hex.
   *
   * @param e an entry
   * @return one line, empty for an empty payload
   */
  public static String describeEntry(AuditEntry e) {
    byte[] p = e.payload();
    if (e.type() == AuditEntry.Type.SHARE) {
      return ShareGrant.describeAuditPayload(p);
    }
    String roster = describe(e);
    if (roster != null) {
      return roster;
    }
    return p.length == 0 ? "" : "payload " + Hex.format(p, 0, Math.min(p.length, 16)) + (p.length > 16 ? "..." : "");
  }

  /** The roster-change payload in words, or null if {@code e} is not a roster change. */
  public static String describe(AuditEntry e) {
    byte[] p = e.payload();
    if (e.type() == AuditEntry.Type.SHARE || p.length != ROSTER_CHANGE_BYTES) {
      return null;
    }
    long version = ByteBuffer.wrap(p).getLong();
    return "roster version " + version + ", key id " + Hex.format(p, 8, p.length);
  }

  @Override
  public String toString() {
    return "Household[" + store + "]";
  }
}
