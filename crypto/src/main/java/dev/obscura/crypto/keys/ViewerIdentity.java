package dev.obscura.crypto.keys;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.hybrid.HpkePrivateKey;
import com.google.crypto.tink.hybrid.HpkePublicKey;
import com.google.crypto.tink.hybrid.HybridConfig;
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
import java.io.InputStream;
import java.io.OutputStream;
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
 *   <li>The key file (v3) is a Tink keyset wrapped by a {@link KeyProtection} (a passphrase,
 *       the platform key, Android Keystore, ...); whoever holds the file and that protection can
 *       watch every epoch wrapped to this device. Files of version 2 (passphrase or platform key)
 *       and version 1 (cleartext, issue 2; no signing key) are still read.
 *   <li>The private key sits in Tink's key objects on the heap and cannot be wiped.
 *   <li>HPKE base mode does not authenticate the sender (see {@link ViewerPublicKey}).
 * </ul>
 *
 * <p><b>File format</b> (UTF-8 text, at most 64 KiB, created with mode 0600):
 *
 * <pre>
 * obscura-viewer-identity v3
 * # comment lines (start with '#'), e.g. the fingerprint
 * protection SCHEME          (the KeyProtection's scheme: argon2id, platform-key, android-keystore, ...)
 * BASE64(KeyProtection.wrap(Tink binary keyset, ad))   holding one
 *  HpkePrivateKey: DHKEM_X25519_HKDF_SHA256 / HKDF_SHA256 / AES_256_GCM, output prefix RAW,
 *  and one Ed25519PrivateKey, output prefix RAW
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
 * KeyProtection protection = KeyProtection.passphrase(chars); // or Android Keystore: KeyProtection.aead
 * me.writeTo(Paths.get("phone.key"), protection);             // mode 0600
 * me.publicKey().writeTo(Paths.get("phone.pub"));             // give this to the camera
 * EpochKey key = KeyEnvelope.open(envelopeBytes, ViewerIdentity.readFrom(Paths.get("phone.key"), protection));
 * }</pre>
 */
public final class ViewerIdentity implements Identity {
  static final String FILE_HEADER = "obscura-viewer-identity v1";
  static final String FILE_HEADER_V2 = "obscura-viewer-identity v2";
  static final String FILE_HEADER_V3 = "obscura-viewer-identity v3";

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
      // Parsing an identity keyset needs Tink's HPKE key serialization registered, or its HPKE
      // entry comes back as an untyped key and the file reads as "holds no HPKE X25519 private
      // key". Register it here, not by the side effect of some other class loading first.
      HybridConfig.register();
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
   * The identity as key file bytes (format v3), its keys wrapped by {@code protection}: for an
   * app that keeps them in its own storage.
   *
   * @param protection how the keys are protected at rest
   * @return the UTF-8 bytes of the key file
   * @throws IOException if the protection fails (a platform key file, a keystore)
   */
  public byte[] toProtectedBytes(KeyProtection protection) throws IOException {
    Objects.requireNonNull(protection, "protection");
    String text;
    try {
      text = ProtectedKeysets.seal(FILE_HEADER_V3,
          Arrays.asList("Obscura viewer identity (private key, encrypted). Mode 0600.", "fingerprint " + fingerprint()),
          keyset(), protection);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the identity keyset", e);
    }
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Writes {@link #toProtectedBytes} to {@code out} (not closed).
   *
   * @param out where to write
   * @param protection how the keys are protected at rest
   * @throws IOException if writing or the protection fails
   */
  public void writeTo(OutputStream out, KeyProtection protection) throws IOException {
    out.write(toProtectedBytes(protection));
  }

  /**
   * Writes the identity, wrapped by {@code protection}, to a new file (mode 0600).
   *
   * @param path the new file
   * @param protection how the keys are protected at rest
   * @throws java.nio.file.FileAlreadyExistsException if the file exists: an identity is never
   *     overwritten
   * @throws IOException if writing or the protection fails
   */
  public void writeTo(Path path, KeyProtection protection) throws IOException {
    byte[] bytes = toProtectedBytes(protection);
    KeyFiles.writeNew(path, new String(bytes, java.nio.charset.StandardCharsets.UTF_8), true);
  }

  /**
   * Reads an identity from a key file, unlocking it with {@code protection}.
   *
   * @param path the key file
   * @param protection how the file's keys are protected (or a {@link KeyProtection#firstOf}
   *     combination that includes it)
   * @return the identity
   * @throws KeyFileException if the file is missing, malformed, or a public key file
   * @throws WrongPassphraseException if it does not unlock (wrong passphrase or key, another
   *     scheme, or a damaged file)
   * @throws IOException if reading fails
   */
  public static ViewerIdentity readFrom(Path path, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
    return parse(KeyFiles.read(path), path, protection);
  }

  /**
   * Reads an identity from a key file's bytes (at most 64 KiB), unlocking it with {@code
   * protection}.
   *
   * @param file the bytes {@link #toProtectedBytes} returned (or of a key file)
   * @param protection how the keys are protected
   * @return the identity
   * @throws KeyFileException if the bytes are malformed or a public key
   * @throws WrongPassphraseException if they do not unlock
   * @throws IOException if the protection's storage fails
   */
  public static ViewerIdentity fromProtectedBytes(byte[] file, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
    return parse(KeyFiles.decode(file, null), null, protection);
  }

  /**
   * Reads an identity from {@code in} (at most 64 KiB; not closed).
   *
   * @param in the key file's bytes
   * @param protection how the keys are protected
   * @return the identity
   * @throws KeyFileException if the bytes are malformed, too long, or a public key
   * @throws WrongPassphraseException if they do not unlock
   * @throws IOException if reading fails
   */
  public static ViewerIdentity readFrom(InputStream in, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
    return parse(KeyFiles.read(in, null), null, protection);
  }

  private static ViewerIdentity parse(String text, Path path, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
    Objects.requireNonNull(protection, "protection");
    String first = KeyFiles.firstLine(text);
    if (first.equals(ViewerPublicKey.FILE_HEADER)) {
      throw new KeyFileException(
          KeyFileException.Reason.WRONG_KIND,
          path,
          "is a viewer public key, not an identity (private key)");
    }
    KeysetHandle handle;
    if (first.equals(FILE_HEADER_V3) || first.equals(FILE_HEADER_V2)) {
      try {
        handle = ProtectedKeysets.open(path, text, first, protection);
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
          KeyFileException.Reason.MALFORMED, path, "not an Obscura viewer identity file (v1, v2 or v3)");
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
