package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.crypto.keys.KeyProtection;
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
