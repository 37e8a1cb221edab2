package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.crypto.keys.KeyProtection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Passphrases and key protection for the commands. */
final class Secrets {
  private Secrets() {}

  /**
   * The passphrase in {@code file}: its UTF-8 text without one trailing line break.
   *
   * @throws CliException (usage) if the file is empty
   */
  static char[] readPassphrase(Path file) throws IOException {
    if (Files.size(file) > 4096) {
      throw new CliException(Outcome.USAGE, "passphrase file " + file + " is larger than 4 KiB");
    }
    String s = Files.readString(file, StandardCharsets.UTF_8);
    if (s.endsWith("\n")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.endsWith("\r")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty()) {
      throw new CliException(Outcome.USAGE, "passphrase file " + file + " is empty");
    }
    return s.toCharArray();
  }

  /**
   * How key files are protected: the passphrase in {@code passphraseFile} if given, else {@code
   * OBSCURA_PASSPHRASE}, else the platform key ({@code OBSCURA_PLATFORM_KEY} or
   * ~/.config/obscura/platform.key).
   */
  static KeyProtection protection(Path passphraseFile) throws IOException {
    if (passphraseFile != null) {
      char[] p = readPassphrase(passphraseFile);
      try {
        return KeyProtection.defaults().withPassphrase(p);
      } finally {
        java.util.Arrays.fill(p, '\0');
      }
    }
    return KeyProtection.defaults();
  }
}
