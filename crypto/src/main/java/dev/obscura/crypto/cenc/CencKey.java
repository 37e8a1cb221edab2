package dev.obscura.crypto.cenc;

import dev.obscura.core.AtomicFiles;
import dev.obscura.core.EntropySource;
import dev.obscura.core.Hex;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * An ISO Common Encryption content key: a 16-byte AES-128 key and its 16-byte key identifier
 * (KID), which the {@code tenc} box names in the clear. The key never appears in {@link
 * #toString()}; reading it needs {@link InsecureSecretAccess}.
 *
 * <p>The key file ({@link #writeKeyFile}) is one line {@code KID:KEY} in lower-case hex, the
 * form FFmpeg's {@code -decryption_key} takes the KEY part of. It is a secret: it is created with
 * owner-only permissions, never replaces a file, and whoever holds it can decrypt the video.
 */
public final class CencKey {
  /** Bytes of the key and of the KID. */
  public static final int BYTES = 16;

  private final byte[] keyId;
  private final SecretBytes key;

  private CencKey(byte[] keyId, SecretBytes key) {
    this.keyId = keyId;
    this.key = key;
  }

  /**
   * A fresh random key and KID.
   *
   * @param entropy where the randomness comes from ({@link EntropySource#system()} for footage)
   * @return a new key
   */
  public static CencKey generate(EntropySource entropy) {
    Objects.requireNonNull(entropy, "entropy");
    byte[] kid = new byte[BYTES];
    entropy.nextBytes(kid);
    return new CencKey(kid, SecretBytes.random(BYTES, entropy));
  }

  /**
   * A key from its parts.
   *
   * @param keyId the 16-byte KID (copied)
   * @param key the 16-byte AES-128 key (the caller keeps ownership)
   * @return the key
   * @throws IllegalArgumentException if a part is not 16 bytes
   */
  public static CencKey of(byte[] keyId, SecretBytes key) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(key, "key");
    if (keyId.length != BYTES || key.size() != BYTES) {
      throw new IllegalArgumentException("a CENC key and its KID are " + BYTES + " bytes each");
    }
    return new CencKey(keyId.clone(), key);
  }

  /**
   * Parses a key file's line {@code KID:KEY} (hex, either case, surrounding white space ignored).
   *
   * @param line the line
   * @return the key
   * @throws IllegalArgumentException if the line is not two 32-digit hex numbers around a colon
   *     (the message never quotes the line)
   */
  public static CencKey parse(String line) {
    Objects.requireNonNull(line, "line");
    String t = line.trim().toLowerCase(Locale.ROOT);
    int colon = t.indexOf(':');
    if (colon != 2 * BYTES || t.length() != 4 * BYTES + 1 || !t.matches("[0-9a-f]{32}:[0-9a-f]{32}")) {
      throw new IllegalArgumentException("a CENC key line is KID:KEY, two 32-digit hex numbers");
    }
    byte[] k = Hex.parse(t.substring(colon + 1));
    try {
      return new CencKey(Hex.parse(t.substring(0, colon)), SecretBytes.copyFrom(k, InsecureSecretAccess.get()));
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** @return a copy of the 16-byte KID (not secret) */
  public byte[] keyId() {
    return keyId.clone();
  }

  /** @return the KID in lower-case hex */
  public String keyIdHex() {
    return Hex.format(keyId);
  }

  /** @return the AES-128 key (the caller must not destroy it while this key is in use) */
  public SecretBytes key() {
    return key;
  }

  /**
   * The key file's line, {@code KID:KEY} in lower-case hex, without a line break.
   *
   * @param access the access token: the line holds the key
   * @return the line
   */
  public String toKeyFileLine(InsecureSecretAccess access) {
    byte[] k = key.toByteArray(access);
    try {
      return Hex.format(keyId) + ":" + Hex.format(k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * Creates {@code target} holding {@link #toKeyFileLine} and a line break, owner-only (POSIX
   * mode 0600, set at creation) and atomically: a failure leaves no file.
   *
   * @param target the key file; it must not exist, its folder must
   * @throws java.nio.file.FileAlreadyExistsException if {@code target} exists (left untouched)
   * @throws IOException if the file cannot be written
   */
  public void writeKeyFile(Path target) throws IOException {
    byte[] line = (toKeyFileLine(InsecureSecretAccess.get()) + "\n").getBytes(StandardCharsets.US_ASCII);
    try {
      AtomicFiles.writeNew(target, line, true);
    } finally {
      Arrays.fill(line, (byte) 0);
    }
  }

  /** Overwrites the key; every later use fails. */
  public void destroy() {
    key.destroy();
  }

  @Override
  public String toString() {
    return "CencKey[kid=" + Hex.format(keyId) + "]";
  }
}
