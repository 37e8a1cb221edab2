package dev.obscura.crypto.sframe;

import dev.obscura.crypto.internal.Hkdf;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.Arrays;

/**
 * Key derivations of SFrame (RFC 9605 section 4.4.2) and of Obscura's binding of SFrame to epoch
 * keys. Run once per (epoch, receiver or sender), never per frame. Each takes the JCA provider of
 * its HMAC ({@code null}: the platform's preferred one).
 */
final class SFrameKeySchedule {
  /** ASCII label of Obscura's SFrame base key, distinct from every segment-sealing label. */
  static final byte[] BASE_KEY_LABEL = "obscura/v1 sframe base key".getBytes(StandardCharsets.US_ASCII);
  /** Length of Obscura's SFrame base key in bytes. */
  static final int BASE_KEY_BYTES = 32;

  private static final byte[] KEY_LABEL = "SFrame 1.0 Secret key ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SALT_LABEL = "SFrame 1.0 Secret salt ".getBytes(StandardCharsets.US_ASCII);

  private SFrameKeySchedule() {}

  /**
   * Obscura's {@code base_key} of an epoch: HKDF-SHA-256 with IKM = the 32-byte epoch key, an
   * empty salt, info = "obscura/v1 sframe base key" || u8 len(stream id) || stream id ||
   * u64be(epoch), L = 32. The caller owns (and must wipe) the result.
   */
  static byte[] baseKey(EpochKey epochKey, Provider provider) {
    byte[] ikm = epochKey.secret().toByteArray(InsecureSecretAccess.get());
    byte[] prk = null;
    try {
      Hkdf hkdf = new Hkdf("HmacSHA256", provider);
      prk = hkdf.extract(new byte[0], ikm);
      return hkdf.expand(prk, baseKeyInfo(epochKey), BASE_KEY_BYTES);
    } finally {
      Arrays.fill(ikm, (byte) 0);
      if (prk != null) {
        Arrays.fill(prk, (byte) 0);
      }
    }
  }

  /** The HKDF info of {@link #baseKey}: label || u8 len || stream id || u64be epoch. */
  static byte[] baseKeyInfo(EpochKey epochKey) {
    byte[] stream = epochKey.stream().toBytes();
    return ByteBuffer.allocate(BASE_KEY_LABEL.length + 1 + stream.length + 8)
        .put(BASE_KEY_LABEL)
        .put((byte) stream.length)
        .put(stream)
        .putLong(epochKey.epoch().value())
        .array();
  }

  /** {@code "SFrame 1.0 Secret key " || u64be(KID) || u16be(suite)}. */
  static byte[] keyLabel(long kid, SFrameCipherSuite suite) {
    return label(KEY_LABEL, kid, suite);
  }

  /** {@code "SFrame 1.0 Secret salt " || u64be(KID) || u16be(suite)}. */
  static byte[] saltLabel(long kid, SFrameCipherSuite suite) {
    return label(SALT_LABEL, kid, suite);
  }

  private static byte[] label(byte[] prefix, long kid, SFrameCipherSuite suite) {
    return ByteBuffer.allocate(prefix.length + 10)
        .put(prefix)
        .putLong(kid)
        .putShort((short) suite.id())
        .array();
  }

  /** {@code sframe_secret = HKDF-Extract("", base_key)} with the suite's hash. */
  static byte[] secret(SFrameCipherSuite suite, byte[] baseKey, Provider provider) {
    return Hkdf.extract(suite.hmacAlgorithm(), provider, new byte[0], baseKey);
  }

  /** {@code sframe_key = HKDF-Expand(sframe_secret, key label, Nk)}. */
  static byte[] key(SFrameCipherSuite suite, byte[] secret, long kid, Provider provider) {
    return Hkdf.expand(suite.hmacAlgorithm(), provider, secret, keyLabel(kid, suite), suite.keyBytes());
  }

  /** {@code sframe_salt = HKDF-Expand(sframe_secret, salt label, Nn)}. */
  static byte[] salt(SFrameCipherSuite suite, byte[] secret, long kid, Provider provider) {
    return Hkdf.expand(suite.hmacAlgorithm(), provider, secret, saltLabel(kid, suite), suite.nonceBytes());
  }
}
