package dev.obscura.crypto.scheme.internal;

import dev.obscura.core.StreamId;
import dev.obscura.crypto.internal.Hkdf;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.scheme.SchemeContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key separation between the lab's schemes: each derives its own key from the {@link
 * SchemeContext}'s key, so one context can be given to every scheme of a run.
 *
 * <pre>
 * key = HKDF-SHA-256(IKM = context key, salt = the given salt (empty: none),
 *     info = "obscura/v1 scheme " || label || 0x00 || u8 len(stream id) || stream id, L)
 * </pre>
 */
public final class SchemeKeys {
  private static final byte[] PREFIX = "obscura/v1 scheme ".getBytes(StandardCharsets.US_ASCII);

  private SchemeKeys() {}

  /**
   * Derives {@code length} bytes for scheme {@code label} of the context's stream.
   *
   * @param context the stream and key
   * @param label the scheme's own label (its name)
   * @param salt an HKDF salt, or an empty array
   * @param length how many bytes
   * @return the key (the caller wipes it)
   */
  public static byte[] derive(SchemeContext context, String label, byte[] salt, int length) {
    byte[] ikm = context.key().toByteArray(InsecureSecretAccess.get());
    byte[] prk = null;
    try {
      Hkdf hkdf = new Hkdf("HmacSHA256");
      prk = hkdf.extract(salt, ikm);
      return hkdf.expand(prk, info(label, context.stream()), length);
    } finally {
      Arrays.fill(ikm, (byte) 0);
      if (prk != null) {
        Arrays.fill(prk, (byte) 0);
      }
    }
  }

  private static byte[] info(String label, StreamId stream) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] sid = stream.toBytes();
    byte[] info = new byte[PREFIX.length + l.length + 2 + sid.length];
    System.arraycopy(PREFIX, 0, info, 0, PREFIX.length);
    System.arraycopy(l, 0, info, PREFIX.length, l.length);
    info[PREFIX.length + l.length] = 0;
    info[PREFIX.length + l.length + 1] = (byte) sid.length;
    System.arraycopy(sid, 0, info, PREFIX.length + l.length + 2, sid.length);
    return info;
  }

  /**
   * The associated-data prefix naming a scheme and a stream: {@code label || 0x00 || u8 len ||
   * stream id}.
   *
   * @param label the scheme's label
   * @param stream the stream
   * @param extra room to leave after the prefix, for the caller's own fields
   * @return a new array of the prefix's length plus {@code extra}
   */
  public static byte[] aadPrefix(String label, StreamId stream, int extra) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] sid = stream.toBytes();
    byte[] aad = new byte[l.length + 2 + sid.length + extra];
    System.arraycopy(l, 0, aad, 0, l.length);
    aad[l.length + 1] = (byte) sid.length;
    System.arraycopy(sid, 0, aad, l.length + 2, sid.length);
    return aad;
  }

  /**
   * Writes {@code v} big-endian into {@code out[offset .. offset + 8)}.
   *
   * @param v the value
   * @param out the buffer
   * @param offset where
   */
  public static void putLong(long v, byte[] out, int offset) {
    for (int i = 0; i < 8; i++) {
      out[offset + i] = (byte) (v >>> (56 - 8 * i));
    }
  }
}
