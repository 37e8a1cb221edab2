package dev.obscura.crypto.keys;

import com.google.crypto.tink.hybrid.HpkeParameters;
import com.google.crypto.tink.hybrid.HybridConfig;
import dev.obscura.crypto.internal.Sha256;
import dev.obscura.crypto.sign.VerifyingKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The HPKE suite of viewer keys and the derived public values. Not API.
 *
 * <p>RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256) (0x0020), HKDF-SHA256 (0x0001), AES-256-GCM
 * (0x0002). info = {@link #INFO_LABEL} || envelope header bytes; aad = empty (Tink's
 * HybridEncrypt).
 */
final class HpkeX25519 {
  static final int PUBLIC_KEY_BYTES = 32;
  static final int KEY_ID_BYTES = 16;
  static final int ENC_BYTES = 32;
  static final int CIPHERTEXT_BYTES = EpochKey.LENGTH + 16;
  static final int BODY_BYTES = KEY_ID_BYTES + ENC_BYTES + CIPHERTEXT_BYTES;

  /** Prefix of the HPKE info string; the encoded envelope header follows it. */
  static final byte[] INFO_LABEL =
      "obscura/v1 envelope hpke-x25519".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FINGERPRINT_LABEL =
      "obscura/v1 fingerprint hpke-x25519".getBytes(StandardCharsets.US_ASCII);

  static final HpkeParameters PARAMETERS;

  static {
    try {
      // Registers Tink's HPKE key serialization, needed to read and write keysets.
      HybridConfig.register();
      PARAMETERS =
          HpkeParameters.builder()
              .setKemId(HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256)
              .setKdfId(HpkeParameters.KdfId.HKDF_SHA256)
              .setAeadId(HpkeParameters.AeadId.AES_256_GCM)
              .setVariant(HpkeParameters.Variant.NO_PREFIX)
              .build();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private HpkeX25519() {}

  static byte[] info(byte[] envelopeHeader) {
    byte[] info = Arrays.copyOf(INFO_LABEL, INFO_LABEL.length + envelopeHeader.length);
    System.arraycopy(envelopeHeader, 0, info, INFO_LABEL.length, envelopeHeader.length);
    return info;
  }

  /** First 16 bytes of SHA-256(raw X25519 public key). */
  static byte[] keyId(byte[] publicKey) {
    return Arrays.copyOf(Sha256.digest(publicKey), KEY_ID_BYTES);
  }

  /**
   * Six groups of five digits ({@link VerifyingKey#fingerprintDigits}) of SHA-256(
   * FINGERPRINT_LABEL || public key).
   */
  static String fingerprint(byte[] publicKey) {
    return VerifyingKey.fingerprintDigits(Sha256.digest(FINGERPRINT_LABEL, publicKey));
  }
}
