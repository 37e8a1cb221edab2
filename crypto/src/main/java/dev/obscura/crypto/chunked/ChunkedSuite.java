package dev.obscura.crypto.chunked;

/**
 * An instantiation of C2SP chunked encryption (<a href="https://c2sp.org/chunked-encryption">
 * c2sp.org/chunked-encryption</a>): the AEAD used for the chunks. In both, the per-message key,
 * base nonce and commitment come from HKDF-Expand over SHA-512, as in the Wycheproof suites.
 *
 * <p><b>Security guarantees:</b> both give 128-bit key commitment (32-byte commitment) and
 * truncation/extension detection. {@link #COBBLESTONE_256} has a 256-bit key and is the default
 * of the segment format; {@link #COBBLESTONE_128} is the spec's recommended AEAD size.
 */
public enum ChunkedSuite {
  /** AES-256-GCM chunks, HKDF-Expand-SHA-512 derivation; 32-byte input key. */
  COBBLESTONE_256("AEAD_AES_256_GCM", 32),
  /** AES-128-GCM chunks, HKDF-Expand-SHA-512 derivation; 16-byte input key. */
  COBBLESTONE_128("AEAD_AES_128_GCM", 16);

  private final String aeadName;
  private final byte[] aeadNameBytes;
  private final int keySizeBytes;

  ChunkedSuite(String aeadName, int keySizeBytes) {
    this.aeadName = aeadName;
    this.aeadNameBytes = aeadName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    this.keySizeBytes = keySizeBytes;
  }

  /** The AEAD name as ASCII bytes (shared: callers must not modify it). */
  byte[] aeadNameBytes() {
    return aeadNameBytes;
  }

  /** The AEAD's name in the IANA AEAD registry, as it enters the HKDF info. */
  public String aeadName() {
    return aeadName;
  }

  /** Size of the input key, the derived AEAD key, in bytes (16 or 32). */
  public int keySizeBytes() {
    return keySizeBytes;
  }

  /** Size of the AEAD nonce and of the derived base nonce: 12 bytes. */
  public int nonceSizeBytes() {
    return 12;
  }
}
