package dev.obscura.crypto.trust;

import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.sign.VerifyingKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof, stored beside a roster version, that its signer knew the camera's pairing secret:
 * what lets a camera with no pinned roster accept that version and no other (no trust on first
 * use). Stored as {@code roster/VERSION.pairing}.
 *
 * <p><b>Encoding</b> (big-endian, 77 bytes):
 *
 * <pre>
 * "OBSP" | u8 format = 1 | u64 roster version | camera Ed25519 key (32) | tag (32)
 * tag = HMAC-SHA256(pairing secret, "obscura/v1 pairing" || u64 version || camera key || roster digest)
 * </pre>
 *
 * <p><b>Security guarantees:</b> without the secret (which reaches the owner out of band in the
 * {@link PairingCode} and never enters the store) nobody can make a record the camera accepts; the
 * tag binds the exact roster (its digest), the version and the camera key. The tag is compared in
 * constant time.
 */
public final class PairingRecord {
  /** The encoded size. */
  public static final int ENCODED_BYTES = 4 + 1 + 8 + 32 + 32;
  private static final byte[] MAGIC = {'O', 'B', 'S', 'P'};
  private static final byte[] LABEL = "obscura/v1 pairing".getBytes(StandardCharsets.US_ASCII);

  private final long version;
  private final VerifyingKey camera;
  private final byte[] tag;

  private PairingRecord(long version, VerifyingKey camera, byte[] tag) {
    this.version = version;
    this.camera = camera;
    this.tag = tag;
  }

  /** Object name of the pairing record of roster {@code version}. */
  public static String objectName(long version) {
    String roster = RosterStore.objectName(version);
    return roster.substring(0, roster.length() - ".roster".length()) + ".pairing";
  }

  /**
   * The record for {@code roster}, which must pin the camera the code names.
   *
   * @throws IllegalArgumentException if the roster pins no camera key, or another one
   */
  public static PairingRecord create(Roster roster, PairingCode code) {
    VerifyingKey camera = roster.camera().orElseThrow(
        () -> new IllegalArgumentException("a paired roster must pin the camera's key"));
    if (!code.names(camera)) {
      throw new IllegalArgumentException("the roster pins another camera than the pairing code names");
    }
    return new PairingRecord(roster.version(), camera, tag(code.secret(), roster, camera));
  }

  private static byte[] tag(SecretBytes secret, Roster roster, VerifyingKey camera) {
    byte[] k = secret.toByteArray(InsecureSecretAccess.get());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(k, "HmacSHA256"));
      mac.update(LABEL);
      mac.update(ByteBuffer.allocate(8).putLong(roster.version()).array());
      mac.update(camera.rawBytes());
      return mac.doFinal(roster.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** Whether this record, made with {@code secret}, authenticates {@code roster} for {@code camera}. */
  public boolean authenticates(Roster roster, VerifyingKey camera, SecretBytes secret) {
    Objects.requireNonNull(roster, "roster");
    if (roster.version() != version || !this.camera.equals(camera)
        || !roster.camera().map(camera::equals).orElse(false)) {
      return false;
    }
    return MessageDigest.isEqual(tag, tag(secret, roster, camera));
  }

  public long version() {
    return version;
  }

  public VerifyingKey camera() {
    return camera;
  }

  public byte[] encode() {
    return ByteBuffer.allocate(ENCODED_BYTES).put(MAGIC).put((byte) 1).putLong(version).put(camera.rawBytes())
        .put(tag).array();
  }

  /**
   * Parses a record.
   *
   * @throws MalformedDataException if it is not exactly a version-1 record
   */
  public static PairingRecord parse(byte[] b) throws MalformedDataException {
    if (b.length != ENCODED_BYTES) {
      throw new MalformedDataException("a pairing record is " + ENCODED_BYTES + " bytes, not " + b.length);
    }
    ByteBuffer in = ByteBuffer.wrap(b);
    byte[] magic = new byte[4];
    in.get(magic);
    if (!Arrays.equals(magic, MAGIC) || in.get() != 1) {
      throw new MalformedDataException("not a version-1 pairing record");
    }
    long version = in.getLong();
    if (version < 1) {
      throw new MalformedDataException("pairing record names roster version " + version);
    }
    byte[] key = new byte[32];
    in.get(key);
    byte[] tag = new byte[32];
    in.get(tag);
    return new PairingRecord(version, VerifyingKey.fromRawBytes(key), tag);
  }

  @Override
  public String toString() {
    return "PairingRecord[roster version " + version + ", camera " + camera.fingerprint() + "]";
  }
}
