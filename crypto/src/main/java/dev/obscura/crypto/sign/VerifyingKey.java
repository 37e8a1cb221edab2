package dev.obscura.crypto.sign;

import java.util.Locale;
import dev.obscura.crypto.internal.Sha256;
import com.google.crypto.tink.subtle.Ed25519Verify;
import dev.obscura.core.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import dev.obscura.core.Hex;
import java.util.Objects;

/**
 * An Ed25519 public key (RFC 8032): verifies signatures of a device, an owner or a camera.
 *
 * <p><b>Security guarantees:</b> {@link #verify} accepts only a signature made by the matching
 * {@link SigningKey} for the same {@link SignaturePurpose} and message.
 */
public final class VerifyingKey {
  /** Length of a raw Ed25519 public key. */
  public static final int LENGTH = 32;
  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_LENGTH = 64;

  private static final byte[] FINGERPRINT_LABEL =
      "obscura/v1 fingerprint ed25519".getBytes(StandardCharsets.US_ASCII);

  private final byte[] raw;
  private final Ed25519Verify verifier;

  private VerifyingKey(byte[] raw) {
    this.raw = raw;
    this.verifier = new Ed25519Verify(raw);
  }

  /** The key with these raw bytes. */
  public static VerifyingKey fromRawBytes(byte[] raw) {
    Objects.requireNonNull(raw, "raw");
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    return new VerifyingKey(raw.clone());
  }

  /**
   * Checks {@code signature} over {@code message} for {@code purpose}.
   *
   * @throws IntegrityException if the signature is not valid
   */
  public void verify(SignaturePurpose purpose, byte[] message, byte[] signature)
      throws IntegrityException {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(message, "message");
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      throw new IntegrityException("bad " + purpose.name().toLowerCase(java.util.Locale.ROOT)
          + " signature (wrong length)");
    }
    try {
      verifier.verify(signature, purpose.signedBytes(message));
    } catch (GeneralSecurityException e) {
      throw new IntegrityException("bad " + purpose.name().toLowerCase(java.util.Locale.ROOT)
          + " signature by key " + keyIdHex());
    }
  }

  /** The raw 32-byte key (a copy). */
  public byte[] rawBytes() {
    return raw.clone();
  }

  /** First 16 bytes of SHA-256 of the raw key: a stable identifier. */
  public byte[] keyId() {
    return Arrays.copyOf(Sha256.digest(raw), 16);
  }

  public String keyIdHex() {
    return Hex.format(keyId());
  }

  /**
   * A short safety number to compare out of band: six groups of five digits of SHA-256(
   * "obscura/v1 fingerprint ed25519" || key).
   */
  public String fingerprint() {
    return fingerprintDigits(Sha256.digest(FINGERPRINT_LABEL, raw));
  }

  /** Six groups of five digits from a digest, as used by all Obscura fingerprints. */
  public static String fingerprintDigits(byte[] digest) {
    StringBuilder sb = new StringBuilder();
    for (int g = 0; g < 6; g++) {
      long v = 0;
      for (int i = 0; i < 5; i++) {
        v = (v << 8) | (digest[5 * g + i] & 0xff);
      }
      if (g > 0) {
        sb.append(' ');
      }
      sb.append(String.format(Locale.ROOT, "%05d", v % 100000));
    }
    return sb.toString();
  }

  /** Base64 (RFC 4648, padded) of the raw key, for text files. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyingKey k && MessageDigest.isEqual(k.raw, raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "VerifyingKey[ed25519 " + keyIdHex() + "]";
  }
}
