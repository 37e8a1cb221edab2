package dev.obscura.crypto.keys;

import com.google.crypto.tink.subtle.AesGcmJce;
import dev.obscura.core.EntropySource;
import dev.obscura.core.Hex;
import dev.obscura.crypto.internal.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Key protection by a <em>platform key</em>: 32 random bytes in a file of its own that stands in
 * for an OS keystore on desktops, servers and unattended cameras (scheme {@value #SCHEME}).
 *
 * <p><b>Security guarantees:</b> a key file wrapped under it opens only with the same platform
 * key (AES-256-GCM, bound to the associated data); a changed byte, another platform key or
 * another kind of file fails. The key never appears in {@code toString()} or in messages.
 *
 * <p><b>Restrictions:</b> it protects only against someone who copies the key file without the
 * platform key file (a backup, a synced folder); whoever can read both can use the key. On a
 * phone use the hardware keystore instead ({@link KeyProtection#aead}).
 *
 * <p><b>File format</b> of the platform key: {@code obscura-platform-key v1}, comment lines
 * starting with {@code #}, then the base64 of the 32-byte key; created with mode 0600 (its folder
 * 0700) on the first {@link #wrap}. <b>Wrapped bytes:</b> {@code 0x01 || id (8 bytes) ||
 * AES-256-GCM(iv || ciphertext || tag)} with associated data {@code ad || 0x01 || id}, where id is
 * the first 8 bytes of SHA-256("obscura/v1 platform-key id" || key).
 */
public final class PlatformKeyFile implements KeyProtection {
  /** The scheme name written into key files. */
  public static final String SCHEME = "platform-key";

  static final String FILE_HEADER = "obscura-platform-key v1";
  static final int KEY_BYTES = 32;
  private static final int ID_BYTES = 8;
  private static final byte VERSION = 1;

  private final Path file;
  private final EntropySource entropy;

  private PlatformKeyFile(Path file, EntropySource entropy) {
    this.file = file;
    this.entropy = entropy;
  }

  /**
   * The platform key in {@code file}.
   *
   * @param file where the key is kept (created on first wrap)
   * @return the protection
   */
  public static PlatformKeyFile at(Path file) {
    return new PlatformKeyFile(Objects.requireNonNull(file, "file"), EntropySource.system());
  }

  /**
   * The same protection, drawing a new platform key from {@code entropy}.
   *
   * @param entropy where a new key comes from
   * @return the protection
   */
  public PlatformKeyFile withEntropy(EntropySource entropy) {
    return new PlatformKeyFile(file, Objects.requireNonNull(entropy, "entropy"));
  }

  /**
   * The platform key file.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public byte[] wrap(byte[] secret, byte[] associatedData) throws IOException, GeneralSecurityException {
    byte[] key = readKey(true);
    try {
      byte[] head = head(key);
      byte[] sealed = new AesGcmJce(key).encrypt(secret, concat(associatedData, head));
      return concat(head, sealed);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws IOException, GeneralSecurityException {
    if (wrapped.length < 1 + ID_BYTES || wrapped[0] != VERSION) {
      throw new GeneralSecurityException("not wrapped by a platform key");
    }
    byte[] key = readKey(false);
    try {
      byte[] head = head(key);
      if (!dev.obscura.core.Bytes.startsWith(wrapped, head)) {
        throw new GeneralSecurityException("wrapped by another platform key");
      }
      return new AesGcmJce(key).decrypt(
          Arrays.copyOfRange(wrapped, head.length, wrapped.length), concat(associatedData, head));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] head(byte[] key) {
    byte[] head = new byte[1 + ID_BYTES];
    head[0] = VERSION;
    System.arraycopy(idBytes(key), 0, head, 1, ID_BYTES);
    return head;
  }

  private static byte[] idBytes(byte[] key) {
    return Arrays.copyOf(
        Sha256.digest("obscura/v1 platform-key id".getBytes(StandardCharsets.US_ASCII), key),
        ID_BYTES);
  }

  /** The key id of format v2 key files: {@link #idBytes} in hex. */
  static String legacyId(byte[] key) {
    return Hex.format(idBytes(key));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The platform key: read from its file, or created there (mode 0600) when {@code create} and
   * the file does not exist. The caller wipes it.
   */
  byte[] readKey(boolean create) throws IOException {
    if (!Files.exists(file) && create) {
      byte[] key = new byte[KEY_BYTES];
      entropy.nextBytes(key);
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.createDirectories(parent,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(parent);
        }
      }
      try {
        KeyFiles.writeNew(file,
            FILE_HEADER + "\n# Obscura platform key: it unlocks this user's key files. Mode 0600.\n"
                + Base64.getEncoder().encodeToString(key) + "\n", true);
      } catch (FileAlreadyExistsException e) {
        // created concurrently: use the one that won
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }
    String text;
    try {
      text = KeyFiles.read(file);
    } catch (KeyFileException e) {
      throw new IOException("cannot use the platform key: " + e.getMessage());
    }
    String[] lines = text.split("\r?\n");
    if (lines.length < 2 || !lines[0].equals(FILE_HEADER)) {
      throw new IOException(file + ": not an Obscura platform key file");
    }
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty() || lines[i].startsWith("#")) {
        continue;
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(lines[i].trim());
      } catch (IllegalArgumentException e) {
        key = new byte[0];
      }
      if (key.length != KEY_BYTES) {
        Arrays.fill(key, (byte) 0);
        throw new IOException(file + ": platform key is not base64 of 32 bytes");
      }
      return key;
    }
    throw new IOException(file + ": platform key file holds no key");
  }

  @Override
  public String toString() {
    return "KeyProtection[platform key " + file + "]";
  }
}
