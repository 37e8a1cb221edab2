package dev.obscura.crypto.sign;

import com.google.crypto.tink.subtle.Ed25519Sign;
import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Ed25519 private key (RFC 8032) of a device, an owner or a camera. Signatures are always
 * domain-separated by a {@link SignaturePurpose}.
 *
 * <p><b>Security guarantees:</b> the 32-byte seed lives in a {@link SecretBytes}; exporting it
 * needs {@link InsecureSecretAccess}; {@code toString()} shows only the public key id.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * SigningKey camera = SigningKey.generate(EntropySource.system());
 * byte[] sig = camera.sign(SignaturePurpose.CHAIN_MANIFEST, manifestBytes);
 * camera.verifyingKey().verify(SignaturePurpose.CHAIN_MANIFEST, manifestBytes, sig);
 * }</pre>
 */
public final class SigningKey {
  /** Length of the private seed. */
  public static final int SEED_LENGTH = 32;

  private final SecretBytes seed;
  private final Ed25519Sign signer;
  private final VerifyingKey verifyingKey;

  private SigningKey(SecretBytes seed) {
    this.seed = seed;
    byte[] s = seed.toByteArray(InsecureSecretAccess.get());
    try {
      Ed25519Sign.KeyPair pair = Ed25519Sign.KeyPair.newKeyPairFromSeed(s);
      this.verifyingKey = VerifyingKey.fromRawBytes(pair.getPublicKey());
      this.signer = new Ed25519Sign(s);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is unavailable", e);
    } finally {
      Arrays.fill(s, (byte) 0);
    }
  }

  /** A fresh key from {@code entropy}. */
  public static SigningKey generate(EntropySource entropy) {
    return new SigningKey(SecretBytes.random(SEED_LENGTH, entropy));
  }

  /** The key with this 32-byte seed (for key files). */
  public static SigningKey fromSeed(SecretBytes seed) {
    Objects.requireNonNull(seed, "seed");
    if (seed.size() != SEED_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    return new SigningKey(seed);
  }

  /** The seed, for storing the key encrypted. */
  public SecretBytes seed() {
    return seed;
  }

  public VerifyingKey verifyingKey() {
    return verifyingKey;
  }

  /** Signs {@code message} for {@code purpose}; a 64-byte signature. */
  public byte[] sign(SignaturePurpose purpose, byte[] message) {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(message, "message");
    try {
      return signer.sign(purpose.signedBytes(message));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  @Override
  public String toString() {
    return "SigningKey[ed25519 " + verifyingKey.keyIdHex() + "]";
  }
}
