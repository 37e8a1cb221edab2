package dev.obscura.transport;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;

/**
 * Self-verifying test objects: random payload, then its length (8 bytes) and its SHA-256
 * (32 bytes). A torn, truncated, spliced or mixed object fails {@link #verify}.
 */
public final class SelfVerifying {
  public static final int TRAILER = 8 + 32;

  private SelfVerifying() {}

  /** An object of exactly {@code totalBytes} (at least {@link #TRAILER}). */
  public static byte[] make(Random random, int totalBytes) {
    byte[] out = new byte[Math.max(TRAILER, totalBytes)];
    int n = out.length - TRAILER;
    // random bytes in blocks: fast enough for tens of MiB
    for (int i = 0; i < n; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < n; j++) {
        out[i + j] = (byte) (v >>> (8 * j));
      }
    }
    ByteBuffer.wrap(out, n, TRAILER).putLong(n).put(sha256(out, n));
    return out;
  }

  public static boolean verify(byte[] object) {
    if (object.length < TRAILER) {
      return false;
    }
    int n = object.length - TRAILER;
    ByteBuffer t = ByteBuffer.wrap(object, n, TRAILER);
    if (t.getLong() != n) {
      return false;
    }
    byte[] hash = new byte[32];
    t.get(hash);
    return MessageDigest.isEqual(hash, sha256(object, n));
  }

  private static byte[] sha256(byte[] b, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, 0, len);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** For messages: first bytes of the hash. */
  public static String id(byte[] object) {
    return Arrays.toString(Arrays.copyOfRange(object, Math.max(0, object.length - 32), Math.max(0, object.length - 28)));
  }
}
