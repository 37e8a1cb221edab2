package dev.obscura.crypto.scheme.internal;

import dev.obscura.crypto.scheme.SchemeContext;

/**
 * The state a counter-nonce scheme's sealer or opener keeps for one stream: its salted key, its
 * reused associated data ({@code label || 0x00 || u8 len || stream id || u64be segment index ||
 * u32be frame index || u64be a field of the scheme's choice}), the index of the next segment and
 * the nonce counter of the next encrypted frame. Not thread-safe.
 */
public abstract class CounterStream implements AutoCloseable {
  /** The key (a sealer's own salt, or the salt an opener pinned). */
  protected final SaltedGcm key;
  /** The associated data, filled by {@link #fillAad} before each frame. */
  protected final byte[] aad;
  /** The index of the next segment. */
  protected long segment;
  /** The nonce counter of the next encrypted frame. */
  protected long counter;

  private static final int FIELDS = 8 + 4 + 8;

  /**
   * @param context the stream, key and randomness
   * @param label the scheme's label
   * @param sealer whether this is a sealer (a fresh salt) or an opener (the records' salt)
   */
  protected CounterStream(SchemeContext context, String label, boolean sealer) {
    this.key = sealer ? SaltedGcm.forSealer(context, label) : SaltedGcm.forOpener(context, label);
    this.aad = SchemeKeys.aadPrefix(label, context.stream(), FIELDS);
  }

  /**
   * Writes the current segment index, {@code index} and {@code field} into {@link #aad}.
   *
   * @param index the frame's index in its segment
   * @param field the scheme's own field (a frame count, a pts)
   * @return {@link #aad}
   */
  protected final byte[] fillAad(int index, long field) {
    int at = aad.length - FIELDS;
    SchemeKeys.putLong(segment, aad, at);
    SchemeKeys.putInt(index, aad, at + 8);
    SchemeKeys.putLong(field, aad, at + 12);
    return aad;
  }

  /**
   * Ends a segment that sealed or opened: the next segment, {@code encrypted} nonces used.
   *
   * @param encrypted how many frames the segment encrypted
   */
  protected final void advance(long encrypted) {
    counter += encrypted;
    segment++;
  }

  @Override
  public void close() {
    key.close();
  }
}
