package dev.obscura.crypto.sframe;

/**
 * The SFrame cipher suites (RFC 9605 section 4.5, IANA "SFrame Cipher Suites" registry), with
 * the constants of RFC 9605 Table 1.
 *
 * <p><b>Security guarantees:</b> every suite is an AEAD over the SFrame header, the metadata and
 * the frame. A forger's chance per attempt is 2<sup>-8*{@link #tagBytes()}</sup>: 2<sup>-128</sup>
 * for the GCM suites, 2<sup>-80</sup>, 2<sup>-64</sup> and 2<sup>-32</sup> for the AES-CTR-HMAC
 * suites (RFC 9605 section 7.5). {@link SFrameSender} and {@link SFrameReceiver} therefore refuse
 * the suites whose tag is shorter than 128 bits unless {@code allowShortTags()} is called.
 *
 * <p><b>Restrictions:</b> suites 0x0006 to 0x0008 (AES-256-CTR with HMAC-SHA-512) come from the
 * Internet-Draft draft-barnes-sframe-iana-256 and the sframe-wg test vectors, not from RFC 9605
 * itself; their numbers may still change before they are registered.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * SFrameCipherSuite suite = SFrameCipherSuite.DEFAULT;        // AES_128_GCM_SHA256_128
 * SFrameCipherSuite same = SFrameCipherSuite.fromId(0x0004);
 * }</pre>
 */
public enum SFrameCipherSuite {
  /** 0x0001: AES-128-CTR with HMAC-SHA-256, 80-bit tag. Short tag: needs {@code allowShortTags()}. */
  AES_128_CTR_HMAC_SHA256_80(0x0001, "HmacSHA256", 32, 16, 48, 10),
  /** 0x0002: AES-128-CTR with HMAC-SHA-256, 64-bit tag. Short tag: needs {@code allowShortTags()}. */
  AES_128_CTR_HMAC_SHA256_64(0x0002, "HmacSHA256", 32, 16, 48, 8),
  /** 0x0003: AES-128-CTR with HMAC-SHA-256, 32-bit tag. Short tag: needs {@code allowShortTags()}. */
  AES_128_CTR_HMAC_SHA256_32(0x0003, "HmacSHA256", 32, 16, 48, 4),
  /** 0x0004: AES-128-GCM, HKDF-SHA-256, 128-bit tag. The default. */
  AES_128_GCM_SHA256_128(0x0004, "HmacSHA256", 32, 0, 16, 16),
  /** 0x0005: AES-256-GCM, HKDF-SHA-512, 128-bit tag. */
  AES_256_GCM_SHA512_128(0x0005, "HmacSHA512", 64, 0, 32, 16),
  /** 0x0006 (draft): AES-256-CTR with HMAC-SHA-512, 80-bit tag. Needs {@code allowShortTags()}. */
  AES_256_CTR_HMAC_SHA512_80(0x0006, "HmacSHA512", 64, 32, 96, 10),
  /** 0x0007 (draft): AES-256-CTR with HMAC-SHA-512, 64-bit tag. Needs {@code allowShortTags()}. */
  AES_256_CTR_HMAC_SHA512_64(0x0007, "HmacSHA512", 64, 32, 96, 8),
  /** 0x0008 (draft): AES-256-CTR with HMAC-SHA-512, 32-bit tag. Needs {@code allowShortTags()}. */
  AES_256_CTR_HMAC_SHA512_32(0x0008, "HmacSHA512", 64, 32, 96, 4);

  /** The suite Obscura uses unless told otherwise: {@link #AES_128_GCM_SHA256_128}. */
  public static final SFrameCipherSuite DEFAULT = AES_128_GCM_SHA256_128;

  /** Tags shorter than this many bytes are "short" and refused by policy unless allowed. */
  public static final int FULL_TAG_BYTES = 16;

  private final int id;
  private final String hmacAlgorithm;
  private final int hashBytes;
  private final int aesKeyBytes;
  private final int keyBytes;
  private final int tagBytes;

  SFrameCipherSuite(int id, String hmacAlgorithm, int nh, int nka, int nk, int nt) {
    this.id = id;
    this.hmacAlgorithm = hmacAlgorithm;
    this.hashBytes = nh;
    this.aesKeyBytes = nka;
    this.keyBytes = nk;
    this.tagBytes = nt;
  }

  /** The 16-bit registry value, as it enters the key-derivation labels. */
  public int id() {
    return id;
  }

  /** The suite with registry value {@code id}. */
  public static SFrameCipherSuite fromId(int id) {
    for (SFrameCipherSuite s : values()) {
      if (s.id == id) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown SFrame cipher suite 0x" + Integer.toHexString(id));
  }

  /** Hash.Nh: output size of the suite's hash, in bytes. */
  public int hashBytes() {
    return hashBytes;
  }

  /** AEAD.Nk: size of {@code sframe_key}, in bytes (for AES-CTR-HMAC: AES key plus HMAC key). */
  public int keyBytes() {
    return keyBytes;
  }

  /** AEAD.Nn: size of the nonce and of {@code sframe_salt}, in bytes (12 for every suite). */
  public int nonceBytes() {
    return 12;
  }

  /** AEAD.Nt: the authentication tag appended to every ciphertext, in bytes. */
  public int tagBytes() {
    return tagBytes;
  }

  /** Whether this is one of the AES-CTR-with-HMAC compound AEADs (RFC 9605 section 4.5.1). */
  public boolean isCtrHmac() {
    return aesKeyBytes != 0;
  }

  /** Whether the tag is shorter than 128 bits, so the suite needs {@code allowShortTags()}. */
  public boolean hasShortTag() {
    return tagBytes < FULL_TAG_BYTES;
  }

  /** AEAD.Nka: the AES key inside {@code sframe_key} (AES-CTR-HMAC), or the whole key (GCM). */
  int aesKeyBytes() {
    return isCtrHmac() ? aesKeyBytes : keyBytes;
  }

  /** JCA name of the suite's HMAC, used by HKDF and by the AES-CTR-HMAC tag. */
  String hmacAlgorithm() {
    return hmacAlgorithm;
  }
}
