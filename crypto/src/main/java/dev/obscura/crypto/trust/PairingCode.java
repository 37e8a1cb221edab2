package dev.obscura.crypto.trust;

import dev.obscura.crypto.internal.Sha256;
import dev.obscura.core.Hex;
import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.sign.VerifyingKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The code a camera shows (printed on the device, or as a QR code) so that its owner can pair
 * with it without trusting the store: the camera key's fingerprint and a fresh pairing secret.
 *
 * <p><b>Encoding</b>: 30 bytes in 48 base32 characters (RFC 4648 alphabet), written in twelve
 * groups of four separated by dashes (case, dashes and spaces are ignored when read):
 *
 * <pre>
 * camera key fingerprint (12) = first 12 bytes of the camera key's id (SHA-256 of the Ed25519 key)
 * pairing secret (16)         = 128 random bits, used once
 * check (2)                   = first 2 bytes of SHA-256("obscura/v1 pairing code" || the 28 bytes before)
 * </pre>
 *
 * <p><b>Security guarantees:</b> the owner's side finds the camera key in the store and refuses it
 * unless its fingerprint matches the code (96 bits: a store would need a second preimage); the
 * camera accepts a first roster only with a {@link PairingRecord} that this secret authenticates
 * (128 bits, never in the store). The check catches typing errors before anything is signed. The
 * secret never appears in {@code toString()} or in messages.
 */
public final class PairingCode {
  /** Bytes of the camera key fingerprint in the code. */
  public static final int FINGERPRINT_BYTES = 12;
  /** Bytes of the pairing secret (128 bits). */
  public static final int SECRET_BYTES = 16;
  private static final int CHECK_BYTES = 2;
  private static final int CODE_BYTES = FINGERPRINT_BYTES + SECRET_BYTES + CHECK_BYTES;
  private static final byte[] CHECK_LABEL = "obscura/v1 pairing code".getBytes(StandardCharsets.US_ASCII);

  private final byte[] fingerprint;
  private final SecretBytes secret;

  private PairingCode(byte[] fingerprint, SecretBytes secret) {
    this.fingerprint = fingerprint;
    this.secret = secret;
  }

  /** A new code for {@code camera} with a fresh secret from {@code entropy}. */
  public static PairingCode generate(VerifyingKey camera, EntropySource entropy) {
    return new PairingCode(Arrays.copyOf(camera.keyId(), FINGERPRINT_BYTES), SecretBytes.random(SECRET_BYTES, entropy));
  }

  /** The code of {@code camera} with a known secret (the camera reads its own back). */
  public static PairingCode of(VerifyingKey camera, SecretBytes secret) {
    if (secret.size() != SECRET_BYTES) {
      throw new IllegalArgumentException("a pairing secret is " + SECRET_BYTES + " bytes");
    }
    return new PairingCode(Arrays.copyOf(camera.keyId(), FINGERPRINT_BYTES), secret);
  }

  /**
   * Reads a code as a person typed it.
   *
   * @throws IllegalArgumentException if it is not 48 base32 characters, or its check does not
   *     match (a typing error); the message never repeats the code
   */
  public static PairingCode parse(String text) {
    Objects.requireNonNull(text, "text");
    byte[] b = Codes.parse(text, CODE_BYTES, "a pairing code");
    try {
      byte[] check = Arrays.copyOf(Sha256.digest(CHECK_LABEL, Arrays.copyOf(b, CODE_BYTES - CHECK_BYTES)), CHECK_BYTES);
      if (!MessageDigest.isEqual(check, Arrays.copyOfRange(b, CODE_BYTES - CHECK_BYTES, CODE_BYTES))) {
        throw new IllegalArgumentException("the pairing code is mistyped (its check does not match)");
      }
      byte[] s = Arrays.copyOfRange(b, FINGERPRINT_BYTES, FINGERPRINT_BYTES + SECRET_BYTES);
      try {
        return new PairingCode(Arrays.copyOf(b, FINGERPRINT_BYTES), SecretBytes.copyFrom(s, InsecureSecretAccess.get()));
      } finally {
        Arrays.fill(s, (byte) 0);
      }
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }

  /** Whether {@code camera} is the key this code names. */
  public boolean names(VerifyingKey camera) {
    return MessageDigest.isEqual(fingerprint, Arrays.copyOf(camera.keyId(), FINGERPRINT_BYTES));
  }

  /** The camera key fingerprint part (12 bytes, a copy): public. */
  public byte[] cameraFingerprint() {
    return fingerprint.clone();
  }

  /** The pairing secret (the caller must not log it). */
  public SecretBytes secret() {
    return secret;
  }

  /** The code to show: twelve groups of four base32 characters. Contains the secret. */
  public String toCodeString() {
    byte[] s = secret.toByteArray(InsecureSecretAccess.get());
    byte[] b = new byte[CODE_BYTES];
    try {
      System.arraycopy(fingerprint, 0, b, 0, FINGERPRINT_BYTES);
      System.arraycopy(s, 0, b, FINGERPRINT_BYTES, SECRET_BYTES);
      byte[] check = Sha256.digest(CHECK_LABEL, Arrays.copyOf(b, CODE_BYTES - CHECK_BYTES));
      System.arraycopy(check, 0, b, CODE_BYTES - CHECK_BYTES, CHECK_BYTES);
      return Codes.format(b);
    } finally {
      Arrays.fill(s, (byte) 0);
      Arrays.fill(b, (byte) 0);
    }
  }

  /** Destroys the secret. */
  public void destroy() {
    secret.destroy();
  }

  @Override
  public String toString() {
    return "PairingCode[camera " + Hex.format(fingerprint) + ", secret hidden]";
  }
}
