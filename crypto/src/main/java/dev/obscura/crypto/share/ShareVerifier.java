package dev.obscura.crypto.share;

import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObscuraException;
import dev.obscura.crypto.chain.ChainVerifier;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.keys.ShareKeyWrap;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.SealedSegmentHead;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.segment.SealingSuite;
import dev.obscura.crypto.segment.SegmentOpener;
import dev.obscura.crypto.sign.VerifyingKey;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recipient's side of a {@link ShareGrant}: verifies everything, then decrypts the range.
 *
 * <p>In order: the owner's signature over the record (and, if given, that the owner is the one
 * expected); the camera's signature over every manifest, under a camera key the owner's record
 * vouches for; that the grant carries exactly segments {@code first..last} of the record's
 * stream, in order, each with the digest the record names and the camera signed, each following
 * the one before; then it unwraps the grant key (viewer identity or passphrase), decrypts the
 * segment keys, and opens every segment whole with its own key.
 *
 * <p><b>Security guarantees:</b> a returned {@link VerifiedShare} holds exactly the segments the
 * owner signed for, as the camera sealed them; a dropped, inserted, reordered, replayed or
 * modified segment, a forged or altered record or manifest, or keys moved from another grant
 * fail with an {@link IntegrityException} ({@link ChainBrokenException} for the chain). Argon2id
 * costs are bounded before any work ({@link Argon2idParams}), so a hostile grant cannot demand
 * gigabytes, nor costs below the floor ({@link Argon2idParams.Floor#DEFAULT} unless {@link
 * #withArgon2idParamsFloor} says otherwise) that would make its passphrase cheap to guess. The
 * grant holds only the range's segment keys; nothing in it opens another segment.
 *
 * <p><b>Restrictions:</b> without {@link #expectingOwner}, the owner key comes from the grant
 * itself: compare {@code record().ownerFingerprint()} out of band. Instances are immutable.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * VerifiedShare share = ShareVerifier.expectingOwner(ownerKey).verify(bytes, myIdentity);
 * Mp4Export.write(share.plaintexts(), Path.of("clip.mp4"));
 * }</pre>
 */
public final class ShareVerifier {
  private static final Logger log = LoggerFactory.getLogger(ShareVerifier.class);

  private final VerifyingKey expectedOwner;
  private final long maxSegmentBytes;
  private final Argon2idParams.Floor floor;

  private ShareVerifier(VerifyingKey expectedOwner, long maxSegmentBytes, Argon2idParams.Floor floor) {
    this.expectedOwner = expectedOwner;
    this.maxSegmentBytes = maxSegmentBytes;
    this.floor = floor;
  }

  /**
   * The largest grant {@link #readGrant} reads: the format's own limit (a grant is encoded in one
   * array, so it is under 2 GiB).
   */
  public static final long MAX_GRANT_BYTES = Integer.MAX_VALUE - 64;

  /**
   * Reads a grant only after its framing checked out: magic, version and every declared length
   * within bounds and adding up to the channel's size ({@link ShareGrant#checkedSize}), read from
   * its first bytes and length fields, so a damaged or hostile file costs no memory. A grant
   * within the bounds is read only if the heap can hold it twice (the grant and its decrypted
   * range).
   *
   * @param ch the grant, read from position 0
   * @return the grant's bytes, for {@link #verify(byte[], ViewerIdentity)}
   * @throws MalformedDataException if the framing is wrong, or the channel ends early
   * @throws java.io.IOException if reading fails, or the grant needs more heap than this runtime has
   */
  public static byte[] readGrant(java.nio.channels.SeekableByteChannel ch)
      throws java.io.IOException, MalformedDataException {
    long size = ShareGrant.checkedSize(ch, dev.obscura.crypto.segment.SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES,
        MAX_GRANT_BYTES);
    long heap = Runtime.getRuntime().maxMemory();
    if (heap != Long.MAX_VALUE && size > heap / 2) {
      throw new java.io.IOException("a " + (size >> 20) + " MiB grant; verifying it needs about twice that in"
          + " heap, more than this runtime's " + (heap >> 20) + " MiB (raise -Xmx)");
    }
    byte[] bytes = new byte[(int) size];
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
    ch.position(0);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new MalformedDataException("the grant was cut short while it was read");
      }
    }
    return bytes;
  }

  /** A verifier that takes the owner key from the grant (compare its fingerprint). */
  public ShareVerifier() {
    this(null, SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES, Argon2idParams.Floor.DEFAULT);
  }

  /** A verifier that refuses grants not signed by {@code owner}. */
  public static ShareVerifier expectingOwner(VerifyingKey owner) {
    return new ShareVerifier(Objects.requireNonNull(owner, "owner"),
        SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES, Argon2idParams.Floor.DEFAULT);
  }

  /**
   * This verifier, refusing passphrase grants whose Argon2id costs are below {@code floor}
   * (default {@link Argon2idParams.Floor#DEFAULT}); only tests pass {@link
   * Argon2idParams.Floor#INSECURE_NONE_FOR_TESTS}.
   */
  public ShareVerifier withArgon2idParamsFloor(Argon2idParams.Floor floor) {
    return new ShareVerifier(expectedOwner, maxSegmentBytes, Objects.requireNonNull(floor, "floor"));
  }

  /** Verifies and decrypts a grant addressed to {@code identity}. */
  public VerifiedShare verify(byte[] grant, ViewerIdentity identity) throws ObscuraException {
    return verify(ShareGrant.parse(grant, maxSegmentBytes, floor), identity);
  }

  /**
   * Verifies and decrypts a parsed grant addressed to {@code identity}.
   *
   * @throws KeyUnavailableException if the grant is for another viewer or a passphrase
   * @throws IntegrityException if anything fails to verify
   */
  public VerifiedShare verify(ShareGrant grant, ViewerIdentity identity) throws ObscuraException {
    Objects.requireNonNull(identity, "identity");
    checkPublic(grant);
    if (grant.record().recipientKind() != ShareRecord.RecipientKind.VIEWER_KEY) {
      throw new KeyUnavailableException("the share grant is protected by a passphrase, not a"
          + " viewer key");
    }
    // the owner signed whom the grant is for: a grant key wrapped to anyone else (by whoever
    // holds the grant key) is not this grant, even though it would decrypt
    if (!MessageDigest.isEqual(grant.record().recipientKey().get().keyId(),
        identity.publicKey().keyId())) {
      throw new KeyUnavailableException("the share grant is addressed to another viewer key");
    }
    SecretBytes grantKey = ShareKeyWrap.unwrap(identity, grant.wrappedKey(), grant.record().hash());
    return open(grant, grantKey);
  }

  /** Verifies and decrypts a passphrase-protected grant. */
  public VerifiedShare verifyWithPassphrase(byte[] grant, byte[] passphrase)
      throws ObscuraException {
    return verifyWithPassphrase(ShareGrant.parse(grant, maxSegmentBytes, floor), passphrase);
  }

  /**
   * Verifies and decrypts a parsed passphrase-protected grant.
   *
   * @throws WrongSharePassphraseException if the passphrase does not open it
   * @throws KeyUnavailableException if the grant is for a viewer key
   * @throws MalformedDataException if its Argon2id costs are below this verifier's floor (a
   *     grant parsed with a lower floor)
   */
  public VerifiedShare verifyWithPassphrase(ShareGrant grant, byte[] passphrase)
      throws ObscuraException {
    Objects.requireNonNull(passphrase, "passphrase");
    checkPublic(grant);
    ShareRecord r = grant.record();
    if (r.recipientKind() != ShareRecord.RecipientKind.PASSPHRASE) {
      throw new KeyUnavailableException("the share grant is for a viewer key, not a passphrase");
    }
    String weak = floor.problem(r.passphraseCost().get());
    if (weak != null) {
      throw new MalformedDataException("share record asks for refused passphrase costs: " + weak);
    }
    byte[] kek = r.passphraseCost().get().derive(passphrase, r.salt(),
        ShareGrant.PASSPHRASE_AD, 32);
    SecretBytes kekSecret = SecretBytes.copyFrom(kek, InsecureSecretAccess.get());
    Arrays.fill(kek, (byte) 0);
    byte[] gk;
    try {
      gk = ShareGrant.gcmOpen(kekSecret, r.hash(), grant.wrappedKey());
    } catch (AEADBadTagException e) {
      throw new WrongSharePassphraseException("the passphrase does not open this share grant");
    } finally {
      kekSecret.destroy();
    }
    SecretBytes grantKey = SecretBytes.copyFrom(gk, InsecureSecretAccess.get());
    Arrays.fill(gk, (byte) 0);
    return open(grant, grantKey);
  }

  /**
   * Every check that needs no key: the owner's signature, the camera's manifests, the digests
   * and the chain of the carried segments. Returns the verified record.
   */
  public ShareRecord checkPublic(ShareGrant grant) throws ObscuraException {
    Objects.requireNonNull(grant, "grant");
    ShareRecord r = grant.record();
    r.verifySignature();
    if (expectedOwner != null && !expectedOwner.equals(r.owner())) {
      throw new IntegrityException("the share grant is signed by owner key " + r.owner().keyIdHex()
          + ", not the expected " + expectedOwner.keyIdHex());
    }
    ChainVerifier chain = ChainVerifier.of(r.stream(), r.cameras(), grant.manifests());
    List<byte[]> segments = grant.segments();
    List<SealedSegmentHead> heads = new ArrayList<>(segments.size());
    for (int i = 0; i < segments.size(); i++) {
      SealedSegmentHead h = ShareGrant.headOf(segments.get(i));
      long seq = h.header().sequence();
      if (seq >= r.firstSequence() && seq <= r.lastSequence()
          && !MessageDigest.isEqual(h.digest(), r.digestOf(seq))) {
        throw new ChainBrokenException("segment " + seq + " of " + r.stream()
            + " is not the one the owner shared (modified or substituted)");
      }
      heads.add(h);
    }
    chain.checkRange(heads, r.firstSequence(), r.lastSequence());
    if (segments.size() != r.segmentCount()) {
      throw new ChainBrokenException("the grant carries " + segments.size() + " segments, its"
          + " record " + r.segmentCount());
    }
    // the signed span is the footage carried: the union of the segments' own spans
    Instant spanFrom = null;
    Instant spanTo = null;
    for (SealedSegmentHead h : heads) {
      Instant start = h.header().startTime();
      Instant end = StreamReader.endOf(h.header());
      spanFrom = spanFrom == null || start.isBefore(spanFrom) ? start : spanFrom;
      spanTo = spanTo == null || end.isAfter(spanTo) ? end : spanTo;
    }
    if (!r.from().equals(spanFrom) || !r.to().equals(spanTo)) {
      throw new IntegrityException("the share record states [" + r.from() + ", " + r.to()
          + "), but the footage it carries spans [" + spanFrom + ", " + spanTo + ")");
    }
    return r;
  }

  private VerifiedShare open(ShareGrant grant, SecretBytes grantKey) throws ObscuraException {
    List<SecretBytes> keys = segmentKeys(grant, grantKey);
    try {
      SegmentOpener opener = new SegmentOpener(maxSegmentBytes);
      List<OpenedSegment> opened = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        opened.add(opener.openWithSegmentKey(grant.segments().get(i), keys.get(i)));
      }
      log.debug("verified share grant {}: {} segments", grant.record().grantIdHex(), opened.size());
      return new VerifiedShare(grant.record(), opened);
    } finally {
      for (SecretBytes k : keys) {
        k.destroy();
      }
    }
  }

  /** Decrypts the segment keys (destroys {@code grantKey}). Package-private for tests. */
  static List<SecretBytes> segmentKeys(ShareGrant grant, SecretBytes grantKey)
      throws ObscuraException {
    byte[] plain;
    try {
      plain = ShareGrant.gcmOpen(grantKey, grant.record().hash(), grant.sealedKeys());
    } catch (AEADBadTagException e) {
      throw new IntegrityException("the share grant's segment keys do not decrypt: tampered, or"
          + " moved from another grant");
    } finally {
      grantKey.destroy();
    }
    List<SecretBytes> keys = new ArrayList<>();
    try {
      Wire.In in = new Wire.In(plain, "share grant keys");
      for (int i = 0; i < grant.segments().size(); i++) {
        SealingSuite suite = SealingSuite.fromId(
            ShareGrant.headOf(grant.segments().get(i)).header().suite());
        int n = in.u8();
        if (n != suite.segmentKeySizeBytes()) {
          throw new MalformedDataException("share grant key " + i + " has the wrong length");
        }
        byte[] k = in.bytes(n);
        keys.add(SecretBytes.copyFrom(k, InsecureSecretAccess.get()));
        Arrays.fill(k, (byte) 0);
      }
      in.end();
      return keys;
    } catch (MalformedDataException | RuntimeException e) {
      for (SecretBytes k : keys) {
        k.destroy();
      }
      throw e;
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** Unwraps a viewer grant's segment keys without opening segments. For tests. */
  static List<SecretBytes> segmentKeys(ShareGrant grant, ViewerIdentity identity)
      throws ObscuraException {
    return segmentKeys(grant, ShareKeyWrap.unwrap(identity, grant.wrappedKey(),
        grant.record().hash()));
  }

  @Override
  public String toString() {
    return "ShareVerifier[" + (expectedOwner == null ? "any owner" : "owner "
        + expectedOwner.keyIdHex()) + "]";
  }
}
