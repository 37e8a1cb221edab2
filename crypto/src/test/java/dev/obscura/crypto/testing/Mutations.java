package dev.obscura.crypto.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Arrays;

/**
 * The mutations the opener fuzz targets apply to a sealed object they built themselves: the
 * fuzzer picks the kind and where. Every kind makes a different array when it can (the result
 * may still equal the input, e.g. a splice of identical bytes: callers compare before asserting).
 */
public final class Mutations {
  private Mutations() {}

  /**
   * One fuzzer-chosen mutation of {@code sealed} (not modified): a bit flip, a truncation, an
   * extension, an overwrite of a range with fuzzer bytes, a removal or a duplication of a range.
   *
   * @param in the fuzzer's data
   * @param sealed the valid object
   * @return a new array
   */
  public static byte[] mutate(FuzzedDataProvider in, byte[] sealed) {
    int n = sealed.length;
    switch (in.consumeInt(0, 5)) {
      case 0: { // flip one bit
        if (n == 0) {
          return new byte[] {0};
        }
        byte[] b = sealed.clone();
        int bit = in.consumeInt(0, n * 8 - 1);
        b[bit >>> 3] ^= (byte) (1 << (bit & 7));
        return b;
      }
      case 1: // truncate
        return n == 0 ? new byte[0] : Arrays.copyOf(sealed, in.consumeInt(0, n - 1));
      case 2: { // extend with fuzzer bytes (at least one)
        byte[] tail = in.consumeBytes(in.consumeInt(1, 64));
        byte[] b = Arrays.copyOf(sealed, n + Math.max(1, tail.length));
        System.arraycopy(tail, 0, b, n, tail.length);
        return b;
      }
      case 3: { // overwrite a range with fuzzer bytes
        if (n == 0) {
          return new byte[] {1};
        }
        int at = in.consumeInt(0, n - 1);
        byte[] with = in.consumeBytes(in.consumeInt(1, Math.min(64, n - at)));
        byte[] b = sealed.clone();
        System.arraycopy(with, 0, b, at, with.length);
        return b;
      }
      case 4: { // remove a range
        if (n == 0) {
          return new byte[] {2};
        }
        int at = in.consumeInt(0, n - 1);
        int len = in.consumeInt(1, n - at);
        byte[] b = new byte[n - len];
        System.arraycopy(sealed, 0, b, 0, at);
        System.arraycopy(sealed, at + len, b, at, n - at - len);
        return b;
      }
      default: { // duplicate a range in place (a replayed chunk, a doubled header)
        if (n == 0) {
          return new byte[] {3};
        }
        int at = in.consumeInt(0, n - 1);
        int len = in.consumeInt(1, Math.min(n - at, 1 << 16));
        byte[] b = new byte[n + len];
        System.arraycopy(sealed, 0, b, 0, at + len);
        System.arraycopy(sealed, at, b, at + len, n - at);
        return b;
      }
    }
  }

  /**
   * Plaintext of a fuzzer-chosen length up to {@code max}: a fuzzer-chosen prefix, then bytes of a
   * fuzzer-seeded generator (so lengths past several 16 KiB chunks cost the fuzzer a few bytes).
   */
  public static byte[] plaintext(FuzzedDataProvider in, int max) {
    int len = in.consumeInt(0, max);
    byte[] prefix = in.consumeBytes(Math.min(len, in.consumeInt(0, 256)));
    byte[] out = new byte[len];
    new java.util.SplittableRandom(in.consumeLong()).nextBytes(out);
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    return out;
  }
}
