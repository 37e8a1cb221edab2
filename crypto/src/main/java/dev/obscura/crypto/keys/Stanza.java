package dev.obscura.crypto.keys;

import dev.obscura.core.Bytes;
import java.util.Arrays;
import dev.obscura.core.Hex;
import java.util.Objects;

/**
 * One typed entry of a key envelope: a recipient's wrapped copy of the epoch key, or (in later
 * format additions) a signature or a passphrase slot. The body is public (it is stored in the
 * envelope as is); its meaning depends on the type.
 *
 * <p>Types (one byte):
 *
 * <ul>
 *   <li>{@value #TYPE_HPKE_X25519}: HPKE-X25519 recipient, written by {@link ViewerPublicKey},
 *       read by {@link ViewerIdentity}. Body: key id (16) || HPKE enc (32) || HPKE ciphertext of
 *       the 32-byte epoch key (48), 96 bytes.
 *   <li>{@value #TYPE_CAMERA_SIGNATURE}: the camera's Ed25519 signature over the envelope, the
 *       last stanza: signer key id (16) || signature (64), see {@code KeyEnvelope}.
 *   <li>3: reserved for a passphrase recipient (recovery uses type 1 with a derived key).
 *   <li>{@value #TYPE_ROSTER}: the roster the envelope was wrapped for: u64 version || its 32-byte
 *       digest (40 bytes), at most one, before the camera signature (so the camera signs it).
 *   <li>0: reserved, never written.
 * </ul>
 *
 * Readers skip types they do not know, so the format can grow.
 *
 * <p><b>Restrictions:</b> the body is at most {@value #MAX_BODY_BYTES} bytes.
 */
public final class Stanza {
  /** Type of an HPKE (DHKEM X25519, HKDF-SHA256, AES-256-GCM) recipient stanza. */
  public static final int TYPE_HPKE_X25519 = 1;
  /** Type of the camera signature stanza. */
  public static final int TYPE_CAMERA_SIGNATURE = 2;
  /** Type of the stanza naming the roster the envelope was wrapped for. */
  public static final int TYPE_ROSTER = 4;
  /** The largest stanza body, in bytes. */
  public static final int MAX_BODY_BYTES = 4096;

  private final int type;
  private final byte[] body;

  /**
   * A stanza of {@code type} (0..255) with a copy of {@code body}.
   *
   * @throws IllegalArgumentException if the type is out of range or the body too long
   */
  public Stanza(int type, byte[] body) {
    if (type < 0 || type > 255) {
      throw new IllegalArgumentException("stanza type must be 0..255");
    }
    Objects.requireNonNull(body, "body");
    if (body.length > MAX_BODY_BYTES) {
      throw new IllegalArgumentException("stanza body must be at most " + MAX_BODY_BYTES + " bytes");
    }
    this.type = type;
    this.body = body.clone();
  }

  public int type() {
    return type;
  }

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** Whether the body starts with {@code prefix}, without copying it. */
  boolean bodyStartsWith(byte[] prefix) {
    return Bytes.startsWith(body, prefix);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stanza s && s.type == type && Arrays.equals(s.body, body);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(body);
  }

  /** Type and length, and for an HPKE stanza its (public) key id; never the whole body. */
  @Override
  public String toString() {
    String id =
        type == TYPE_HPKE_X25519 && body.length >= 16
            ? ", key id " + Hex.format(body, 0, 16)
            : "";
    return "Stanza[type " + type + ", " + body.length + " bytes" + id + "]";
  }
}
