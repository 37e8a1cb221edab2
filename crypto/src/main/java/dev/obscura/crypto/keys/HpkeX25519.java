package dev.obscura.crypto.keys;

import com.google.crypto.tink.hybrid.HpkeParameters;
import com.google.crypto.tink.hybrid.HybridConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
    return Arrays.copyOf(sha256().digest(publicKey), KEY_ID_BYTES);
  }

  /**
   * Six groups of five digits: d = SHA-256(FINGERPRINT_LABEL || public key); group i is the
   * big-endian integer of d[5i..5i+5) modulo 100000, zero-padded.
   */
  static String fingerprint(byte[] publicKey) {
    MessageDigest md = sha256();
    md.update(FINGERPRINT_LABEL);
    byte[] d = md.digest(publicKey);
    StringBuilder sb = new StringBuilder(35);
    for (int g = 0; g < 6; g++) {
      long v = 0;
      for (int i = 0; i < 5; i++) {
        v = (v << 8) | (d[5 * g + i] & 0xff);
      }
      if (g > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%05d", v % 100_000));
    }
    return sb.toString();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
