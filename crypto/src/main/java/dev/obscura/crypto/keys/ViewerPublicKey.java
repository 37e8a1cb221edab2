package dev.obscura.crypto.keys;

import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.hybrid.HpkePublicKey;
import com.google.crypto.tink.hybrid.subtle.HpkeEncrypt;
import com.google.crypto.tink.util.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import dev.obscura.core.Hex;
import java.util.Objects;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import dev.obscura.crypto.internal.Sha256;
import dev.obscura.crypto.sign.VerifyingKey;

/**
 * The public half of a viewer device's key: what a camera needs to wrap epoch keys for the
 * device. It is not secret, but it must be authentic: a key slipped in by the provider would be
 * a "ghost viewer": cameras wrap keys only for devices of a signed roster, and owners compare
 * {@link #fingerprint()} out of band when enrolling.
 *
 * <p><b>Security guarantees:</b> {@link #wrap} encrypts the epoch key with HPKE (RFC 9180, base
 * mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM) to this key, with the envelope
 * header bound into the HPKE info, so only the matching {@link ViewerIdentity} can unwrap it and
 * only under the same header (stream, epoch, creation time).
 *
 * <p><b>Restrictions:</b> HPKE base mode does not authenticate the sender: anyone holding this
 * public key can wrap a key of their choice to it. Authenticity of an envelope comes from the
 * camera signature stanza (type 2, see KeyEnvelope), not from this class.
 *
 * <p><b>File format</b> (UTF-8 text, at most 64 KiB; lines end in LF):
 *
 * <pre>
 * obscura-viewer-public-key v1
 * # fingerprint 12345 67890 12345 67890 12345 67890
 * hpke-x25519 BASE64(32-byte X25519 public key, RFC 4648 with padding)
 * ed25519 BASE64(32-byte Ed25519 public key)      (devices made since issue 3)
 * </pre>
 *
 * The first line is exact. Empty lines and lines starting with {@code #} are comments. Each
 * other line is a keyword, one space, a value; {@code hpke-x25519} must appear exactly once,
 * {@code ed25519} at most once; unknown keywords are ignored, so the format stays version 1.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * ViewerPublicKey phone = ViewerPublicKey.readFrom(Path.of("phone.pub"));
 * System.out.println("compare with the phone's screen: " + phone.fingerprint());
 * byte[] envelope = KeyEnvelope.seal(header, epochKey, List.of(phone));
 * }</pre>
 */
public final class ViewerPublicKey implements Recipient {
  static final String FILE_HEADER = "obscura-viewer-public-key v1";
  private static final String HPKE_KEYWORD = "hpke-x25519";

  private static final String ED25519_KEYWORD = "ed25519";

  private final byte[] raw;
  private final byte[] keyId;
  private final HybridEncrypt encrypt;
  private final VerifyingKey signing;

