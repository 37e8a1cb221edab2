package dev.obscura.core;

/**
 * Lower-case hexadecimal, for key ids, digests and file formats that write bytes as text.
 *
 * <p>The SDK's one copy of this mechanism: {@code java.util.HexFormat} would do, but it is not
 * on Android before API 34, and {@code core} and {@code crypto} run on API 26.
 */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** The bytes as lower-case hex, two digits per byte. */
  public static String format(byte[] bytes) {
    return format(bytes, 0, bytes.length);
  }

  /**
   * The bytes {@code from} (inclusive) to {@code to} (exclusive) as lower-case hex.
   *
   * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
   */
  public static String format(byte[] bytes, int from, int to) {
    if (from < 0 || to > bytes.length || from > to) {
      throw new IndexOutOfBoundsException("range " + from + ".." + to + " of " + bytes.length);
    }
    char[] out = new char[2 * (to - from)];
    for (int i = from, j = 0; i < to; i++) {
      out[j++] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[j++] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * Parses hex digits (either case) into bytes.
   *
   * @throws IllegalArgumentException if the length is odd or a character is not a hex digit
   *     (the message names the position, never the text, which may be a secret)
   */
  public static byte[] parse(CharSequence text) {
    int n = text.length();
    if ((n & 1) != 0) {
      throw new IllegalArgumentException("hex text has an odd length (" + n + ")");
    }
    byte[] out = new byte[n / 2];
    for (int i = 0; i < n; i += 2) {
      int hi = Character.digit(text.charAt(i), 16);
      int lo = Character.digit(text.charAt(i + 1), 16);
      if (hi < 0 || lo < 0 || text.charAt(i) > 0x7f || text.charAt(i + 1) > 0x7f) {
        throw new IllegalArgumentException("not a hex digit at position " + (hi < 0 ? i : i + 1));
      }
      out[i / 2] = (byte) ((hi << 4) | lo);
    }
    return out;
  }
}
