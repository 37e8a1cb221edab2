package dev.obscura.crypto.share;

import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentId;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.chain.ChainManifest;
import dev.obscura.crypto.chain.ChainVerifier;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.keys.ShareKeyWrap;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.segment.SealedSegmentHead;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.segment.SealingSuite;
import dev.obscura.crypto.segment.SegmentFormat;
import dev.obscura.crypto.segment.SegmentKeys;
import dev.obscura.crypto.segment.SegmentOpener;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import dev.obscura.core.Hex;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A share grant: a self-contained evidence bundle with which the owner hands one time range of
 * one stream, and nothing else, to a recipient (a viewer key, or whoever knows a passphrase).
 * It holds the sealed segments of the range as stored (still encrypted), the camera's signed
 * chain manifests that cover them, the owner's signed {@link ShareRecord} (who, to whom, what,
 * when, why), and the keys of exactly those segments, encrypted under a fresh grant key that is
 * wrapped for the recipient. The format is {@code docs/spec/share-grant-v1.md}.
 *
 * <p><b>Security guarantees:</b>
 *
 * <ul>
 *   <li>Only segment keys are handed out ({@link SegmentKeys}: HKDF of the epoch key per stream
 *       and sequence number), one per segment of the range; they reveal neither the epoch key nor
 *       the key of any other segment.
 *   <li>Before it signs, the owner checks every segment: its digest against the camera's signed
 *       manifests, the chain between them, and that it decrypts whole with the key handed out.
 *   <li>The grant key is bound to the signed record (HPKE info or AES-GCM associated data is the
 *       record hash), so keys cannot be moved to another record or recipient.
 *   <li>Creating a grant appends a {@link AuditEntry.Type#SHARE} entry, signed by the owner, to
 *       the store's {@link AuditLog} (unless switched off).
 * </ul>
 *
 * <p><b>Restrictions:</b> the record (range, times, reason, keys' fingerprints) is signed, not
 * encrypted. A grant lives in memory whole: at most {@value ShareRecord#MAX_SEGMENTS} segments,
 * and less than 2 GiB. Segments sealed after the camera's newest manifest cannot be shared until
 * the next manifest covers them.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * ShareGrant grant = ShareGrant.builder().store(store).stream(porch)
 *     .timeRange(from, to).epochKeys(new EnvelopeKeyResolver(store, owner))
 *     .cameraKeys(List.of(camera)).owner(ownerSigningKey, ownerIdentity.publicKey())
 *     .recipient(lawyer).reason("break-in on 26 Nov, for the insurer").create();
 * Files.write(out, grant.encode());
 * }</pre>
 */
public final class ShareGrant {
  private static final Logger log = LoggerFactory.getLogger(ShareGrant.class);

  static final byte[] MAGIC = {'O', 'B', 'S', 'H'};
  /** The only version this code writes and reads. */
  public static final int VERSION = 1;
  /** The most manifests one grant carries. */
  public static final int MAX_MANIFESTS = 1024;
  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  static final int PASSPHRASE_WRAP_BYTES = NONCE_BYTES + ShareKeyWrap.KEY_BYTES + TAG_BYTES;
  static final int MAX_KEYS_BYTES = NONCE_BYTES + ShareRecord.MAX_SEGMENTS * 33 + TAG_BYTES;
  static final byte[] PASSPHRASE_AD =
      "obscura/v1 share passphrase".getBytes(StandardCharsets.US_ASCII);

  private final ShareRecord record;
  private final byte[] wrappedKey;
  private final byte[] sealedKeys;
  private final List<byte[]> manifestBytes;
  private final List<ChainManifest> manifests;
  private final List<byte[]> segments;

  private ShareGrant(ShareRecord record, byte[] wrappedKey, byte[] sealedKeys,
      List<byte[]> manifestBytes, List<ChainManifest> manifests, List<byte[]> segments) {
    this.record = record;
    this.wrappedKey = wrappedKey;
    this.sealedKeys = sealedKeys;
    this.manifestBytes = manifestBytes;
    this.manifests = manifests;
    this.segments = segments;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects what a grant needs; {@link #create()} reads the store, checks, signs. */
  public static final class Builder {
    private SegmentStore store;
    private StreamId stream;
    private Instant from;
    private Instant to;
    private EpochKeyResolver epochKeys;
    private List<VerifyingKey> cameras;
    private SigningKey owner;
    private ViewerPublicKey ownerDevice;
    private ViewerPublicKey recipient;
    private byte[] passphrase;
    private Argon2idParams cost = Argon2idParams.DEFAULT;
    private String reason = "";
    private Clock clock = Clock.systemUTC();
    private EntropySource entropy = EntropySource.system();
    private boolean audit = true;
    private long maxSegmentBytes = SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES;

    private Builder() {}

    /** The store that holds the stream (and the audit log the share is recorded in). */
    public Builder store(SegmentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    public Builder stream(StreamId stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
      return this;
    }

    /**
     * The segments whose own span {@code [start, start + duration)} overlaps {@code [from, to)}
     * ({@link StreamReader#overlaps(dev.obscura.core.SegmentHeader, Instant, Instant)}), as {@code
     * StreamReader.Builder.timeRange} selects them: a gap after a segment belongs to no segment.
     */
    public Builder timeRange(Instant from, Instant to) {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("need from < to");
      }
      this.from = from;
      this.to = to;
      return this;
    }

    /** The owner's epoch keys, typically {@code new EnvelopeKeyResolver(store, ownerIdentity)}. */
    public Builder epochKeys(EpochKeyResolver epochKeys) {
      this.epochKeys = Objects.requireNonNull(epochKeys, "epochKeys");
      return this;
    }

    /** The camera keys the owner trusts for this stream's chain manifests (1..16). */
    public Builder cameraKeys(List<VerifyingKey> cameras) {
      this.cameras = List.copyOf(cameras);
      return this;
    }

    /**
     * The owner: {@code signingKey} (its Ed25519 key) signs the record and the audit entry;
     * {@code device}, the owner's device public key ({@code ViewerIdentity.publicKey()}), is
     * named in the record, so the grant shows the same fingerprint as {@code keygen} and the
     * roster do.
     *
     * @throws IllegalArgumentException if {@code device} does not carry {@code signingKey}'s
     *     Ed25519 key (a version-1 public key, or another device's)
     */
    public Builder owner(SigningKey signingKey, ViewerPublicKey device) {
      Objects.requireNonNull(signingKey, "signingKey");
      Objects.requireNonNull(device, "device");
      if (!device.verifyingKey().map(signingKey.verifyingKey()::equals).orElse(false)) {
        throw new IllegalArgumentException(
            "the owner's device key must carry the owner's Ed25519 signing key");
      }
      this.owner = signingKey;
      this.ownerDevice = device;
      return this;
    }

    /** Wrap for a viewer's public key (HPKE). Exclusive with {@link #passphrase}. */
    public Builder recipient(ViewerPublicKey recipient) {
      this.recipient = Objects.requireNonNull(recipient, "recipient");
      return this;
    }

    /**
     * Wrap under Argon2id of {@code passphrase} (UTF-8 bytes; copied, and wiped after {@link
     * #create()}). Exclusive with {@link #recipient}.
     */
    public Builder passphrase(byte[] passphrase, Argon2idParams cost) {
      Objects.requireNonNull(passphrase, "passphrase");
      if (passphrase.length == 0) {
        throw new IllegalArgumentException("the passphrase is empty");
      }
      this.passphrase = passphrase.clone();
      this.cost = Objects.requireNonNull(cost, "cost");
      return this;
    }

    /** Why the footage is shared (at most 1024 UTF-8 bytes; signed, not encrypted). */
    public Builder reason(String reason) {
      this.reason = Objects.requireNonNull(reason, "reason");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder entropy(EntropySource entropy) {
      this.entropy = Objects.requireNonNull(entropy, "entropy");
      return this;
    }

    /** Whether to append a SHARE entry to the store's audit log (default true). */
    public Builder recordInAuditLog(boolean audit) {
      this.audit = audit;
      return this;
    }

    public Builder maxSegmentBytes(long maxSegmentBytes) {
      this.maxSegmentBytes = maxSegmentBytes;
      return this;
    }

    /**
     * Reads the range, checks it against the camera's signed chain, derives its segment keys,
     * signs the record, wraps the keys, and appends the audit entry.
     *
     * @throws ChainBrokenException no segment in the range, a segment missing, or segments not
     *     (yet) covered by a signed manifest, or not the ones the camera signed
     * @throws dev.obscura.core.IntegrityException a manifest does not verify, or a segment does
     *     not open with its key
     * @throws dev.obscura.core.KeyUnavailableException the owner cannot open an epoch's envelope
     */
    public ShareGrant create() throws IOException, ObscuraException {
      if (store == null || stream == null || from == null || epochKeys == null
          || cameras == null || owner == null) {
        throw new IllegalStateException(
            "store, stream, timeRange, epochKeys, cameraKeys and owner are required");
      }
      if ((recipient == null) == (passphrase == null)) {
        throw new IllegalStateException("exactly one of recipient and passphrase is required");
      }
      try {
        return ShareGrant.create(this);
      } finally {
        if (passphrase != null) {
          Arrays.fill(passphrase, (byte) 0);
        }
      }
    }
  }

  private record Listed(long seq, String name, SealedSegmentHead head) {}

  private static ShareGrant create(Builder b) throws IOException, ObscuraException {
    // 1. the stream's public heads, and the range that overlaps [from, to)
    List<Listed> all = new ArrayList<>();
    for (StoredObject o : b.store.list(ObjectNames.segmentPrefix(b.stream))) {
      Optional<SegmentId> id = ObjectNames.parseSegment(o.name());
      if (!id.isPresent() || !id.get().stream().equals(b.stream)) {
        continue;
      }
      try (InputStream in = b.store.open(o.name())) {
        all.add(new Listed(id.get().sequence(), o.name(), SegmentFormat.readHead(in)));
      }
    }
    all.sort((x, y) -> Long.compare(x.seq(), y.seq()));
    List<Listed> range = new ArrayList<>();
    for (Listed l : all) {
      // a segment covers its own span [start, start + duration), never the gap after it
      if (StreamReader.overlaps(l.head().header(), b.from, b.to)) {
        range.add(l);
      }
    }
    if (range.isEmpty()) {
      throw new ChainBrokenException("no footage of " + b.stream + " in [" + b.from + ", "
          + b.to + ")");
    }
    // the selection must be a run: a missing sequence inside it is reported by the chain check
    if (range.size() > ShareRecord.MAX_SEGMENTS) {
      throw new IllegalArgumentException("a grant shares at most " + ShareRecord.MAX_SEGMENTS
          + " segments; the range has " + range.size());
    }
    long first = range.get(0).seq();
    long last = range.get(range.size() - 1).seq();

    // 2. the camera's signed chain must cover the range, segment for segment
    ChainVerifier chain = ChainVerifier.load(b.store, b.stream, b.cameras);
    if (!chain.covers(last)) {
      throw new ChainBrokenException("segments up to " + last + " of " + b.stream
          + " are not yet covered by a signed chain manifest (newest covered: "
          + chain.lastCovered() + ")");
    }
    // every segment read whole: the signed digests cover every sealed byte
    List<byte[]> sealed = new ArrayList<>();
    List<SealedSegmentHead> heads = new ArrayList<>();
    for (Listed l : range) {
      byte[] bytes = b.store.readAll(l.name(), (int) Math.min(Integer.MAX_VALUE - 64,
          b.maxSegmentBytes));
      SealedSegmentHead head = headOf(bytes);
      if (!head.header().equals(l.head().header())) {
        throw new ChainBrokenException("segment " + l.seq() + " of " + b.stream
            + " changed between listing and reading");
      }
      heads.add(head);
      sealed.add(bytes);
    }
    chain.checkRange(heads, first, last);
    // the record states the span of the footage the grant holds, not the range asked for
    Instant spanFrom = null;
    Instant spanTo = null;
    for (SealedSegmentHead h : heads) {
      Instant start = h.header().startTime();
      Instant end = StreamReader.endOf(h.header());
      spanFrom = spanFrom == null || start.isBefore(spanFrom) ? start : spanFrom;
      spanTo = spanTo == null || end.isAfter(spanTo) ? end : spanTo;
    }
    List<byte[]> manifestBytes = new ArrayList<>();
    List<ChainManifest> manifests = new ArrayList<>();
    for (ChainManifest m : chain.manifests()) {
      if (m.lastSequence() >= first && m.firstSequence() <= last) {
        manifests.add(m);
        manifestBytes.add(m.encode());
      }
    }

    // 3. read each segment, derive its key, and check it opens whole with that key
    SegmentOpener opener = new SegmentOpener(b.maxSegmentBytes);
    Map<EpochId, EpochKey> epochKeys = new HashMap<>();
    byte[] keysPlain = new byte[range.size() * 33];
    int keysLength = 0;
    SecretBytes grantKey = null;
    try {
      for (int i = 0; i < range.size(); i++) {
        byte[] bytes = sealed.get(i);
        SealedSegmentHead head = heads.get(i);
        EpochId epoch = head.header().epoch();
        EpochKey ek = epochKeys.get(epoch);
        if (ek == null) {
          ek = b.epochKeys.resolve(b.stream, epoch);
          epochKeys.put(epoch, ek);
        }
        SealingSuite suite = SealingSuite.fromId(head.header().suite());
        SecretBytes sk = SegmentKeys.derive(ek, head.header().segmentId(), suite);
        try {
          opener.openWithSegmentKey(bytes, sk);
          byte[] raw = sk.toByteArray(InsecureSecretAccess.get());
          keysPlain[keysLength++] = (byte) raw.length;
          System.arraycopy(raw, 0, keysPlain, keysLength, raw.length);
          keysLength += raw.length;
          Arrays.fill(raw, (byte) 0);
        } finally {
          sk.destroy();
        }
      }

      // 4. the record, signed by the owner
      byte[] grantId = new byte[ShareRecord.GRANT_ID_BYTES];
      b.entropy.nextBytes(grantId);
      byte[] salt = null;
      if (b.passphrase != null) {
        salt = new byte[Argon2idParams.SALT_BYTES];
        b.entropy.nextBytes(salt);
      }
      List<byte[]> digests = new ArrayList<>();
      for (SealedSegmentHead h : heads) {
        digests.add(h.digest());
      }
      List<VerifyingKey> vouched = new ArrayList<>();
      for (ChainManifest m : manifests) {
        for (VerifyingKey c : b.cameras) {
          if (Arrays.equals(c.keyId(), m.cameraKeyId()) && !vouched.contains(c)) {
            vouched.add(c);
          }
        }
      }
      ShareRecord record = ShareRecord.sign(new ShareRecord.Fields(grantId, b.clock.instant(),
          vouched, b.passphrase == null ? ShareRecord.RecipientKind.VIEWER_KEY
              : ShareRecord.RecipientKind.PASSPHRASE, b.recipient, salt,
          b.passphrase == null ? null : b.cost, b.stream, first, spanFrom, spanTo, digests,
          b.reason), b.owner, b.ownerDevice);
      byte[] context = record.hash();

      // 5. the segment keys under a fresh grant key, wrapped for the recipient
      grantKey = SecretBytes.random(ShareKeyWrap.KEY_BYTES, b.entropy);
      byte[] exact = Arrays.copyOf(keysPlain, keysLength);
      byte[] sealedKeys;
      try {
        sealedKeys = gcmSeal(grantKey, nonce(b.entropy), context, exact);
      } finally {
        Arrays.fill(exact, (byte) 0);
      }
      byte[] wrapped;
      if (b.recipient != null) {
        wrapped = ShareKeyWrap.wrap(b.recipient, grantKey, context);
      } else {
        byte[] kek = b.cost.derive(b.passphrase, salt, PASSPHRASE_AD, 32);
        byte[] gk = grantKey.toByteArray(InsecureSecretAccess.get());
        SecretBytes kekSecret = SecretBytes.copyFrom(kek, InsecureSecretAccess.get());
        Arrays.fill(kek, (byte) 0);
        try {
          wrapped = gcmSeal(kekSecret, nonce(b.entropy), context, gk);
        } finally {
          kekSecret.destroy();
          Arrays.fill(gk, (byte) 0);
        }
      }
      ShareGrant grant = new ShareGrant(record, wrapped, sealedKeys, manifestBytes,
          List.copyOf(manifests), sealed);

      // 6. the audit log
      if (b.audit) {
        AuditLog.append(b.store, b.owner, AuditEntry.Type.SHARE, auditPayload(record), b.clock);
      }
      log.debug("created share grant {} of {} segments {}..{}", record.grantIdHex(), b.stream,
          first, last);
      return grant;
    } finally {
      for (EpochKey k : epochKeys.values()) {
        k.destroy();
      }
      if (grantKey != null) {
        grantKey.destroy();
      }
      Arrays.fill(keysPlain, (byte) 0);
    }
  }

  /** The head of a whole sealed segment, with its chain digest over every byte. */
  static SealedSegmentHead headOf(byte[] sealed) throws MalformedDataException {
    try {
      return SegmentFormat.headOfWhole(sealed);
    } catch (TruncatedSegmentException e) {
      throw new MalformedDataException("sealed segment ends before its key commitment");
    }
  }

  /** A 12-byte random nonce followed by nothing: the caller prepends it to the ciphertext. */
  private static byte[] nonce(EntropySource entropy) {
    byte[] n = new byte[NONCE_BYTES];
    entropy.nextBytes(n);
    return n;
  }

  /** AES-256-GCM encryption: returns nonce || ciphertext || tag. */
  static byte[] gcmSeal(SecretBytes key, byte[] nonce, byte[] aad, byte[] plaintext) {
    byte[] k = key.toByteArray(InsecureSecretAccess.get());
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad);
      byte[] ct = c.doFinal(plaintext);
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + ct.length);
      System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** AES-256-GCM decryption of nonce || ciphertext || tag. */
  static byte[] gcmOpen(SecretBytes key, byte[] aad, byte[] sealed)
      throws javax.crypto.AEADBadTagException {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) {
      throw new javax.crypto.AEADBadTagException("too short");
    }
    byte[] k = key.toByteArray(InsecureSecretAccess.get());
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"),
          new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
      c.updateAAD(aad);
      return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (javax.crypto.AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * The payload of the SHARE audit entry: grant id (16) || record hash (32) || u8 n || stream id
   * || u64 first || u64 last || u8 recipient kind || recipient key id (16; zeros for a
   * passphrase). No reason text: the audit log is readable by the store.
   */
  public static byte[] auditPayload(ShareRecord r) {
    byte[] sid = r.stream().toBytes();
    return new Wire.Out(128).bytes(r.grantId()).bytes(r.hash()).u8(sid.length).bytes(sid)
        .u64(r.firstSequence()).u64(r.lastSequence()).u8(r.recipientKind().code)
        .bytes(r.recipientKey().map(ViewerPublicKey::keyId).orElse(new byte[16])).toByteArray();
  }

  /** One line describing a SHARE audit payload, or a note that it does not parse. */
  public static String describeAuditPayload(byte[] payload) {
    try {
      Wire.In in = new Wire.In(payload, "share audit payload");
      String id = Hex.format(in.bytes(16));
      String hash = Hex.format(in.bytes(32), 0, 8);
      int n = in.u8();
      String stream = new String(in.bytes(n), StandardCharsets.US_ASCII).replaceAll("[^A-Za-z0-9._-]", "?");
      long first = in.u64();
      long last = in.u64();
      int kind = in.u8();
      String key = Hex.format(in.bytes(16));
      return "grant " + id + " (record " + hash + "...): " + stream + " segments " + first + ".."
          + last + " to " + (kind == 1 ? "viewer key " + key : "a passphrase holder");
    } catch (MalformedDataException e) {
      return "(share payload does not parse)";
    }
  }

  /**
   * Parses a grant (see the spec for the layout), with the default 256 MiB bound per segment
   * and the default floor on passphrase costs ({@link Argon2idParams.Floor#DEFAULT}); nothing is
   * verified yet ({@link ShareVerifier} does that).
   *
   * @throws MalformedDataException if the bytes are not a version-1 grant, or a passphrase grant
   *     asks for Argon2id costs outside the bounds or below the floor (the message names the
   *     field)
   */
  public static ShareGrant parse(byte[] bytes) throws MalformedDataException {
    return parse(bytes, SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES);
  }

  /** As {@link #parse(byte[])}, refusing segments larger than {@code maxSegmentBytes}. */
  public static ShareGrant parse(byte[] bytes, long maxSegmentBytes) throws MalformedDataException {
    return parse(bytes, maxSegmentBytes, Argon2idParams.Floor.DEFAULT);
  }

  /**
   * As {@link #parse(byte[], long)}, refusing passphrase costs below {@code floor} instead of
   * {@link Argon2idParams.Floor#DEFAULT}.
   */
  public static ShareGrant parse(byte[] bytes, long maxSegmentBytes, Argon2idParams.Floor floor)
      throws MalformedDataException {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(floor, "floor");
    Wire.In in = new Wire.In(bytes, "share grant");
    if (bytes.length < 5 || !Arrays.equals(in.bytes(4), MAGIC)) {
      throw new MalformedDataException("not an Obscura share grant (bad magic)");
    }
    int version = in.u8();
    if (version != VERSION) {
      throw new MalformedDataException("unsupported share grant version " + version);
    }
    byte[] body = in.sized32(ShareRecord.MAX_BODY_BYTES, "record");
    byte[] sig = in.bytes(VerifyingKey.SIGNATURE_LENGTH);
    ShareRecord record = ShareRecord.parse(body, sig, floor);
    int wl = in.u16();
    int expectedWrap = record.recipientKind() == ShareRecord.RecipientKind.VIEWER_KEY
        ? ShareKeyWrap.BODY_BYTES : PASSPHRASE_WRAP_BYTES;
    if (wl != expectedWrap) {
      throw new MalformedDataException("share grant's wrapped key has " + wl + " bytes, expected "
          + expectedWrap);
    }
    byte[] wrapped = in.bytes(wl);
    byte[] sealedKeys = in.sized32(MAX_KEYS_BYTES, "sealed keys");
    int mc = in.u16();
    if (mc < 1 || mc > MAX_MANIFESTS) {
      throw new MalformedDataException("share grant holds " + mc + " chain manifests");
    }
    List<byte[]> manifestBytes = new ArrayList<>(Math.min(mc, 16));
    List<ChainManifest> manifests = new ArrayList<>(Math.min(mc, 16));
    for (int i = 0; i < mc; i++) {
      byte[] m = in.sized32(ChainManifest.MAX_ENCODED_BYTES, "chain manifest");
      manifests.add(ChainManifest.parse(m));
      manifestBytes.add(m);
    }
    long sc = in.u32();
    if (sc != record.segmentCount()) {
      throw new MalformedDataException("share grant holds " + sc + " segments, its record "
          + record.segmentCount());
    }
    List<byte[]> segments = new ArrayList<>(Math.min((int) sc, 1024));
    for (long i = 0; i < sc; i++) {
      segments.add(in.sized32(maxSegmentBytes, "sealed segment"));
    }
    in.end();
    return new ShareGrant(record, wrapped, sealedKeys, List.copyOf(manifestBytes),
        List.copyOf(manifests), Collections.unmodifiableList(segments));
  }

  /**
   * Checks a grant file's framing without reading it whole: the magic and version, then every
   * length field in turn (record, wrapped key, sealed keys, manifest count and lengths, segment
   * count and lengths), each against its bound, skipping the bytes in between. Reads only the
   * header and the length fields (at most a few kilobytes of reads for the largest grant), so a
   * caller can refuse a damaged or hostile file before allocating memory for it.
   *
   * <p>This is not verification: a file that passes still goes through {@link #parse} and the
   * verifier. It is the cheap gate in front of them.
   *
   * @param ch the grant, read from position 0 (its position is left anywhere)
   * @param maxSegmentBytes the largest segment accepted (as for {@link #parse(byte[], long)})
   * @param maxTotalBytes the largest grant accepted, at most {@code Integer.MAX_VALUE - 64}
   * @return the grant's declared size in bytes, equal to {@code ch.size()}
   * @throws MalformedDataException if the magic or version is wrong, a length is out of bounds,
   *     the declared size exceeds {@code maxTotalBytes}, or it is not the file's size
   * @throws IOException if reading fails
   */
  public static long checkedSize(java.nio.channels.SeekableByteChannel ch, long maxSegmentBytes,
      long maxTotalBytes) throws IOException, MalformedDataException {
    long fileSize = ch.size();
    long limit = Math.min(maxTotalBytes, Integer.MAX_VALUE - 64);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(5);
    long pos = 0;
    if (fileSize < 5 || readAt(ch, 0, b, 5) < 5) {
      throw new MalformedDataException("not an Obscura share grant (shorter than its header)");
    }
    byte[] magic = new byte[4];
    for (int i = 0; i < magic.length; i++) {
      magic[i] = b.get(i); // absolute bulk get(int, byte[]) is API 35+ on Android
    }
    if (!Arrays.equals(magic, MAGIC)) {
      throw new MalformedDataException("not an Obscura share grant (bad magic)");
    }
    if ((b.get(4) & 0xff) != VERSION) {
      throw new MalformedDataException("unsupported share grant version " + (b.get(4) & 0xff));
    }
    pos = 5;
    long bodyLen = lengthAt(ch, pos, 4, ShareRecord.MAX_BODY_BYTES, "record", fileSize);
    pos += 4 + bodyLen + VerifyingKey.SIGNATURE_LENGTH;
    long wrapLen = lengthAt(ch, pos, 2, Math.max(ShareKeyWrap.BODY_BYTES, PASSPHRASE_WRAP_BYTES), "wrapped key",
        fileSize);
    pos += 2 + wrapLen;
    long keysLen = lengthAt(ch, pos, 4, MAX_KEYS_BYTES, "sealed keys", fileSize);
    pos += 4 + keysLen;
    long mc = lengthAt(ch, pos, 2, MAX_MANIFESTS, "chain manifest count", fileSize);
    if (mc < 1) {
      throw new MalformedDataException("share grant holds no chain manifest");
    }
    pos += 2;
    for (long i = 0; i < mc; i++) {
      pos += 4 + lengthAt(ch, pos, 4, ChainManifest.MAX_ENCODED_BYTES, "chain manifest", fileSize);
    }
    long sc = lengthAt(ch, pos, 4, ShareRecord.MAX_SEGMENTS, "segment count", fileSize);
    pos += 4;
    for (long i = 0; i < sc; i++) {
      pos += 4 + lengthAt(ch, pos, 4, maxSegmentBytes, "sealed segment", fileSize);
      if (pos > limit) {
        break;
      }
    }
    if (pos > limit) {
      throw new MalformedDataException("share grant declares at least " + pos + " bytes, more than the "
          + limit + " accepted");
    }
    if (pos != fileSize) {
      throw new MalformedDataException("share grant declares " + pos + " bytes but the file has " + fileSize
          + (pos < fileSize ? " (trailing bytes)" : " (cut short)"));
    }
    return pos;
  }

  /** Reads a big-endian length of {@code width} bytes at {@code pos}, refusing one above {@code max} or past the end. */
  private static long lengthAt(java.nio.channels.SeekableByteChannel ch, long pos, int width, long max, String what,
      long fileSize) throws IOException, MalformedDataException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(width);
    if (pos < 0 || pos > fileSize - width || readAt(ch, pos, b, width) < width) {
      throw new MalformedDataException("share grant cut short before its " + what + " length");
    }
    long v = width == 2 ? (b.getShort(0) & 0xffffL) : (b.getInt(0) & 0xffffffffL);
    if (v > max) {
      throw new MalformedDataException("share grant's " + what + " length " + v + " is over its bound " + max);
    }
    if (width == 4 && !what.endsWith("count") && pos + width + v > fileSize) {
      throw new MalformedDataException("share grant's " + what + " (" + v + " bytes) runs past the end of the file");
    }
    return v;
  }

  private static int readAt(java.nio.channels.SeekableByteChannel ch, long pos, java.nio.ByteBuffer b, int n)
      throws IOException {
    ((java.nio.Buffer) b).clear().limit(n); // Buffer's, not ByteBuffer's (API 33+ on Android)
    ch.position(pos);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        break;
      }
    }
    return b.position();
  }

  /** The grant in its file format (a fresh array). */
  public byte[] encode() {
    byte[] body = record.body();
    long size = encodedSizeBytes();
    if (size > Integer.MAX_VALUE - 64) {
      throw new IllegalStateException("share grant of " + size + " bytes is too large");
    }
    Wire.Out o = new Wire.Out((int) size);
    o.bytes(MAGIC).u8(VERSION).u32(body.length).bytes(body).bytes(record.signature());
    o.u16(wrappedKey.length).bytes(wrappedKey);
    o.u32(sealedKeys.length).bytes(sealedKeys);
    o.u16(manifestBytes.size());
    for (byte[] m : manifestBytes) {
      o.u32(m.length).bytes(m);
    }
    o.u32(segments.size());
    for (byte[] s : segments) {
      o.u32(s.length).bytes(s);
    }
    return o.toByteArray();
  }

  /** Size of {@link #encode()} in bytes. */
  public long encodedSizeBytes() {
    long n = 5 + 4 + record.body().length + 64 + 2 + wrappedKey.length + 4 + sealedKeys.length + 2 + 4;
    for (byte[] m : manifestBytes) {
      n += 4 + m.length;
    }
    for (byte[] s : segments) {
      n += 4 + s.length;
    }
    return n;
  }

  /** The owner's record (signature not yet verified if this grant was parsed). */
  public ShareRecord record() {
    return record;
  }

  public List<ChainManifest> manifests() {
    return manifests;
  }

  /** The sealed segments, in order (the list is unmodifiable; the arrays are not copied). */
  List<byte[]> segments() {
    return segments;
  }

  /** Number of sealed segments carried. */
  public int segmentCount() {
    return segments.size();
  }

  /** Sealed segment {@code i} of the range (a copy). */
  public byte[] sealedSegment(int i) {
    return segments.get(i).clone();
  }

  byte[] wrappedKey() {
    return wrappedKey.clone();
  }

  byte[] sealedKeys() {
    return sealedKeys.clone();
  }

  /** A copy with the given pieces replaced (for tests of tampering). */
  ShareGrant with(List<byte[]> newSegments, List<ChainManifest> newManifests) {
    List<byte[]> mb = new ArrayList<>();
    for (ChainManifest m : newManifests) {
      mb.add(m.encode());
    }
    return new ShareGrant(record, wrappedKey, sealedKeys, mb, List.copyOf(newManifests),
        List.copyOf(newSegments));
  }

  @Override
  public String toString() {
    return "ShareGrant[" + record + ", " + segments.size() + " segments, " + manifests.size()
        + " manifests]";
  }
}
