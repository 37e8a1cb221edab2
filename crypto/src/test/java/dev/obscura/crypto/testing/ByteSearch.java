package dev.obscura.crypto.testing;

/** Finds bytes in bytes: a key or a plaintext where it must not be, a field to edit. */
public final class ByteSearch {
  private ByteSearch() {}

  /** Where {@code needle} first stands in {@code hay}, or -1. */
  public static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Whether {@code needle} stands anywhere in {@code hay}. */
  public static boolean contains(byte[] hay, byte[] needle) {
    return indexOf(hay, needle) >= 0;
  }
}
