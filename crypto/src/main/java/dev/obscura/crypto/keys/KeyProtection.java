package dev.obscura.crypto.keys;

import dev.obscura.core.EntropySource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * How private key files are encrypted at rest: under a key derived from a passphrase with
 * Argon2id, or under a per-user <em>platform key</em>, a random 32-byte key in a file of its own
 * that stands in for an OS keystore (Android Keystore, Keychain, TPM).
 *
 * <p>Writing uses the passphrase if there is one, else the platform key. Reading uses whatever
 * the key file says it was written with, but refuses a passphrase-protected file whose Argon2id
 * costs are below the {@linkplain #withArgon2idFloor floor} ({@link Argon2idParams.Floor#DEFAULT}
 * unless set): a file cannot make its own passphrase cheap to guess.
 *
 * <p><b>Trade-off:</b> a passphrase protects the key file even if the whole disk is copied, at
 * the cost of typing it (or keeping it in {@code OBSCURA_PASSPHRASE}) and about half a second of
 * Argon2id per unlock. The platform key needs no prompt and suits an unattended camera or the
 * existing commands, but protects only against someone who copies the key file without the
 * platform key file (a backup, a synced folder, a misplaced {@code scp}); whoever can read both
 * files can use the key. On a real phone the platform key is the hardware keystore, which does
 * not let it out at all.
 *
 * <p>The platform key file is found at {@code $OBSCURA_PLATFORM_KEY}, else the system property
 * {@code obscura.platformKey}, else {@code ~/.config/obscura/platform.key}; it is created (mode
 * 0600, folder 0700) on first use.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * identity.writeTo(Path.of("phone.key"), KeyProtection.passphrase(chars));
 * ViewerIdentity back = ViewerIdentity.readFrom(Path.of("phone.key"), KeyProtection.passphrase(chars));
 * }</pre>
 */
public final class KeyProtection {
  /** Environment variable holding a passphrase for key files. */
  public static final String PASSPHRASE_ENV = "OBSCURA_PASSPHRASE";
  /** Environment variable naming the platform key file. */
  public static final String PLATFORM_KEY_ENV = "OBSCURA_PLATFORM_KEY";
  /** System property naming the platform key file (used when the variable is not set). */
  public static final String PLATFORM_KEY_PROPERTY = "obscura.platformKey";

  static final String PLATFORM_FILE_HEADER = "obscura-platform-key v1";
  static final int KEY_BYTES = 32;

  private final char[] passphrase;
  private final Path platformKeyFile;
  private final Argon2idParams params;
  private final Argon2idParams.Floor floor;
  private final EntropySource entropy;

  private KeyProtection(char[] passphrase, Path platformKeyFile, Argon2idParams params, EntropySource entropy) {
    this(passphrase, platformKeyFile, params, Argon2idParams.Floor.DEFAULT, entropy);
  }

  private KeyProtection(char[] passphrase, Path platformKeyFile, Argon2idParams params,
      Argon2idParams.Floor floor, EntropySource entropy) {
    this.passphrase = passphrase;
    this.platformKeyFile = platformKeyFile;
    this.params = params;
    this.floor = floor;
    this.entropy = entropy;
  }

  /** Protection by {@code passphrase} (copied; the caller should wipe its array). */
  public static KeyProtection passphrase(char[] passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    if (passphrase.length == 0) {
      throw new IllegalArgumentException("the passphrase is empty");
    }
    return new KeyProtection(passphrase.clone(), null, Argon2idParams.DEFAULT, EntropySource.system());
  }

  /** Protection by the platform key in {@code file}, created on first use. */
  public static KeyProtection platformKey(Path file) {
    return new KeyProtection(null, Objects.requireNonNull(file, "file"), Argon2idParams.DEFAULT,
        EntropySource.system());
  }

  /**
   * The passphrase in {@code $OBSCURA_PASSPHRASE} if it is set and not empty, and the default
   * platform key file ({@link #defaultPlatformKeyFile()}) for files written with one.
   */
  public static KeyProtection defaults() {
    String p = System.getenv(PASSPHRASE_ENV);
    char[] pass = p == null || p.isEmpty() ? null : p.toCharArray();
    return new KeyProtection(pass, defaultPlatformKeyFile(), Argon2idParams.DEFAULT, EntropySource.system());
  }

  /** {@code $OBSCURA_PLATFORM_KEY}, else {@code -Dobscura.platformKey}, else {@code ~/.config/obscura/platform.key}. */
  public static Path defaultPlatformKeyFile() {
    String env = System.getenv(PLATFORM_KEY_ENV);
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    String prop = System.getProperty(PLATFORM_KEY_PROPERTY);
    if (prop != null && !prop.isEmpty()) {
      return Path.of(prop);
    }
    return Path.of(System.getProperty("user.home"), ".config", "obscura", "platform.key");
  }

