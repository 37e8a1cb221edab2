package dev.obscura.crypto.trust;

import java.util.Locale;
import org.bouncycastle.util.encoders.Base32;

/** Base32 (RFC 4648) codes a person types: groups of four, any case, dashes or spaces ignored. */
final class Codes {
  private Codes() {}

  /** Upper-case base32 of {@code bytes} (a multiple of 5 bytes, so no padding) in groups of 4. */
  static String format(byte[] bytes) {
    if (bytes.length % 5 != 0) {
      throw new IllegalArgumentException("a code is a multiple of 5 bytes");
    }
    String b32 = Base32.toBase32String(bytes);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < b32.length(); i += 4) {
      if (i > 0) {
        sb.append('-');
      }
      sb.append(b32, i, Math.min(b32.length(), i + 4));
    }
    return sb.toString();
  }

  /**
   * Decodes {@link #format}'s output, ignoring case, spaces and dashes.
   *
   * @throws IllegalArgumentException if it is not {@code bytes} bytes of base32
   */
  static byte[] parse(String text, int bytes, String what) {
    String clean = text.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    if (clean.length() != bytes / 5 * 8 || !clean.matches("[A-Z2-7]*")) {
      throw new IllegalArgumentException("not " + what + ": expected " + (bytes / 5 * 8)
          + " base32 characters (A-Z, 2-7), got " + clean.length());
    }
    return Base32.decode(clean);
  }

}
