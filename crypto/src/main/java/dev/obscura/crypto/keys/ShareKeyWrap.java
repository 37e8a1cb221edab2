package dev.obscura.crypto.keys;

import com.google.crypto.tink.hybrid.HpkePublicKey;
import com.google.crypto.tink.hybrid.subtle.HpkeEncrypt;
import com.google.crypto.tink.util.Bytes;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Wraps the 32-byte key of a share grant for one viewer with HPKE, as key envelopes do for epoch
 * keys, but under its own label, so a grant's wrapped key can never be taken for an envelope
 * stanza or the reverse.
 *
 * <pre>
 * body (96 bytes) = key id (16) || enc (32) || ct (48)
 * enc, ct = HPKE base mode SealBase(pkR = viewer's X25519 key,
 *     info = "obscura/v1 share hpke-x25519" || context, aad = empty, pt = grant key)
 *     with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM
 * </pre>
 *
 * <p><b>Security guarantees:</b> only the matching {@link ViewerIdentity} can unwrap, and only
 * under the same {@code context} (a share grant passes the hash of its signed record).
 *
 * <p><b>Restrictions:</b> HPKE base mode does not authenticate the sender; a share grant is
 * authenticated by the owner's signature over its record, which the context binds.
 */
public final class ShareKeyWrap {
  /** Length of a wrapped grant key. */
  public static final int BODY_BYTES = HpkeX25519.BODY_BYTES;
  /** Length of the key being wrapped. */
  public static final int KEY_BYTES = 32;

  static final byte[] INFO_LABEL = "obscura/v1 share hpke-x25519".getBytes(StandardCharsets.US_ASCII);

  private ShareKeyWrap() {}

  /** Wraps the 32-byte {@code grantKey} to {@code viewer} under {@code context}. */
  public static byte[] wrap(ViewerPublicKey viewer, SecretBytes grantKey, byte[] context) {
    Objects.requireNonNull(viewer, "viewer");
    Objects.requireNonNull(grantKey, "grantKey");
    Objects.requireNonNull(context, "context");
    if (grantKey.size() != KEY_BYTES) {
      throw new IllegalArgumentException("a grant key is 32 bytes");
    }
    byte[] plain = grantKey.toByteArray(InsecureSecretAccess.get());
    try {
      HpkePublicKey key = HpkePublicKey.create(HpkeX25519.PARAMETERS,
          Bytes.copyFrom(viewer.rawBytes()), null);
      byte[] sealed = HpkeEncrypt.create(key).encrypt(plain, info(context));
      if (sealed.length != HpkeX25519.ENC_BYTES + HpkeX25519.CIPHERTEXT_BYTES) {
        throw new IllegalStateException("unexpected HPKE output length");
      }
      byte[] body = Arrays.copyOf(viewer.keyId(), BODY_BYTES);
      System.arraycopy(sealed, 0, body, HpkeX25519.KEY_ID_BYTES, sealed.length);
      return body;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HPKE encryption failed", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Unwraps a grant key wrapped by {@link #wrap}.
   *
   * @throws KeyUnavailableException if the body is addressed to another viewer
   * @throws IntegrityException if it is addressed to this viewer but does not decrypt under
   *     {@code context} (tampered, or moved from another grant)
   */
  public static SecretBytes unwrap(ViewerIdentity identity, byte[] body, byte[] context)
      throws KeyUnavailableException, IntegrityException {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(context, "context");
    if (body.length != BODY_BYTES) {
      throw new IntegrityException("wrapped grant key has the wrong length");
    }
    if (!MessageDigest.isEqual(Arrays.copyOf(body, HpkeX25519.KEY_ID_BYTES),
        identity.publicKey().keyId())) {
      throw new KeyUnavailableException("the share grant is addressed to another viewer key");
    }
    byte[] plain;
    try {
      plain = identity.hpkeOpen(Arrays.copyOfRange(body, HpkeX25519.KEY_ID_BYTES, body.length),
          info(context));
    } catch (GeneralSecurityException e) {
      throw new IntegrityException("the share grant's wrapped key does not decrypt for this"
          + " identity: tampered, or moved from another grant");
    }
    if (plain.length != KEY_BYTES) {
      Arrays.fill(plain, (byte) 0);
      throw new IntegrityException("unwrapped grant key has the wrong length");
    }
    return SecretBytes.wrap(plain);
  }

  private static byte[] info(byte[] context) {
    byte[] info = Arrays.copyOf(INFO_LABEL, INFO_LABEL.length + context.length);
    System.arraycopy(context, 0, info, INFO_LABEL.length, context.length);
    return info;
  }
}
