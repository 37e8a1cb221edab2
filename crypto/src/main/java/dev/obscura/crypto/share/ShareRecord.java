package dev.obscura.crypto.share;

import dev.obscura.crypto.internal.Sha256;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import dev.obscura.core.Hex;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The owner's signed statement of a consented share: who shared (the owner's device: its Ed25519
 * key, which signs, and its X25519 key, so that the record shows the device fingerprint that
 * {@code keygen} and {@code device list} show), with whom (a viewer's public key, or "whoever
 * knows the passphrase", with the Argon2id salt and
 * costs), what (a stream, a run of sequence numbers, the time range asked for, and the digest of
 * every segment), when (creation time), why (a reason text), and which camera keys the owner
 * vouches for. The layout is in {@code docs/spec/share-grant-v1.md}, section 3.
 *
 * <p><b>Security guarantees:</b> {@link #parse} followed by {@link #verifySignature} accepts only
 * a record whose every byte the owner signed for {@link SignaturePurpose#SHARE_RECORD}; the
 * digests pin exactly which segments were shared.
 *
 * <p><b>Restrictions:</b> the record is not encrypted: whoever holds the grant file reads the
 * reason text and the range. The owner key in the record is only as trustworthy as the way the
 * recipient learned it (compare {@link #ownerFingerprint()} out of band, or pass the expected
 * key to {@link ShareVerifier}). Version-1 records (still read) name the owner's Ed25519 key
 * only: their {@link #ownerFingerprint()} is that key's, not the device's.
 */
public final class ShareRecord {
  /** What the grant's key is wrapped to. */
  public enum RecipientKind {
    /** HPKE to a viewer's X25519 public key. */
    VIEWER_KEY(1),
    /** AES-256-GCM under Argon2id of a passphrase. */
    PASSPHRASE(2);

    final int code;

    RecipientKind(int code) {
      this.code = code;
    }
  }

  static final byte[] MAGIC = {'O', 'B', 'S', 'R'};
  /** The version this code writes: the owner's X25519 key follows its Ed25519 key. */
  static final int VERSION = 2;
  /** The previous version, still read: the owner's Ed25519 key only. */
  static final int VERSION_1 = 1;
  /** The most segments one grant shares. */
  public static final int MAX_SEGMENTS = 20_000;
  /** The most camera keys one record names. */
  public static final int MAX_CAMERAS = 16;
  /** The longest reason text, in UTF-8 bytes. */
  public static final int MAX_REASON_BYTES = 1024;
  static final int GRANT_ID_BYTES = 16;
  /** The largest encoded record body. */
  static final int MAX_BODY_BYTES = 4 + 1 + GRANT_ID_BYTES + 8 + 32 + 32 + 1 + 32 * MAX_CAMERAS
      + 1 + 65 + 1 + 64 + 32 + 32 * MAX_SEGMENTS + 2 + MAX_REASON_BYTES;
  private static final byte[] HASH_LABEL =
      "obscura/v1 share record".getBytes(StandardCharsets.US_ASCII);

  private final int version;
  private final byte[] grantId;
  private final Instant created;
  private final VerifyingKey owner;
  private final ViewerPublicKey ownerDevice; // null in a version-1 record
  private final List<VerifyingKey> cameras;
  private final RecipientKind recipientKind;
  private final ViewerPublicKey recipientKey;
  private final byte[] salt;
  private final Argon2idParams cost;
  private final StreamId stream;
  private final long firstSequence;
  private final long lastSequence;
  private final Instant from;
  private final Instant to;
  private final byte[][] digests;
  private final String reason;
  private final byte[] body;
  private final byte[] signature;

  private ShareRecord(int version, byte[] grantId, Instant created, VerifyingKey owner,
      ViewerPublicKey ownerDevice, List<VerifyingKey> cameras, RecipientKind recipientKind,
      ViewerPublicKey recipientKey,
      byte[] salt, Argon2idParams cost, StreamId stream, long firstSequence, long lastSequence,
      Instant from, Instant to, byte[][] digests, String reason, byte[] body, byte[] signature) {
    this.version = version;
    this.grantId = grantId;
    this.created = created;
    this.owner = owner;
    this.ownerDevice = ownerDevice;
    this.cameras = cameras;
    this.recipientKind = recipientKind;
    this.recipientKey = recipientKey;
    this.salt = salt;
    this.cost = cost;
    this.stream = stream;
    this.firstSequence = firstSequence;
    this.lastSequence = lastSequence;
    this.from = from;
    this.to = to;
    this.digests = digests;
    this.reason = reason;
    this.body = body;
    this.signature = signature;
  }

  /** Everything a record says, before it is signed. Package-private: built by ShareGrant. */
  record Fields(byte[] grantId, Instant created, List<VerifyingKey> cameras,
      RecipientKind recipientKind, ViewerPublicKey recipientKey, byte[] salt, Argon2idParams cost,
      StreamId stream, long firstSequence, Instant from, Instant to, List<byte[]> digests,
      String reason) {}

  /**
   * Signs {@code f} with {@code owner}, naming {@code ownerDevice} (the owner's device public key,
   * whose Ed25519 key is {@code owner}'s) as who shared.
   */
  static ShareRecord sign(Fields f, SigningKey owner, ViewerPublicKey ownerDevice) {
    if (!ownerDevice.verifyingKey().map(owner.verifyingKey()::equals).orElse(false)) {
      throw new IllegalArgumentException(
          "the owner's device key does not carry the owner's signing key");
    }
    byte[] reasonBytes = f.reason().getBytes(StandardCharsets.UTF_8);
    if (reasonBytes.length > MAX_REASON_BYTES) {
      throw new IllegalArgumentException("reason must be at most " + MAX_REASON_BYTES + " bytes");
    }
    if (f.cameras().isEmpty() || f.cameras().size() > MAX_CAMERAS) {
      throw new IllegalArgumentException("a record names 1.." + MAX_CAMERAS + " camera keys");
    }
    if (f.digests().isEmpty() || f.digests().size() > MAX_SEGMENTS) {
      throw new IllegalArgumentException("a grant shares 1.." + MAX_SEGMENTS + " segments");
    }
    long last = f.firstSequence() + f.digests().size() - 1;
    Wire.Out o = new Wire.Out(256 + 32 * f.digests().size());
    o.bytes(MAGIC).u8(VERSION).bytes(f.grantId()).u64(Wire.toMicros(f.created()));
    o.bytes(owner.verifyingKey().rawBytes()).bytes(ownerDevice.rawBytes());
    o.u8(f.cameras().size());
    for (VerifyingKey c : f.cameras()) {
      o.bytes(c.rawBytes());
    }
    o.u8(f.recipientKind().code);
    if (f.recipientKind() == RecipientKind.VIEWER_KEY) {
      o.bytes(f.recipientKey().rawBytes());
      Optional<VerifyingKey> device = deviceKeyOf(f.recipientKey());
      o.u8(device.isPresent() ? 1 : 0);
      device.ifPresent(k -> o.bytes(k.rawBytes()));
    } else {
      o.bytes(f.salt()).u32(f.cost().memoryKib()).u32(f.cost().iterations())
          .u8(f.cost().parallelism());
    }
    byte[] sid = f.stream().toBytes();
    o.u8(sid.length).bytes(sid).u64(f.firstSequence()).u64(last);
    o.u64(Wire.toMicros(f.from())).u64(Wire.toMicros(f.to()));
    for (byte[] d : f.digests()) {
      if (d.length != 32) {
        throw new IllegalArgumentException("a segment digest is 32 bytes");
      }
      o.bytes(d);
    }
    o.u16(reasonBytes.length).bytes(reasonBytes);
    byte[] body = o.toByteArray();
    byte[] sig = owner.sign(SignaturePurpose.SHARE_RECORD, body);
    try {
      // the writer may choose costs below the readers' floor (tests do): only readers refuse them
      return parse(body, sig, Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS);
    } catch (MalformedDataException e) {
      throw new IllegalStateException("a record this code wrote does not parse", e);
    }
  }

  /**
   * Parses a record body and its signature, without verifying the signature.
   *
   * @throws MalformedDataException if the body is not a version-2 (or version-1) share record
   */
  static ShareRecord parse(byte[] body, byte[] signature) throws MalformedDataException {
    return parse(body, signature, Argon2idParams.Floor.DEFAULT);
  }

  /**
   * As {@link #parse(byte[], byte[])}, refusing passphrase costs below {@code floor} (instead of
   * {@link Argon2idParams.Floor#DEFAULT}).
   */
  static ShareRecord parse(byte[] body, byte[] signature, Argon2idParams.Floor floor)
      throws MalformedDataException {
    if (body.length > MAX_BODY_BYTES) {
      throw new MalformedDataException("share record larger than " + MAX_BODY_BYTES + " bytes");
    }
    if (signature.length != VerifyingKey.SIGNATURE_LENGTH) {
      throw new MalformedDataException("share record signature has the wrong length");
    }
    Wire.In in = new Wire.In(body, "share record");
    if (!Arrays.equals(in.bytes(4), MAGIC)) {
      throw new MalformedDataException("not a share record (bad magic)");
    }
    int version = in.u8();
    if (version != VERSION && version != VERSION_1) {
      throw new MalformedDataException("unsupported share record version " + version);
    }
    byte[] grantId = in.bytes(GRANT_ID_BYTES);
    Instant created = instant(in.u64());
    VerifyingKey owner = VerifyingKey.fromRawBytes(in.bytes(32));
    ViewerPublicKey ownerDevice = null;
    if (version >= VERSION) {
      try {
        ownerDevice = ViewerPublicKey.fromRawBytes(in.bytes(32), owner);
      } catch (IllegalArgumentException e) {
        throw new MalformedDataException("share record names an unusable owner X25519 key");
      }
    }
    int nc = in.u8();
    if (nc < 1 || nc > MAX_CAMERAS) {
      throw new MalformedDataException("share record names " + nc + " camera keys");
    }
    List<VerifyingKey> cameras = new ArrayList<>(nc);
    for (int i = 0; i < nc; i++) {
      cameras.add(VerifyingKey.fromRawBytes(in.bytes(32)));
    }
    int kind = in.u8();
    RecipientKind recipientKind;
    ViewerPublicKey recipientKey = null;
    byte[] salt = null;
    Argon2idParams cost = null;
    if (kind == RecipientKind.VIEWER_KEY.code) {
      recipientKind = RecipientKind.VIEWER_KEY;
      try {
        byte[] x25519 = in.bytes(32);
        int flag = in.u8();
        if (flag > 1) {
          throw new MalformedDataException("share record has a bad recipient device-key flag");
        }
        recipientKey = viewerKey(x25519, flag == 1 ? VerifyingKey.fromRawBytes(in.bytes(32)) : null);
      } catch (IllegalArgumentException e) {
        throw new MalformedDataException("share record names an unusable recipient key");
      }
    } else if (kind == RecipientKind.PASSPHRASE.code) {
      recipientKind = RecipientKind.PASSPHRASE;
      salt = in.bytes(Argon2idParams.SALT_BYTES);
      long m = in.u32();
      long t = in.u32();
      int p = in.u8();
      try {
        cost = Argon2idParams.read(m, t, p, floor);
      } catch (IllegalArgumentException e) {
        throw new MalformedDataException("share record asks for refused passphrase costs: "
            + e.getMessage());
      }
    } else {
      throw new MalformedDataException("share record has unknown recipient type " + kind);
    }
    int n = in.u8();
    if (n < 1 || n > StreamId.MAX_LENGTH) {
      throw new MalformedDataException("share record has a stream id length of " + n);
    }
    StreamId stream;
    try {
      stream = new StreamId(new String(in.bytes(n), StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("share record has an invalid stream id");
    }
    long first = in.u64();
    long last = in.u64();
    if (first < 0 || last < first || last - first >= MAX_SEGMENTS) {
      throw new MalformedDataException("share record has an invalid sequence range");
    }
    Instant from = instant(in.u64());
    Instant to = instant(in.u64());
    int count = (int) (last - first + 1);
    if ((long) count * 32 > in.remaining()) {
      throw new MalformedDataException("share record cut short");
    }
    byte[][] digests = new byte[count][];
    for (int i = 0; i < count; i++) {
      digests[i] = in.bytes(32);
    }
    int rl = in.u16();
    if (rl > MAX_REASON_BYTES) {
      throw new MalformedDataException("share record reason longer than " + MAX_REASON_BYTES);
    }
    String reason;
    try {
      reason = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(in.bytes(rl))).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedDataException("share record reason is not UTF-8");
    }
    in.end();
    return new ShareRecord(version, grantId, created, owner, ownerDevice, List.copyOf(cameras),
        recipientKind,
        recipientKey, salt, cost, stream, first, last, from, to, digests, reason, body.clone(),
        signature.clone());
  }

  /** The Ed25519 key of the recipient device, when its public key carries one (version-2 keys do). */
  static Optional<VerifyingKey> deviceKeyOf(ViewerPublicKey key) {
    return key.verifyingKey();
  }

  /**
   * The recipient's public key from its X25519 key and, if recorded, its Ed25519 key, so that its
   * fingerprint is the device's.
   */
  static ViewerPublicKey viewerKey(byte[] x25519, VerifyingKey ed25519) {
    return ed25519 == null ? ViewerPublicKey.fromRawBytes(x25519)
        : ViewerPublicKey.fromRawBytes(x25519, ed25519);
  }

  private static Instant instant(long micros) throws MalformedDataException {
    try {
      Instant t = Wire.fromMicros(micros);
      Wire.toMicros(t);
      return t;
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new MalformedDataException("share record has an out-of-range time");
    }
  }

  /**
   * Checks the owner's signature over the record.
   *
   * @throws IntegrityException if it does not verify
   */
  public void verifySignature() throws IntegrityException {
    owner.verify(SignaturePurpose.SHARE_RECORD, body, signature);
  }

  /** SHA-256("obscura/v1 share record" || body || signature): names this record. */
  public byte[] hash() {
    return Sha256.digest(HASH_LABEL, body, signature);
  }

  byte[] body() {
    return body.clone();
  }

  byte[] signature() {
    return signature.clone();
  }

  /** A random id of the grant (a copy). */
  public byte[] grantId() {
    return grantId.clone();
  }

  public String grantIdHex() {
    return Hex.format(grantId);
  }

  public Instant created() {
    return created;
  }

  /** The record's format version: 2 as written by this code, 1 for older grants. */
  public int version() {
    return version;
  }

  /** Who shared: the owner's Ed25519 key, which signed the record. */
  public VerifyingKey owner() {
    return owner;
  }

  /**
   * Who shared: the owner's device public key (X25519 and Ed25519), as {@code keygen} and the
   * roster show it; empty in a version-1 record, which names the Ed25519 key only.
   */
  public Optional<ViewerPublicKey> ownerDevice() {
    return Optional.ofNullable(ownerDevice);
  }

  /**
   * The owner's fingerprint to compare out of band: the device fingerprint ({@link
   * ViewerPublicKey#fingerprint()}, the one {@code keygen} and {@code device list} print); for a
   * version-1 record, the fingerprint of the Ed25519 key alone (a different number).
   */
  public String ownerFingerprint() {
    return ownerDevice != null ? ownerDevice.fingerprint() : owner.fingerprint();
  }

  /** The camera keys whose chain manifests the owner vouches for. */
  public List<VerifyingKey> cameras() {
    return cameras;
  }

  public RecipientKind recipientKind() {
    return recipientKind;
  }

  /** The viewer key the grant is for, if {@link RecipientKind#VIEWER_KEY}. */
  public Optional<ViewerPublicKey> recipientKey() {
    return Optional.ofNullable(recipientKey);
  }

  /** The Argon2id costs, if {@link RecipientKind#PASSPHRASE}. */
  public Optional<Argon2idParams> passphraseCost() {
    return Optional.ofNullable(cost);
  }

  byte[] salt() {
    return salt == null ? null : salt.clone();
  }

  public StreamId stream() {
    return stream;
  }

  public long firstSequence() {
    return firstSequence;
  }

  public long lastSequence() {
    return lastSequence;
  }

  /** Number of segments shared. */
  public int segmentCount() {
    return digests.length;
  }

  /** The start of the time range asked for. */
  public Instant from() {
    return from;
  }

  /** The end (exclusive) of the time range asked for. */
  public Instant to() {
    return to;
  }

  /** The digest of segment {@code seq} (a copy). */
  public byte[] digestOf(long seq) {
    if (seq < firstSequence || seq > lastSequence) {
      throw new IllegalArgumentException("segment " + seq + " is not in the grant");
    }
    return digests[(int) (seq - firstSequence)].clone();
  }

  /** The digests of the shared segments, in order (copies). */
  public List<byte[]> digests() {
    List<byte[]> out = new ArrayList<>(digests.length);
    for (byte[] d : digests) {
      out.add(d.clone());
    }
    return Collections.unmodifiableList(out);
  }

  /** Why: the owner's reason text. */
  public String reason() {
    return reason;
  }

  /** A multi-line human-readable summary (no key material: keys appear as fingerprints). */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("share ").append(grantIdHex()).append('\n');
    sb.append("  who:    owner ").append(ownerFingerprint()).append(" (")
        .append(ownerDevice != null ? "" : "Ed25519 key only, version-1 record; ")
        .append("signing key id ").append(owner.keyIdHex()).append(")\n");
    sb.append("  to:     ").append(recipientKind == RecipientKind.VIEWER_KEY
        ? "viewer " + recipientKey.fingerprint() : "passphrase holder (" + cost + ")").append('\n');
    sb.append("  what:   stream ").append(stream).append(", segments ").append(firstSequence)
        .append("..").append(lastSequence).append(" (").append(digests.length)
        .append("), time range [").append(from).append(", ").append(to).append(")\n");
    for (VerifyingKey c : cameras) {
      sb.append("  camera: ").append(c.fingerprint()).append('\n');
    }
    sb.append("  when:   ").append(created).append('\n');
    sb.append("  why:    ").append(reason.replaceAll("\\p{Cntrl}", " "));
    return sb.toString();
  }

  @Override
  public String toString() {
    return "ShareRecord[" + grantIdHex() + ", " + stream + " " + firstSequence + ".."
        + lastSequence + ", " + recipientKind + "]";
  }
}
