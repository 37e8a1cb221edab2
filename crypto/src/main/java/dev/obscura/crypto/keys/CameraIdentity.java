package dev.obscura.crypto.keys;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.signature.SignatureConfig;
import com.google.crypto.tink.util.Bytes;
import dev.obscura.core.EntropySource;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A camera's Ed25519 identity key: it signs the camera's key envelopes (and, in the sharing
 * work, its chain manifests). Owners pin its public half in the roster so viewers can tell the
 * camera's envelopes from ones a store planted.
 *
 * <p><b>Security guarantees:</b> the key file is an encrypted Tink keyset (same v3 format as
 * {@link ViewerIdentity}, header {@code obscura-camera-identity v3}; v2 files are still read); the seed never appears in
 * {@code toString()} or in messages.
 *
 * <p><b>File formats:</b>
 *
 * <pre>
 * camera.key: obscura-camera-identity v3 / # comments / protection SCHEME / BASE64(wrapped keyset: one Ed25519 key)
 * camera.pub: obscura-camera-public-key v1
 *             # fingerprint 12345 67890 12345 67890 12345 67890
 *             ed25519 BASE64(32-byte Ed25519 public key)
 * </pre>
 */
public final class CameraIdentity {
  static final String FILE_HEADER = "obscura-camera-identity v3";
  static final String FILE_HEADER_V2 = "obscura-camera-identity v2";
  static final String PUBLIC_FILE_HEADER = "obscura-camera-public-key v1";

  static {
    try {
      SignatureConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final SigningKey key;

  private CameraIdentity(SigningKey key) {
    this.key = key;
  }

  /** A new camera identity from {@code entropy}. */
  public static CameraIdentity generate(EntropySource entropy) {
    return new CameraIdentity(SigningKey.generate(entropy));
  }

  /** The signing key (stays in this object; do not log it). */
  public SigningKey signingKey() {
    return key;
  }

  public VerifyingKey publicKey() {
    return key.verifyingKey();
  }

  /** The camera's safety number ({@link VerifyingKey#fingerprint()}). */
  public String fingerprint() {
    return key.verifyingKey().fingerprint();
  }

  /**
   * The private key as key file bytes (format v3), wrapped by {@code protection}.
   *
   * @param protection how the key is protected at rest
   * @return the UTF-8 bytes of the key file
   * @throws IOException if the protection fails
   */
  public byte[] toProtectedBytes(KeyProtection protection) throws IOException {
    Objects.requireNonNull(protection, "protection");
    byte[] seed = key.seed().toByteArray(InsecureSecretAccess.get());
    try {
      Ed25519PublicKey pub = Ed25519PublicKey.create(Bytes.copyFrom(key.verifyingKey().rawBytes()));
      KeysetHandle handle = KeysetHandle.newBuilder()
          .addEntry(KeysetHandle.importKey(Ed25519PrivateKey.create(pub,
              com.google.crypto.tink.util.SecretBytes.copyFrom(seed, InsecureSecretKeyAccess.get())))
              .withRandomId().makePrimary())
          .build();
      return ProtectedKeysets.seal(FILE_HEADER,
          Arrays.asList("Obscura camera identity (private key, encrypted). Mode 0600.", "fingerprint " + fingerprint()),
          handle, protection).getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the camera keyset", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Writes the private key, wrapped by {@code protection}, to a new file (mode 0600).
   *
   * @param path the new file
   * @param protection how the key is protected at rest
   * @throws java.nio.file.FileAlreadyExistsException if the file exists
   * @throws IOException if writing or the protection fails
   */
  public void writeTo(Path path, KeyProtection protection) throws IOException {
    KeyFiles.writeNew(path, new String(toProtectedBytes(protection), StandardCharsets.UTF_8), true);
  }

  /**
   * Reads a camera key written by {@link #writeTo}.
   *
   * @param path the key file
   * @param protection how it is protected
   * @return the identity
   * @throws KeyFileException if the file is missing, malformed or of another kind
   * @throws WrongPassphraseException if it does not unlock
   * @throws IOException if reading fails
   */
  public static CameraIdentity readFrom(Path path, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
    return parse(KeyFiles.read(path), path, protection);
  }

  /**
   * Reads a camera key from the bytes {@link #toProtectedBytes} returned.
   *
   * @param file the key file's bytes (at most 64 KiB)
   * @param protection how it is protected
   * @return the identity
   * @throws KeyFileException if the bytes are malformed or of another kind
   * @throws WrongPassphraseException if they do not unlock
   * @throws IOException if the protection's storage fails
   */
  public static CameraIdentity fromProtectedBytes(byte[] file, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
    return parse(KeyFiles.decode(file, null), null, protection);
  }

  private static CameraIdentity parse(String text, Path path, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
    Objects.requireNonNull(protection, "protection");
    String first = KeyFiles.firstLine(text);
    if (!first.equals(FILE_HEADER) && !first.equals(FILE_HEADER_V2)) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "not an Obscura camera identity file (v2 or v3)");
    }
    KeysetHandle handle;
    try {
      handle = ProtectedKeysets.open(path, text, first, protection);
    } catch (RuntimeException e) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "the camera keyset does not parse");
    }
    try {
      if (handle.size() != 1) {
        throw new KeyFileException(KeyFileException.Reason.WRONG_KIND, path, "holds more than one key");
      }
      Key k = handle.getAt(0).getKey();
      if (!(k instanceof Ed25519PrivateKey ed) || ed.getParameters().hasIdRequirement()) {
        throw new KeyFileException(KeyFileException.Reason.WRONG_KIND, path, "holds no Ed25519 key");
      }
      byte[] seed = ed.getPrivateKeyBytes().toByteArray(InsecureSecretKeyAccess.get());
      try {
        return new CameraIdentity(SigningKey.fromSeed(SecretBytes.copyFrom(seed, InsecureSecretAccess.get())));
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    } catch (RuntimeException e) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "the camera key does not parse");
    }
  }

  /** Writes {@code camera.pub} (public; for owners to pin in the roster). */
  public static void writePublicKey(VerifyingKey key, Path path) throws IOException {
    KeyFiles.writeNew(path, PUBLIC_FILE_HEADER + "\n# fingerprint " + key.fingerprint() + "\ned25519 "
        + key.toBase64() + "\n", false);
  }

  /** Reads a {@code camera.pub} file. */
  public static VerifyingKey readPublicKey(Path path) throws IOException, KeyFileException {
    String text = KeyFiles.read(path);
    if (!KeyFiles.firstLine(text).equals(PUBLIC_FILE_HEADER)) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "not an Obscura camera public key file (v1)");
    }
    VerifyingKey found = null;
    for (String line : text.split("\r?\n")) {
      if (line.startsWith("ed25519 ")) {
        byte[] raw;
        try {
          raw = Base64.getDecoder().decode(line.substring(8).trim());
        } catch (IllegalArgumentException e) {
          raw = new byte[0];
        }
        if (raw.length != VerifyingKey.LENGTH || found != null) {
          throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "bad or repeated ed25519 line");
        }
        found = VerifyingKey.fromRawBytes(raw);
      }
    }
    if (found == null) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "no ed25519 line");
    }
    return found;
  }

  @Override
  public String toString() {
    return "CameraIdentity[" + fingerprint() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CameraIdentity c && c.publicKey().equals(publicKey());
  }

  @Override
  public int hashCode() {
    return Objects.hash(publicKey());
  }
}
