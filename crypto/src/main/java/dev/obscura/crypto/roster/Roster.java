package dev.obscura.crypto.roster;

import dev.obscura.crypto.internal.Sha256;
import java.util.stream.Collectors;
import java.util.Collections;
import dev.obscura.core.Bytes;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.RecoveryKey;
import dev.obscura.crypto.keys.Recipient;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.core.IntegrityException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import dev.obscura.core.Hex;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed, versioned list of a household's enrolled devices: the camera wraps each epoch key
 * to exactly these devices (and to the recovery key, if any).
 *
 * <p>Version 1 is signed by its own owner and pins the camera it was paired with (see {@link
 * dev.obscura.crypto.trust.PairingRecord}: the camera accepts it only with the pairing secret).
 * Version N+1 is valid only if it names version N's digest, and is signed by an owner of version N
 * that is still a member of N+1, or by version N's recovery key ({@link #verifySuccessorOf}). A
 * revoked device is listed by key id and can never sign again (unless an owner enrols it anew).
 *
 * <p><b>Time and camera key.</b> {@link #created()} is the time its signer signed it (signed, so
 * a store cannot move it). The camera key is in force from {@link #cameraSince()} on: the version
 * that pinned it. A successor that keeps the key keeps that version; one that pins another key
 * (a replaced camera) sets it to its own version, and the old key is retired from then on: its
 * envelopes for epochs begun after this roster was signed are refused by every reader.
 *
 * <p><b>Encoding</b> (canonical; big-endian; see {@code docs/spec/devices-and-roster-v1.md}):
 *
 * <pre>
 * "OBSR" | u8 format = 2 | u64 version (>= 1) | previous digest (32; zero iff version 1)
 * | i64 created = signed at (us since 1970) | u8 flags (bit 0 camera key, bit 1 recovery key)
 * | [camera Ed25519 key (32) | u64 camera since (1..version)] | [recovery key (89, RecoveryKey)]
 * | u16 member count (1..256) | member* | u16 revoked count (0..1024) | revoked key id (16)*
 * | signer key id (16) | Ed25519 signature (64) over every byte before it, purpose ROSTER
 * member = u8 role (1 owner, 2 viewer) | X25519 key (32) | Ed25519 key (32) | u8 n (0..64) | name (UTF-8, n)
 * </pre>
 *
 * Members are sorted by X25519 key (unsigned, strictly ascending), revoked key ids likewise;
 * there is at least one owner. {@link #digest()} = SHA-256("obscura/v1 roster" || encoding).
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * Roster v1 = Roster.genesis().add(phone.publicKey(), Roster.Role.OWNER, "phone").sign(phone.signingKey().get());
 * Roster v2 = v1.next().add(tablet, Roster.Role.VIEWER, "tablet").sign(phone.signingKey().get());
 * v2.verifySuccessorOf(v1);
 * }</pre>
 */
public final class Roster {
  public static final int FORMAT = 2;
  public static final int MAX_MEMBERS = 256;
  public static final int MAX_REVOKED = 1024;
  public static final int MAX_NAME_BYTES = 64;
  /** The largest valid encoding. */
  public static final int MAX_ENCODED_BYTES =
      54 + 40 + RecoveryKey.ENCODED_BYTES + 2 + MAX_MEMBERS * (66 + MAX_NAME_BYTES) + 2 + MAX_REVOKED * 16 + 80;
  private static final byte[] MAGIC = {'O', 'B', 'S', 'R'};
  private static final byte[] DIGEST_LABEL = "obscura/v1 roster".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_ID = 16;
  private static final Comparator<byte[]> UNSIGNED = Bytes::compareUnsigned;

  /** What a member may do. */
  public enum Role {
    /** May sign the next roster (enrol and revoke devices). */
    OWNER(1),
    /** May watch. */
    VIEWER(2);

    final int code;

    Role(int code) {
      this.code = code;
    }
  }

  /** One enrolled device. */
  public record Member(ViewerPublicKey key, Role role, String name) {
    public Member {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(role, "role");
      name = name == null ? "" : name;
      if (!key.verifyingKey().isPresent()) {
        throw new IllegalArgumentException("a roster member needs an Ed25519 key (a device key of version 1 has none)");
      }
      if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES || name.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("a member name is at most 64 UTF-8 bytes without control characters");
      }
    }

    public VerifyingKey verifyingKey() {
      return key.verifyingKey().get();
    }

    /** The device's safety number. */
    public String fingerprint() {
      return key.fingerprint();
    }
  }

  private final long version;
  private final byte[] previousDigest;
  private final Instant created;
  private final VerifyingKey camera;
  private final long cameraSince;
  private final RecoveryKey recovery;
  private final List<Member> members;
  private final List<byte[]> revoked;
  private final byte[] signerKeyId;
  private final byte[] signature;
  private final byte[] encoded;
  private final byte[] digest;

  private Roster(long version, byte[] previousDigest, Instant created, VerifyingKey camera, long cameraSince,
      RecoveryKey recovery, List<Member> members, List<byte[]> revoked, byte[] signerKeyId, byte[] signature,
      byte[] encoded) {
    this.version = version;
    this.previousDigest = previousDigest;
    this.created = created;
    this.camera = camera;
    this.cameraSince = cameraSince;
    this.recovery = recovery;
    this.members = List.copyOf(members);
    this.revoked = List.copyOf(revoked);
    this.signerKeyId = signerKeyId;
    this.signature = signature;
    this.encoded = encoded;
    this.digest = Sha256.digest(DIGEST_LABEL, encoded);
  }

  /** A builder for version 1 (camera setup). */
  public static Builder genesis() {
    return new Builder(1, new byte[32], null, 0, null, List.of(), List.of());
  }

  /** A builder for the next version, starting from this roster's contents. */
  public Builder next() {
    return new Builder(version + 1, digest.clone(), camera, cameraSince, recovery, members, revoked);
  }

  /** Builds and signs a roster. */
  public static final class Builder {
    private final long version;
    private final byte[] previous;
    private VerifyingKey camera;
    private long cameraSince;
    private RecoveryKey recovery;
    private final List<Member> members;
    private final List<byte[]> revoked;
    private Instant created = Instant.now();

    private Builder(long version, byte[] previous, VerifyingKey camera, long cameraSince, RecoveryKey recovery,
        List<Member> members, List<byte[]> revoked) {
      this.version = version;
      this.previous = previous;
      this.camera = camera;
      this.cameraSince = cameraSince;
      this.recovery = recovery;
      this.members = new ArrayList<>(members);
      this.revoked = new ArrayList<>(revoked);
    }

    /** Enrols a device (replacing an entry with the same X25519 key); un-revokes it. */
    public Builder add(ViewerPublicKey key, Role role, String name) {
      Member m = new Member(key, role, name);
      members.removeIf(x -> Arrays.equals(x.key().rawBytes(), key.rawBytes()));
      byte[] id = m.verifyingKey().keyId();
      revoked.removeIf(r -> Arrays.equals(r, id));
      members.add(m);
      return this;
    }

    /**
     * Revokes a device: removes it and lists its signing key id as revoked.
     *
     * @throws IllegalArgumentException if it is not a member
     */
    public Builder revoke(ViewerPublicKey key) {
      Member m = members.stream().filter(x -> Arrays.equals(x.key().rawBytes(), key.rawBytes()))
          .findFirst().orElseThrow(() -> new IllegalArgumentException("not a member: " + key.fingerprint()));
      members.remove(m);
      byte[] id = m.verifyingKey().keyId();
      if (revoked.stream().noneMatch(r -> Arrays.equals(r, id))) {
        revoked.add(id);
      }
      return this;
    }

    /**
     * Pins the camera's key (viewers then accept only envelopes it signed). A key other than the
     * one in force is in force from this version on, and retires the old one.
     */
    public Builder camera(VerifyingKey camera) {
      Objects.requireNonNull(camera, "camera");
      if (!camera.equals(this.camera)) {
        this.cameraSince = version;
      }
      this.camera = camera;
      return this;
    }

    /** The version the camera key is in force from (tests build inconsistent rosters with it). */
    Builder cameraSince(long since) {
      this.cameraSince = since;
      return this;
    }

    /** Sets (or with null, removes) the recovery key. */
    public Builder recovery(RecoveryKey recovery) {
      this.recovery = recovery;
      return this;
    }

    /** The signing time (default: now). */
    public Builder created(Instant created) {
      this.created = Objects.requireNonNull(created, "created");
      return this;
    }

    /**
     * Signs the roster with {@code signer}. Whether the signer is allowed to is checked by
     * readers ({@link #verifySuccessorOf}), not here, so tests can build hostile rosters.
     *
     * @throws IllegalArgumentException if there are no members, no owner, too many, or two
     *     members share an Ed25519 key
     */
    public Roster sign(SigningKey signer) {
      Objects.requireNonNull(signer, "signer");
      byte[] body = encodeBody(version, previous, created, camera, cameraSince, recovery, members, revoked,
          signer.verifyingKey().keyId());
      byte[] sig = signer.sign(SignaturePurpose.ROSTER, body);
      byte[] all = Arrays.copyOf(body, body.length + sig.length);
      System.arraycopy(sig, 0, all, body.length, sig.length);
      try {
        return parse(all);
      } catch (MalformedDataException e) {
        throw new IllegalArgumentException("invalid roster: " + e.getMessage());
      }
    }

    /** The bytes that would be signed, with a given signer key id and signature (tests build forgeries with it). */
    byte[] encodeWith(byte[] signerKeyId, byte[] signature) {
      byte[] body = encodeBody(version, previous, created, camera, cameraSince, recovery, members, revoked,
          signerKeyId);
      byte[] all = Arrays.copyOf(body, body.length + signature.length);
      System.arraycopy(signature, 0, all, body.length, signature.length);
      return all;
    }
  }

  private static byte[] encodeBody(long version, byte[] previous, Instant created, VerifyingKey camera,
      long cameraSince, RecoveryKey recovery, List<Member> members, List<byte[]> revoked, byte[] signerKeyId) {
    if (members.isEmpty() || members.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException("a roster has 1 to " + MAX_MEMBERS + " members");
    }
    if (revoked.size() > MAX_REVOKED) {
      throw new IllegalArgumentException("a roster lists at most " + MAX_REVOKED + " revoked keys");
    }
    List<Member> sorted = new ArrayList<>(members);
    sorted.sort((a, b) -> Bytes.compareUnsigned(a.key().rawBytes(), b.key().rawBytes()));
    List<byte[]> rev = new ArrayList<>(revoked);
    rev.sort(UNSIGNED);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeByte(FORMAT);
      out.writeLong(version);
      out.write(previous);
      out.writeLong(micros(created));
      out.writeByte((camera != null ? 1 : 0) | (recovery != null ? 2 : 0));
      if (camera != null) {
        out.write(camera.rawBytes());
        out.writeLong(cameraSince);
      }
      if (recovery != null) {
        out.write(recovery.encode());
      }
      out.writeShort(sorted.size());
      for (Member m : sorted) {
        out.writeByte(m.role().code);
        out.write(m.key().rawBytes());
        out.write(m.verifyingKey().rawBytes());
        byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
        out.writeByte(name.length);
        out.write(name);
      }
      out.writeShort(rev.size());
      for (byte[] r : rev) {
        out.write(r);
      }
      out.write(signerKeyId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static long micros(Instant t) {
    Instant u = t.truncatedTo(ChronoUnit.MICROS);
    return Math.addExact(Math.multiplyExact(u.getEpochSecond(), 1_000_000L), u.getNano() / 1000);
  }

  /**
   * Parses a roster and checks its structure (not its signature: see {@link #verifyGenesis()} and
   * {@link #verifySuccessorOf}).
   *
   * @throws MalformedDataException if it is too long, cut short, not canonical, has duplicate or
   *     unsorted members, no owner, bad keys or names, or trailing bytes
   */
  public static Roster parse(byte[] encoded) throws MalformedDataException {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length > MAX_ENCODED_BYTES) {
      throw new MalformedDataException("roster is " + encoded.length + " bytes, over " + MAX_ENCODED_BYTES);
    }
    ByteBuffer b = ByteBuffer.wrap(encoded);
    try {
      byte[] magic = new byte[4];
      b.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new MalformedDataException("not a roster (bad magic)");
      }
      int format = b.get() & 0xff;
      if (format != FORMAT) {
        throw new MalformedDataException("unsupported roster format " + format);
      }
      long version = b.getLong();
      if (version < 1) {
        throw new MalformedDataException("roster version must be >= 1");
      }
      byte[] previous = new byte[32];
      b.get(previous);
      boolean zero = Arrays.equals(previous, new byte[32]);
      if ((version == 1) != zero) {
        throw new MalformedDataException("roster previous digest must be zero exactly for version 1");
      }
      long micros = b.getLong();
      Instant created = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
      int flags = b.get() & 0xff;
      if ((flags & ~3) != 0) {
        throw new MalformedDataException("roster has unknown flags");
      }
      VerifyingKey camera = null;
      long cameraSince = 0;
      if ((flags & 1) != 0) {
        byte[] c = new byte[32];
        b.get(c);
        camera = VerifyingKey.fromRawBytes(c);
        cameraSince = b.getLong();
        if (cameraSince < 1 || cameraSince > version) {
          throw new MalformedDataException("roster camera key is in force from version " + cameraSince
              + ", outside 1.." + version);
        }
      }
      RecoveryKey recovery = null;
      if ((flags & 2) != 0) {
        byte[] r = new byte[RecoveryKey.ENCODED_BYTES];
        b.get(r);
        try {
          recovery = RecoveryKey.decode(r);
        } catch (IllegalArgumentException e) {
          throw new MalformedDataException("roster has an invalid recovery key: " + e.getMessage());
        }
      }
      int count = b.getShort() & 0xffff;
      if (count < 1 || count > MAX_MEMBERS) {
        throw new MalformedDataException("roster has " + count + " members, allowed 1.." + MAX_MEMBERS);
      }
      if ((long) count * 66 > b.remaining()) {
        throw new MalformedDataException("roster cut short: " + count + " members announced");
      }
      List<Member> members = new ArrayList<>(count);
      byte[] last = null;
      boolean owner = false;
      var decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
      for (int i = 0; i < count; i++) {
        int role = b.get() & 0xff;
        if (role != 1 && role != 2) {
          throw new MalformedDataException("roster member " + i + " has unknown role " + role);
        }
        owner |= role == 1;
        byte[] x = new byte[32];
        byte[] ed = new byte[32];
        b.get(x).get(ed);
        if (last != null && Bytes.compareUnsigned(last, x) >= 0) {
          throw new MalformedDataException("roster members are not sorted or repeat");
        }
        last = x;
        int n = b.get() & 0xff;
        if (n > MAX_NAME_BYTES) {
          throw new MalformedDataException("roster member name too long");
        }
        byte[] nb = new byte[n];
        b.get(nb);
        String name;
        try {
          name = decoder.decode(ByteBuffer.wrap(nb)).toString();
        } catch (CharacterCodingException e) {
          throw new MalformedDataException("roster member name is not UTF-8");
        }
        try {
          members.add(new Member(ViewerPublicKey.fromRawBytes(x, VerifyingKey.fromRawBytes(ed)),
              role == 1 ? Role.OWNER : Role.VIEWER, name));
        } catch (IllegalArgumentException e) {
          throw new MalformedDataException("roster member " + i + " is invalid: " + e.getMessage());
        }
      }
      if (!owner) {
        throw new MalformedDataException("roster has no owner");
      }
      long distinct = members.stream().map(m -> Hex.format(m.verifyingKey().rawBytes())).distinct().count();
      if (distinct != members.size()) {
        throw new MalformedDataException("two roster members share an Ed25519 key");
      }
      int rcount = b.getShort() & 0xffff;
      if (rcount > MAX_REVOKED || (long) rcount * KEY_ID > b.remaining()) {
        throw new MalformedDataException("roster revoked list too long or cut short");
      }
      List<byte[]> revoked = new ArrayList<>(rcount);
      byte[] lastR = null;
      for (int i = 0; i < rcount; i++) {
        byte[] r = new byte[KEY_ID];
        b.get(r);
        if (lastR != null && Bytes.compareUnsigned(lastR, r) >= 0) {
          throw new MalformedDataException("roster revoked list is not sorted or repeats");
        }
        for (Member m : members) {
          if (Arrays.equals(m.verifyingKey().keyId(), r)) {
            throw new MalformedDataException("a roster member is also listed as revoked");
          }
        }
        lastR = r;
        revoked.add(r);
      }
      byte[] signer = new byte[KEY_ID];
      b.get(signer);
      byte[] sig = new byte[VerifyingKey.SIGNATURE_LENGTH];
      b.get(sig);
      if (b.hasRemaining()) {
        throw new MalformedDataException("roster has " + b.remaining() + " bytes after its signature");
      }
      Roster r = new Roster(version, previous, created, camera, cameraSince, recovery, members, revoked, signer, sig,
          encoded.clone());
      byte[] canonical = encodeBody(version, previous, created, camera, cameraSince, recovery, members, revoked,
          signer);
      if (!Bytes.regionEquals(canonical, 0, encoded, 0, canonical.length)) {
        throw new MalformedDataException("roster is not in canonical form");
      }
      return r;
    } catch (java.nio.BufferUnderflowException e) {
      throw new MalformedDataException("roster cut short");
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new MalformedDataException("roster has an invalid time");
    }
  }

  /**
   * Checks a version-1 roster: signed by one of its own owners.
   *
   * @throws RosterRejectedException if it is not version 1 or not validly self-signed
   */
  public void verifyGenesis() throws RosterRejectedException {
    if (version != 1) {
      throw new RosterRejectedException(RosterRejectedException.Reason.NOT_SUCCESSOR, version,
          "the first trusted roster must be version 1");
    }
    signedByOwner();
  }

  /**
   * Checks that this roster is signed by one of its own owners (what a camera checks of the roster
   * its pairing secret authenticates, whatever its version; a recovered identity enrols a new
   * owner device, which then pairs the camera).
   *
   * @throws RosterRejectedException if not
   */
  public void verifySelfSigned() throws RosterRejectedException {
    signedByOwner();
  }

  private void signedByOwner() throws RosterRejectedException {
    Optional<Member> signer = memberBySigner(signerKeyId);
    if (!signer.isPresent()) {
      throw new RosterRejectedException(RosterRejectedException.Reason.SIGNER_NOT_MEMBER, version,
          "not signed by one of its members");
    }
    if (signer.get().role() != Role.OWNER) {
      throw new RosterRejectedException(RosterRejectedException.Reason.SIGNER_NOT_OWNER, version,
          "signed by a viewer, not an owner");
    }
    checkSignature(signer.get().verifyingKey());
  }

  /**
   * Checks that this roster is a valid successor of {@code previous}: version + 1, names its
   * digest, signed by an owner of {@code previous} that is still a member here, or by {@code
   * previous}'s recovery key.
   *
   * @throws RosterRejectedException with the reason otherwise
   */
  public void verifySuccessorOf(Roster previous) throws RosterRejectedException {
    Objects.requireNonNull(previous, "previous");
    if (version <= previous.version) {
      throw new RosterRejectedException(RosterRejectedException.Reason.ROLLBACK, version,
          "not newer than the trusted version " + previous.version);
    }
    if (version != previous.version + 1 || !MessageDigest.isEqual(previousDigest, previous.digest)) {
      throw new RosterRejectedException(RosterRejectedException.Reason.NOT_SUCCESSOR, version,
          "does not follow the trusted version " + previous.version);
    }
    boolean sameCamera = Objects.equals(camera, previous.camera);
    if (previous.camera != null && camera == null) {
      throw new RosterRejectedException(RosterRejectedException.Reason.NOT_SUCCESSOR, version,
          "drops the camera key pinned by version " + previous.version);
    }
    if (camera != null && cameraSince != (sameCamera ? previous.cameraSince : version)) {
      throw new RosterRejectedException(RosterRejectedException.Reason.NOT_SUCCESSOR, version,
          "names the wrong version its camera key is in force from");
    }
    if (created.isBefore(previous.created)) {
      throw new RosterRejectedException(RosterRejectedException.Reason.NOT_SUCCESSOR, version,
          "was signed before the version it follows");
    }
    VerifyingKey key;
    Optional<Member> signer = previous.memberBySigner(signerKeyId);
    if (signer.isPresent()) {
      if (signer.get().role() != Role.OWNER) {
        throw new RosterRejectedException(RosterRejectedException.Reason.SIGNER_NOT_OWNER, version,
            "signed by a viewer, not an owner");
      }
      if (!memberBySigner(signerKeyId).isPresent()) {
        throw new RosterRejectedException(RosterRejectedException.Reason.SIGNER_REMOVED, version,
            "the signing owner is not a member of the new roster");
      }
      key = signer.get().verifyingKey();
    } else if (previous.recovery != null
        && MessageDigest.isEqual(previous.recovery.verifyingKey().keyId(), signerKeyId)) {
      key = previous.recovery.verifyingKey();
    } else if (previous.revoked.stream().anyMatch(r -> MessageDigest.isEqual(r, signerKeyId))) {
      throw new RosterRejectedException(RosterRejectedException.Reason.SIGNER_REVOKED, version,
          "signed by a revoked device");
    } else {
      throw new RosterRejectedException(RosterRejectedException.Reason.SIGNER_NOT_MEMBER, version,
          "signed by a key that is not an owner of version " + previous.version);
    }
    checkSignature(key);
  }

  private void checkSignature(VerifyingKey key) throws RosterRejectedException {
    try {
      key.verify(SignaturePurpose.ROSTER, Arrays.copyOf(encoded, encoded.length - signature.length), signature);
    } catch (IntegrityException e) {
      throw new RosterRejectedException(RosterRejectedException.Reason.BAD_SIGNATURE, version,
          "the signature does not verify (unsigned or altered)");
    }
  }

  private Optional<Member> memberBySigner(byte[] keyId) {
    for (Member m : members) {
      if (MessageDigest.isEqual(m.verifyingKey().keyId(), keyId)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  public long version() {
    return version;
  }

  /** The digest of the previous version (zero for version 1), a copy. */
  public byte[] previousDigest() {
    return previousDigest.clone();
  }

  public Instant created() {
    return created;
  }

  /** The pinned camera key, if any. */
  public Optional<VerifyingKey> camera() {
    return Optional.ofNullable(camera);
  }

  /** The version the camera key is in force from (0 if no camera key is pinned). */
  public long cameraSince() {
    return cameraSince;
  }

  /** Who may be wrapped to when the camera has no fresh roster: the owners and the recovery key. */
  public List<Recipient> ownerRecipients() {
    List<Recipient> out = new ArrayList<>();
    for (Member m : members) {
      if (m.role() == Role.OWNER) {
        out.add(m.key());
      }
    }
    if (recovery != null) {
      out.add(recovery.recipient());
    }
    return out;
  }

  /** This roster's version and digest, as an envelope names it. */
  public RosterRef ref() {
    return new RosterRef(version, digest);
  }

  /** The recovery key, if any. */
  public Optional<RecoveryKey> recovery() {
    return Optional.ofNullable(recovery);
  }

  /** Members sorted by X25519 key. */
  public List<Member> members() {
    return members;
  }

  /** Ed25519 key ids of revoked devices (copies). */
  public List<byte[]> revokedKeyIds() {
    return Collections.unmodifiableList(revoked.stream().map(byte[]::clone).collect(Collectors.toList()));
  }

  /** Whether {@code key} (its X25519 key) is a member. */
  public Optional<Member> member(ViewerPublicKey key) {
    return members.stream().filter(m -> Arrays.equals(m.key().rawBytes(), key.rawBytes())).findFirst();
  }

  /** Key id of the signer (a copy). */
  public byte[] signerKeyId() {
    return signerKeyId.clone();
  }

  /** Who signed it, in words: a member's name and fingerprint, or "recovery key", or the key id. */
  public String signerDescription(Roster previous) {
    Roster where = previous == null ? this : previous;
    Optional<Member> m = where.memberBySigner(signerKeyId);
    if (m.isPresent()) {
      return (m.get().name().isEmpty() ? "device" : m.get().name()) + " (" + m.get().fingerprint() + ")";
    }
    if (where.recovery != null && MessageDigest.isEqual(where.recovery.verifyingKey().keyId(), signerKeyId)) {
      return "the recovery key";
    }
    return "key " + Hex.format(signerKeyId);
  }

  /** Every recipient of the epoch keys: the members, then the recovery key. */
  public List<Recipient> recipients() {
    List<Recipient> out = new ArrayList<>();
    for (Member m : members) {
      out.add(m.key());
    }
    if (recovery != null) {
      out.add(recovery.recipient());
    }
    return out;
  }

  /** The canonical encoding (a copy). */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** SHA-256("obscura/v1 roster" || encoding), a copy. */
  public byte[] digest() {
    return digest.clone();
  }

  /** The roster's safety number: six groups of five digits of {@link #digest()}. */
  public String fingerprint() {
    return VerifyingKey.fingerprintDigits(digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Roster r && Arrays.equals(r.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "Roster[v" + version + ", " + members.size() + " members, " + fingerprint() + "]";
  }
}
