package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.PlatformKeyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Passphrases and key protection for the commands. */
final class Secrets {
  private Secrets() {}

  /**
   * The passphrase in {@code file} as characters: {@link Passphrases#read}'s bytes (at most 4 KiB,
   * one trailing line break dropped), decoded as UTF-8 without a String copy.
   *
   * @throws CliException (usage) if the file is empty, too large, or not UTF-8
   */
  static char[] readPassphrase(Path file) throws IOException {
    byte[] bytes = Passphrases.read(file);
    java.nio.CharBuffer chars = null;
    try {
      chars = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      return out;
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new CliException(Outcome.USAGE, "passphrase file " + file + " is not UTF-8 text");
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
      if (chars != null && chars.hasArray()) {
        java.util.Arrays.fill(chars.array(), '\0');
      }
    }
  }

  /** Environment variable holding a passphrase for key files. */
  static final String PASSPHRASE_ENV = "OBSCURA_PASSPHRASE";
  /** Environment variable naming the platform key file. */
  static final String PLATFORM_KEY_ENV = "OBSCURA_PLATFORM_KEY";
  /** System property naming the platform key file (used when the variable is not set). */
  static final String PLATFORM_KEY_PROPERTY = "obscura.platformKey";

  /**
   * How key files are protected: the passphrase in {@code passphraseFile} if given, else {@code
   * OBSCURA_PASSPHRASE}, else the platform key ({@link #platformKeyFile()}). New files are written
   * under the passphrase if there is one; files written under the platform key open either way.
   */
  static KeyProtection protection(Path passphraseFile) throws IOException {
    PlatformKeyFile platform = KeyProtection.platformKey(platformKeyFile());
    char[] p = null;
    if (passphraseFile != null) {
      p = readPassphrase(passphraseFile);
    } else {
      String env = System.getenv(PASSPHRASE_ENV);
      if (env != null && !env.isEmpty()) {
        p = env.toCharArray();
      }
    }
    if (p == null) {
      return platform;
    }
    try {
      return KeyProtection.firstOf(KeyProtection.passphrase(p), platform);
    } finally {
      java.util.Arrays.fill(p, '\0');
    }
  }

  /**
   * The CLI's platform key file: {@code $OBSCURA_PLATFORM_KEY}, else {@code -Dobscura.platformKey},
   * else {@code ~/.config/obscura/platform.key}.
   */
  static Path platformKeyFile() {
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
}
