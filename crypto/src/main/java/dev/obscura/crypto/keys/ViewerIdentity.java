package dev.obscura.crypto.keys;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.hybrid.HpkePrivateKey;
import com.google.crypto.tink.hybrid.HpkePublicKey;
import com.google.crypto.tink.hybrid.subtle.HpkeDecrypt;
import com.google.crypto.tink.subtle.X25519;
import com.google.crypto.tink.util.Bytes;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.sign.SigningKey;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.signature.SignatureConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A viewer device's private keys: an HPKE key pair (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
 * AES-256-GCM) that unwraps the epoch keys cameras wrapped for its {@link #publicKey()}, and an
 * Ed25519 {@link #signingKey()} with which an owner device signs rosters. Both live in one Tink
 * keyset in one encrypted file.
 *
 * <p><b>Security guarantees:</b> {@link #unwrap} returns a key only from a stanza that was
 * wrapped to this identity's public key under exactly the given envelope header; a stanza
 * addressed to this identity (key id matches) that fails to decrypt is an {@link
 * IntegrityException}, not silently skipped. The private key never appears in {@code
 * toString()} (which shows the fingerprint) or in exception messages.
 *
 * <p><b>Restrictions:</b>
 *
 * <ul>
 *   <li>The key file (v2) is a Tink keyset encrypted under a passphrase or the platform key
 *       ({@link KeyProtection}); whoever holds the file and that secret can watch every epoch
 *       wrapped to this device. Files of version 1 (cleartext, issue 2) are still read; they have
 *       no signing key.
 *   <li>The private key sits in Tink's key objects on the heap and cannot be wiped.
 *   <li>HPKE base mode does not authenticate the sender (see {@link ViewerPublicKey}).
 * </ul>
 *
 * <p><b>File format</b> (UTF-8 text, at most 64 KiB, created with mode 0600):
 *
 * <pre>
 * obscura-viewer-identity v2
 * # comment lines (start with '#'), e.g. the fingerprint
 * protection argon2id m=65536 t=3 p=1 salt=BASE64   (or: protection platform-key id=HEX)
 * {encrypted Tink keyset in Tink's JSON format (TinkJsonProtoKeysetFormat), holding one
 *  HpkePrivateKey: DHKEM_X25519_HKDF_SHA256 / HKDF_SHA256 / AES_256_GCM, output prefix RAW,
 *  and one Ed25519PrivateKey, output prefix RAW}
 * </pre>
 *
 * See {@code docs/spec/devices-and-roster-v1.md}. Version 1 files ({@code obscura-viewer-identity
 * v1}) hold the same keyset in cleartext with the HPKE key only. Keys of other types in the
 * keyset are ignored; exactly one HPKE private key with the parameters above must be present,
 * and at most one Ed25519 key.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * ViewerIdentity me = ViewerIdentity.generate();
 * me.writeTo(Path.of("phone.key"));             // mode 0600
 * me.publicKey().writeTo(Path.of("phone.pub")); // give this to the camera
 * EpochKey key = KeyEnvelope.open(envelopeBytes, ViewerIdentity.readFrom(Path.of("phone.key")));
 * }</pre>
 */
public final class ViewerIdentity implements Identity {
  static final String FILE_HEADER = "obscura-viewer-identity v1";
  static final String FILE_HEADER_V2 = "obscura-viewer-identity v2";

  private final HpkePrivateKey privateKey;
  private final SigningKey signingKey;
  private final ViewerPublicKey publicKey;
  private final byte[] keyId;
  private final HybridDecrypt decrypt;

  private ViewerIdentity(HpkePrivateKey privateKey, SigningKey signingKey) throws GeneralSecurityException {
    this.privateKey = privateKey;
    this.signingKey = signingKey;
    byte[] raw = privateKey.getPublicKey().getPublicKeyBytes().toByteArray();
    this.publicKey = signingKey == null
        ? ViewerPublicKey.fromRawBytes(raw)
        : ViewerPublicKey.fromRawBytes(raw, signingKey.verifyingKey());
    this.keyId = publicKey.keyId();
    this.decrypt = HpkeDecrypt.create(privateKey);
  }

  static {
    try {
      SignatureConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A new identity with a key from the platform's strong random generator. */
  public static ViewerIdentity generate() {
    return generate(EntropySource.system());
  }

  /**
   * A new identity whose private key comes from {@code entropy} (use {@link
   * EntropySource#system()} outside tests).
   */
  public static ViewerIdentity generate(EntropySource entropy) {
    Objects.requireNonNull(entropy, "entropy");
    byte[] priv = new byte[32];
    entropy.nextBytes(priv);
    return fromScalar(priv, SigningKey.generate(entropy));
  }

  /**
   * The identity with this X25519 scalar (clamped here; the array is wiped) and signing key.
   * Used by recovery, which derives both from a passphrase.
   */
  static ViewerIdentity fromScalar(byte[] priv, SigningKey signingKey) {
    // RFC 7748 clamping, so the stored scalar is canonical
    priv[0] &= (byte) 248;
    priv[31] &= 127;
    priv[31] |= 64;
    try {
      byte[] pub = X25519.publicFromPrivate(priv);
      HpkePublicKey publicKey = HpkePublicKey.create(HpkeX25519.PARAMETERS, Bytes.copyFrom(pub), null);
      HpkePrivateKey privateKey =
          HpkePrivateKey.create(
              publicKey,
              com.google.crypto.tink.util.SecretBytes.copyFrom(priv, InsecureSecretKeyAccess.get()));
      return new ViewerIdentity(privateKey, signingKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create an X25519 key", e);
    } finally {
      Arrays.fill(priv, (byte) 0);
    }
  }

  /** The public key to give to cameras (and to compare by fingerprint). */
  public ViewerPublicKey publicKey() {
    return publicKey;
  }

  /**
   * The device's Ed25519 signing key, with which it signs rosters; empty for an identity read
   * from a version-1 file.
   */
  public Optional<SigningKey> signingKey() {
    return Optional.ofNullable(signingKey);
  }

  /** Same as {@code publicKey().fingerprint()}. */
  public String fingerprint() {
    return publicKey.fingerprint();
  }

  /**
   * HPKE base-mode open with this identity's private key under {@code info}: the hook of {@link
   * ShareKeyWrap} (share grants). Not API.
   */
  byte[] hpkeOpen(byte[] encAndCiphertext, byte[] info) throws GeneralSecurityException {
    return decrypt.decrypt(encAndCiphertext, info);
  }

  /**
   * Opens the first type-{@value Stanza#TYPE_HPKE_X25519} stanza whose key id is this identity's;
   * other stanzas are skipped.
   *
   * @throws MalformedDataException if any HPKE stanza's body is not 96 bytes (checked before
   *     anything is decrypted)
   * @throws IntegrityException if the stanza addressed to this identity does not decrypt under
   *     {@code header}
   */
  @Override
  public Optional<EpochKey> unwrap(List<Stanza> stanzas, EnvelopeHeader header)
      throws IntegrityException, MalformedDataException {
    Objects.requireNonNull(header, "header");
    // Every HPKE stanza must have the fixed size, whether or not it is ours: the result does not
    // depend on the order of stanzas.
    for (Stanza s : stanzas) {
      if (s.type() == Stanza.TYPE_HPKE_X25519 && s.bodyLength() != HpkeX25519.BODY_BYTES) {
        throw new MalformedDataException(
            "HPKE stanza body is " + s.bodyLength() + " bytes, expected " + HpkeX25519.BODY_BYTES);
      }
    }
    for (Stanza s : stanzas) {
      if (s.type() != Stanza.TYPE_HPKE_X25519 || !s.bodyStartsWith(keyId)) {
        continue;
      }
      byte[] body = s.body();
      byte[] sealed = Arrays.copyOfRange(body, HpkeX25519.KEY_ID_BYTES, body.length);
      byte[] plain;
      try {
        plain = decrypt.decrypt(sealed, HpkeX25519.info(header.toBytes()));
      } catch (GeneralSecurityException e) {
        // no cause: it adds nothing and is not ours to vouch for
        throw new IntegrityException(
            "the key stanza for this identity in the envelope of "
                + header.stream() + " " + header.epoch()
                + " does not decrypt: tampered, or moved from another envelope");
      }
      if (plain.length != EpochKey.LENGTH) {
        Arrays.fill(plain, (byte) 0);
        throw new IntegrityException("unwrapped key has the wrong length");
      }
      return Optional.of(new EpochKey(header.stream(), header.epoch(), SecretBytes.wrap(plain)));
    }
    return Optional.empty();
  }

  private KeysetHandle keyset() throws GeneralSecurityException {
    KeysetHandle.Builder b = KeysetHandle.newBuilder()
        .addEntry(KeysetHandle.importKey(privateKey).withRandomId().makePrimary());
    if (signingKey != null) {
      byte[] seed = signingKey.seed().toByteArray(InsecureSecretAccess.get());
      try {
        Ed25519PublicKey pub = Ed25519PublicKey.create(Bytes.copyFrom(signingKey.verifyingKey().rawBytes()));
        b.addEntry(KeysetHandle.importKey(Ed25519PrivateKey.create(pub,
            com.google.crypto.tink.util.SecretBytes.copyFrom(seed, InsecureSecretKeyAccess.get()))).withRandomId());
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    }
    return b.build();
  }

  /**
   * Writes the identity, encrypted under {@link KeyProtection#defaults()} (the passphrase in
   * {@code OBSCURA_PASSPHRASE}, else the platform key), to a new file created with POSIX mode
   * 0600.
   *
   * @throws java.nio.file.FileAlreadyExistsException if the file exists: an identity is never
   *     overwritten
   */
  public void writeTo(Path path) throws IOException {
    writeTo(path, KeyProtection.defaults());
  }

  /**
   * Writes the identity, encrypted under {@code protection}, to a new file (mode 0600).
   *
   * @throws java.nio.file.FileAlreadyExistsException if the file exists
   */
  public void writeTo(Path path, KeyProtection protection) throws IOException {
    Objects.requireNonNull(protection, "protection");
    String text;
    try {
      text = ProtectedKeysets.seal(FILE_HEADER_V2,
          List.of("Obscura viewer identity (private key, encrypted). Mode 0600.", "fingerprint " + fingerprint()),
          keyset(), protection);
    } catch (KeyFileException e) {
      throw new IOException("cannot use the platform key: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the identity keyset", e);
    }
    KeyFiles.writeNew(path, text, true);
  }

  /**
   * Reads an identity written by {@link #writeTo}, unlocking it with {@link
   * KeyProtection#defaults()}.
   *
   * @throws KeyFileException if the file is missing, malformed, or a public key file
   * @throws WrongPassphraseException if it does not decrypt (wrong passphrase or platform key)
   */
  public static ViewerIdentity readFrom(Path path) throws IOException, KeyFileException, WrongPassphraseException {
    return readFrom(path, KeyProtection.defaults());
  }

  /**
   * Reads an identity, unlocking it with {@code protection}.
   *
   * @throws KeyFileException if the file is missing, malformed, or a public key file
   * @throws WrongPassphraseException if it does not decrypt (wrong passphrase or platform key)
   */
  public static ViewerIdentity readFrom(Path path, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
    String text = KeyFiles.read(path);
    String first = KeyFiles.firstLine(text);
    if (first.equals(ViewerPublicKey.FILE_HEADER)) {
      throw new KeyFileException(
          KeyFileException.Reason.WRONG_KIND,
          path,
          "is a viewer public key, not an identity (private key)");
    }
    KeysetHandle handle;
    if (first.equals(FILE_HEADER_V2)) {
      try {
        handle = ProtectedKeysets.open(path, text, FILE_HEADER_V2, protection);
      } catch (RuntimeException e) {
        throw new KeyFileException(
            KeyFileException.Reason.MALFORMED, path, "the keyset in the identity file does not parse");
      }
    } else if (first.equals(FILE_HEADER)) {
      StringBuilder json = new StringBuilder(text.length());
      String[] lines = text.split("\r?\n", -1);
      for (int i = 1; i < lines.length; i++) {
        if (!lines[i].startsWith("#")) {
          json.append(lines[i]).append('\n');
        }
      }
      try {
        handle = TinkJsonProtoKeysetFormat.parseKeyset(
                json.toString(), RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
      } catch (GeneralSecurityException | RuntimeException e) {
        // The cause is dropped on purpose: parser messages may quote the (secret) input.
        throw new KeyFileException(
            KeyFileException.Reason.MALFORMED, path, "the keyset in the identity file does not parse");
      }
    } else {
      throw new KeyFileException(
          KeyFileException.Reason.MALFORMED, path, "not an Obscura viewer identity file (v1 or v2)");
    }
    HpkePrivateKey found = null;
    Ed25519PrivateKey signing = null;
    for (int i = 0; i < handle.size(); i++) {
      Key key;
      try {
        key = handle.getAt(i).getKey();
      } catch (RuntimeException e) {
        // Tink parses entries lazily; the cause is dropped as above.
        throw new KeyFileException(
            KeyFileException.Reason.MALFORMED, path, "a key in the identity file does not parse");
      }
      if (key instanceof HpkePrivateKey hpke) {
        if (!hpke.getParameters().equals(HpkeX25519.PARAMETERS) || found != null) {
          throw new KeyFileException(
              KeyFileException.Reason.WRONG_KIND,
              path,
              "holds an HPKE key with other parameters, or more than one");
        }
        found = hpke;
      } else if (key instanceof Ed25519PrivateKey ed) {
        if (signing != null || ed.getParameters().hasIdRequirement()) {
          throw new KeyFileException(
              KeyFileException.Reason.WRONG_KIND, path, "holds more than one Ed25519 key, or one with a prefix");
        }
        signing = ed;
      }
    }
    if (found == null) {
      throw new KeyFileException(
          KeyFileException.Reason.WRONG_KIND, path, "holds no HPKE X25519 private key");
    }
    try {
      SigningKey sk = null;
      if (signing != null) {
        byte[] seed = signing.getPrivateKeyBytes().toByteArray(InsecureSecretKeyAccess.get());
        try {
          sk = SigningKey.fromSeed(SecretBytes.copyFrom(seed, InsecureSecretAccess.get()));
        } finally {
          Arrays.fill(seed, (byte) 0);
        }
      }
      return new ViewerIdentity(found, sk);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "holds an invalid HPKE key");
    }
  }

  @Override
  public String toString() {
    return "ViewerIdentity[" + fingerprint() + "]";
  }
}
