package dev.obscura.crypto.keys;

import com.google.crypto.tink.Aead;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.Optional;

/**
 * How a private key file is protected at rest: it wraps the file's secret bytes (the serialized
 * keyset) under something the device keeps, and unwraps them again. Implement it with the
 * platform's keystore (Android Keystore, Keychain, a TPM), or use one of the implementations
 * here:
 *
 * <ul>
 *   <li>{@link #passphrase(char[])}: a key derived from a passphrase with Argon2id
 *       ({@link PassphraseProtection}); protects the file even if the whole disk is copied;
 *   <li>{@link #platformKey(Path)}: a random 32-byte key in a file of its own ({@link
 *       PlatformKeyFile}), which stands in for an OS keystore on desktops and unattended cameras;
 *   <li>{@link #aead(String, Aead)}: any Tink {@link Aead}, for example one backed by Android
 *       Keystore ({@code AndroidKeystoreKmsClient} of {@code tink-android}).
 * </ul>
 *
 * <p><b>Contract for implementations:</b> {@link #wrap} must be an AEAD: {@link #unwrap} returns
 * the secret only for the exact wrapped bytes and the same associated data, and throws a {@link
 * GeneralSecurityException} for anything else (another key or passphrase, a changed byte, other
 * associated data). The associated data names what is protected (the key file's kind and this
 * scheme), so a wrapped secret cannot be moved into another kind of file. Neither method may log
 * or put the secret, the passphrase or key bytes in an exception message; the key file code drops
 * the causes of unwrap failures and reports a {@link WrongPassphraseException}.
 *
 * <p>The {@link #scheme()} is written in clear into the key file, so a reader can say which
 * protection a file needs.
 *
 * <p><b>Sample</b> (Android Keystore through Tink):
 *
 * <pre>{@code
 * Aead keystore = new AndroidKeystoreKmsClient().getAead("android-keystore://obscura-identity");
 * KeyProtection protection = KeyProtection.aead("android-keystore", keystore);
 * byte[] file = identity.toProtectedBytes(protection);        // store it in app-private storage
 * ViewerIdentity back = ViewerIdentity.fromProtectedBytes(file, protection);
 * }</pre>
 */
public interface KeyProtection {
  /**
   * The name of this scheme, written in clear into the key file: 1 to 32 characters of {@code
   * [a-z0-9-]}, starting with a letter or digit (for example {@code argon2id}, {@code
   * platform-key}, {@code android-keystore}).
   *
   * @return the scheme name
   */
  String scheme();

  /**
   * Wraps {@code secret} (not modified, not kept) bound to {@code associatedData}.
   *
   * @param secret the bytes to protect
   * @param associatedData what is protected (authenticated, not encrypted, not stored)
   * @return the wrapped bytes, which {@link #unwrap} turns back into {@code secret}
   * @throws IOException if the protection's own storage fails (a platform key file)
   * @throws GeneralSecurityException if the protection cannot wrap (a keystore refuses)
   */
  byte[] wrap(byte[] secret, byte[] associatedData) throws IOException, GeneralSecurityException;

  /**
   * Unwraps what {@link #wrap} returned under the same {@code associatedData}; fails closed.
   *
   * @param wrapped the wrapped bytes, from an untrusted file
   * @param associatedData the same associated data as when wrapping
   * @return a fresh copy of the secret (the caller wipes it)
   * @throws IOException if the protection's own storage fails
   * @throws GeneralSecurityException if it does not unwrap: another key or passphrase, tampered
   *     bytes, or other associated data
   */
  byte[] unwrap(byte[] wrapped, byte[] associatedData) throws IOException, GeneralSecurityException;

  /**
   * The protection to read a file written with {@code scheme}: this one if its {@link #scheme()}
   * is {@code scheme}. A {@linkplain #firstOf combination} searches its members.
   *
   * @param scheme the scheme named in a key file
   * @return the protection for it, or empty
   */
  default Optional<KeyProtection> forScheme(String scheme) {
    return scheme().equals(scheme) ? Optional.of(this) : Optional.empty();
  }

  /**
   * Protection by {@code passphrase} (copied; the caller should wipe its array), with the
   * default Argon2id costs ({@link Argon2idParams#DEFAULT}) and reading floor.
   *
   * @param passphrase the passphrase, not empty
   * @return the protection
   * @throws IllegalArgumentException if the passphrase is empty
   */
  static PassphraseProtection passphrase(char[] passphrase) {
    return PassphraseProtection.of(passphrase);
  }

  /**
   * Protection by the platform key in {@code file}, created (mode 0600, folder 0700) on first
   * wrap.
   *
   * @param file where the platform key is kept
   * @return the protection
   */
  static PlatformKeyFile platformKey(Path file) {
    return PlatformKeyFile.at(file);
  }

  /**
   * Protection by a Tink {@link Aead} the app holds, for example one backed by Android Keystore:
   * the wrapped bytes are {@code aead.encrypt(secret, associatedData)}.
   *
   * @param scheme the name written into key files ({@link #scheme()} rules)
   * @param aead the AEAD; its key never leaves it
   * @return the protection
   * @throws IllegalArgumentException if the scheme name breaks the rules
   */
  static KeyProtection aead(String scheme, Aead aead) {
    return new AeadKeyProtection(checkScheme(scheme), Objects.requireNonNull(aead, "aead"));
  }

  /**
   * A protection that wraps with {@code primary} and unwraps a file with whichever of {@code
   * primary} and {@code others} has the file's scheme: for example a passphrase for new files,
   * while files written under the platform key still open.
   *
   * @param primary the protection new files are written with
   * @param others further protections, for reading only
   * @return the combination
   */
  static KeyProtection firstOf(KeyProtection primary, KeyProtection... others) {
    Objects.requireNonNull(primary, "primary");
    KeyProtection[] all = new KeyProtection[others.length + 1];
    all[0] = primary;
    for (int i = 0; i < others.length; i++) {
      all[i + 1] = Objects.requireNonNull(others[i], "others[" + i + "]");
    }
    return new FirstOfProtection(all);
  }

  /**
   * Checks a scheme name against the {@link #scheme()} rules.
   *
   * @param scheme the name
   * @return the name
   * @throws IllegalArgumentException if it breaks them
   */
  static String checkScheme(String scheme) {
    Objects.requireNonNull(scheme, "scheme");
    if (!scheme.matches("[a-z0-9][a-z0-9-]{0,31}")) {
      throw new IllegalArgumentException(
          "a key protection scheme is 1 to 32 characters of [a-z0-9-], starting with a letter or digit");
    }
    return scheme;
  }
}