  /**
   * The same protection with {@code passphrase} (copied) as well: files are then written under
   * the passphrase, and files written under the platform key still open.
   */
  public KeyProtection withPassphrase(char[] passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    if (passphrase.length == 0) {
      throw new IllegalArgumentException("the passphrase is empty");
    }
    return new KeyProtection(passphrase.clone(), platformKeyFile, params, floor, entropy);
  }

  /**
   * The same protection, deriving passphrase keys with {@code params} when writing. Costs below
   * the reading floor are written (tests do, to run fast), but a reader with the default floor
   * refuses the file.
   */
  public KeyProtection withArgon2id(Argon2idParams params) {
    return new KeyProtection(passphrase, platformKeyFile, Objects.requireNonNull(params, "params"), floor, entropy);
  }

  /**
   * The same protection, refusing when reading any passphrase-protected key file whose Argon2id
   * costs are below {@code floor} (a {@link KeyFileException}, reason {@link
   * KeyFileException.Reason#MALFORMED}, naming the field), before deriving anything. Default
   * {@link Argon2idParams.Floor#DEFAULT}; only tests pass {@link
   * Argon2idParams.Floor#INSECURE_NONE_FOR_TESTS}.
   */
  public KeyProtection withArgon2idFloor(Argon2idParams.Floor floor) {
    return new KeyProtection(passphrase, platformKeyFile, params, Objects.requireNonNull(floor, "floor"), entropy);
  }

  /** The same protection, drawing salts and new platform keys from {@code entropy}. */
  public KeyProtection withEntropy(EntropySource entropy) {
    return new KeyProtection(passphrase, platformKeyFile, params, floor, Objects.requireNonNull(entropy, "entropy"));
  }

  /** The least Argon2id costs a key file read with this protection may carry. */
  public Argon2idParams.Floor argon2idFloor() {
    return floor;
  }

  /** Whether a passphrase is set (then files are written under it). */
  public boolean hasPassphrase() {
    return passphrase != null;
  }

  Argon2idParams params() {
    return params;
  }

  EntropySource entropy() {
    return entropy;
  }

  /** The UTF-8 bytes of the passphrase (the caller wipes them), or null. */
  byte[] passphraseBytes() {
    if (passphrase == null) {
      return null;
    }
    var buf = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(passphrase));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    if (buf.hasArray()) {
      Arrays.fill(buf.array(), (byte) 0);
    }
    return out;
  }

  Path platformKeyFile() {
    return platformKeyFile;
  }

  /**
   * The platform key: read from its file, or created there (mode 0600) when {@code create} and
   * the file does not exist.
   */
  byte[] platformKey(boolean create) throws IOException, KeyFileException {
    if (platformKeyFile == null) {
      throw new KeyFileException(KeyFileException.Reason.MISSING, Path.of("(platform key)"),
          "no platform key configured");
    }
    if (!Files.exists(platformKeyFile) && create) {
      byte[] key = new byte[KEY_BYTES];
      entropy.nextBytes(key);
      Path parent = platformKeyFile.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.createDirectories(parent,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(parent);
        }
      }
      try {
        KeyFiles.writeNew(platformKeyFile,
            PLATFORM_FILE_HEADER + "\n# Obscura platform key: it unlocks this user's key files. Mode 0600.\n"
                + Base64.getEncoder().encodeToString(key) + "\n", true);
      } catch (FileAlreadyExistsException e) {
        // created concurrently: use the one that won
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }
    String text = KeyFiles.read(platformKeyFile);
    String[] lines = text.split("\r?\n");
    if (lines.length < 2 || !lines[0].equals(PLATFORM_FILE_HEADER)) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, platformKeyFile, "not an Obscura platform key file");
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
        throw new KeyFileException(KeyFileException.Reason.MALFORMED, platformKeyFile, "platform key is not base64 of 32 bytes");
      }
      return key;
    }
    throw new KeyFileException(KeyFileException.Reason.MALFORMED, platformKeyFile, "platform key file holds no key");
  }

  /** Forgets the passphrase (overwrites this object's copy). */
  public void destroy() {
    if (passphrase != null) {
      Arrays.fill(passphrase, '\0');
    }
  }

  @Override
  public String toString() {
    return "KeyProtection[" + (passphrase != null ? "passphrase, " : "")
        + "platform key " + platformKeyFile + "]";
  }
}