  private ViewerPublicKey(byte[] raw, VerifyingKey signing) {
    checkNotLowOrder(raw);
    this.raw = raw;
    this.signing = signing;
    this.keyId = HpkeX25519.keyId(raw);
    try {
      HpkePublicKey key = HpkePublicKey.create(HpkeX25519.PARAMETERS, Bytes.copyFrom(raw), null);
      this.encrypt = HpkeEncrypt.create(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid X25519 public key");
    }
  }

  /** A fixed clamped scalar for the low-order check; not secret. */
  private static final byte[] CHECK_SCALAR = new byte[32];

  static {
    CHECK_SCALAR[0] = 8;
    CHECK_SCALAR[31] = 64;
  }

  /**
   * Refuses points of small order (RFC 7748 section 6.1): every shared secret with them is
   * all-zero or predictable, so a stanza wrapped to one would protect nothing.
   */
  private static void checkNotLowOrder(byte[] raw) {
    byte[] shared;
    try {
      shared = com.google.crypto.tink.subtle.X25519.computeSharedSecret(CHECK_SCALAR, raw);
    } catch (java.security.InvalidKeyException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a usable X25519 public key (small order)");
    }
    int acc = 0;
    for (byte b : shared) {
      acc |= b;
    }
    if (acc == 0) {
      throw new IllegalArgumentException("not a usable X25519 public key (small order)");
    }
  }

  /**
   * The public key with these raw X25519 bytes (RFC 7748 u-coordinate, 32 bytes).
   *
   * @throws IllegalArgumentException if the length is wrong or the point has small order
   */
  public static ViewerPublicKey fromRawBytes(byte[] x25519PublicKey) {
    Objects.requireNonNull(x25519PublicKey, "x25519PublicKey");
    if (x25519PublicKey.length != HpkeX25519.PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("an X25519 public key is 32 bytes");
    }
    return new ViewerPublicKey(x25519PublicKey.clone(), null);
  }

  /**
   * A device's public key: its raw X25519 key (as {@link #fromRawBytes(byte[])}) and its Ed25519
   * signing key.
   */
  public static ViewerPublicKey fromRawBytes(byte[] x25519PublicKey, VerifyingKey ed25519) {
    Objects.requireNonNull(ed25519, "ed25519");
    ViewerPublicKey k = fromRawBytes(x25519PublicKey);
    return new ViewerPublicKey(k.raw, ed25519);
  }

  /**
   * The device's Ed25519 key, with which it signs rosters; empty for a key of version 1 (issue
   * 2), which had none.
   */
  public Optional<VerifyingKey> verifyingKey() {
    return Optional.ofNullable(signing);
  }
  /** The raw X25519 public key (32 bytes, a copy). */
  public byte[] rawBytes() {
    return raw.clone();
  }

  /**
   * The key id that marks this key's stanzas in an envelope: the first 16 bytes of SHA-256 of
   * the raw public key (a copy).
   */
  public byte[] keyId() {
    return keyId.clone();
  }

  /** {@link #keyId()} as 32 lowercase hex digits. */
  public String keyIdHex() {
    return Hex.format(keyId);
  }

  /**
   * A short string for people to compare when enrolling a device: six groups of five digits
   * from SHA-256("obscura/v1 fingerprint hpke-x25519" || raw public key). Group i is the
   * big-endian integer of digest bytes [5i, 5i+5) modulo 100000, zero-padded; groups are
   * separated by single spaces. About 100 bits; comparing all of it is what makes it safe.
   *
   * <p>A key with an Ed25519 key ({@link #verifyingKey()}) is a whole device: its safety number
   * covers both keys, SHA-256("obscura/v1 fingerprint device" || X25519 key || Ed25519 key), in
   * the same six groups, so that neither key can be swapped unnoticed while enrolling.
   */
  public String fingerprint() {
    if (signing == null) {
      return HpkeX25519.fingerprint(raw);
    }
    return VerifyingKey.fingerprintDigits(Sha256.digest(
        "obscura/v1 fingerprint device".getBytes(StandardCharsets.US_ASCII), raw,
        signing.rawBytes()));
  }

  /**
   * Wraps {@code key} into a type-{@value Stanza#TYPE_HPKE_X25519} stanza: key id (16) || HPKE
   * enc (32) || HPKE ciphertext of the 32 key bytes (48), with HPKE info = "obscura/v1 envelope
   * hpke-x25519" || {@code envelopeHeader} and empty aad.
   */
  @Override
  public Stanza wrap(EpochKey key, byte[] envelopeHeader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(envelopeHeader, "envelopeHeader");
    byte[] plain = key.secret().toByteArray(InsecureSecretAccess.get());
    byte[] sealed;
    try {
      sealed = encrypt.encrypt(plain, HpkeX25519.info(envelopeHeader));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HPKE encryption failed", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
    if (sealed.length != HpkeX25519.ENC_BYTES + HpkeX25519.CIPHERTEXT_BYTES) {
      throw new IllegalStateException("unexpected HPKE output length " + sealed.length);
    }
    byte[] body = Arrays.copyOf(keyId, HpkeX25519.BODY_BYTES);
    System.arraycopy(sealed, 0, body, HpkeX25519.KEY_ID_BYTES, sealed.length);
    return new Stanza(Stanza.TYPE_HPKE_X25519, body);
  }

  /** The key in the file format above. */
  String toFileText() {
    return FILE_HEADER
        + "\n# fingerprint "
        + fingerprint()
        + "\n"
        + HPKE_KEYWORD
        + " "
        + Base64.getEncoder().encodeToString(raw)
        + "\n"
        + (signing == null ? "" : ED25519_KEYWORD + " " + signing.toBase64() + "\n");
  }

  /**
   * Writes the key to a new file in the format above.
   *
   * @throws java.nio.file.FileAlreadyExistsException if the file exists
   */
  public void writeTo(Path path) throws IOException {
    KeyFiles.writeNew(path, toFileText(), false);
  }

  /**
   * Reads a key written by {@link #writeTo}.
   *
   * @throws KeyFileException if the file is missing, malformed, or a viewer identity
   */
  public static ViewerPublicKey readFrom(Path path) throws IOException, KeyFileException {
    String text = KeyFiles.read(path);
    String first = KeyFiles.firstLine(text);
    if (first.equals(ViewerIdentity.FILE_HEADER) || first.equals(ViewerIdentity.FILE_HEADER_V2)
        || first.equals(ViewerIdentity.FILE_HEADER_V3)) {
      throw new KeyFileException(
          KeyFileException.Reason.WRONG_KIND,
          path,
          "is a viewer identity (private key), not a public key; use its public key file");
    }
    if (!first.equals(FILE_HEADER)) {
      throw new KeyFileException(
          KeyFileException.Reason.MALFORMED, path, "not an Obscura viewer public key file (v1)");
    }
    byte[] raw = null;
    byte[] ed = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int sp = line.indexOf(' ');
      if (sp <= 0) {
        throw new KeyFileException(
            KeyFileException.Reason.MALFORMED, path, "line " + (i + 1) + " is not 'keyword value'");
      }
      if (line.substring(0, sp).equals(ED25519_KEYWORD)) {
        if (ed != null) {
          throw new KeyFileException(
              KeyFileException.Reason.MALFORMED, path, "more than one " + ED25519_KEYWORD + " line");
        }
        try {
          ed = Base64.getDecoder().decode(line.substring(sp + 1).trim());
        } catch (IllegalArgumentException e) {
          ed = new byte[0];
        }
        if (ed.length != VerifyingKey.LENGTH) {
          throw new KeyFileException(
              KeyFileException.Reason.MALFORMED, path, ED25519_KEYWORD + " value is not base64 of 32 bytes");
        }
      }
      if (line.substring(0, sp).equals(HPKE_KEYWORD)) {
        if (raw != null) {
          throw new KeyFileException(
              KeyFileException.Reason.MALFORMED, path, "more than one " + HPKE_KEYWORD + " line");
        }
        try {
          raw = Base64.getDecoder().decode(line.substring(sp + 1).trim());
        } catch (IllegalArgumentException e) {
          raw = new byte[0];
        }
        if (raw.length != HpkeX25519.PUBLIC_KEY_BYTES) {
          throw new KeyFileException(
              KeyFileException.Reason.MALFORMED,
              path,
              HPKE_KEYWORD + " value is not base64 of 32 bytes");
        }
      }
    }
    if (raw == null) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "no " + HPKE_KEYWORD + " line");
    }
    try {
      return new ViewerPublicKey(raw, ed == null ? null : VerifyingKey.fromRawBytes(ed));
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ViewerPublicKey k && Arrays.equals(k.raw, raw)
        && Objects.equals(k.signing, signing);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw) * 31 + Objects.hashCode(signing);
  }

  @Override
  public String toString() {
    return "ViewerPublicKey[" + fingerprint() + "]";
  }
}
