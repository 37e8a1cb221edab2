package dev.obscura.crypto.scheme.internal;

import dev.obscura.crypto.scheme.SchemeContext;

/**
 * The state a counter-nonce scheme's sealer or opener keeps for one stream: its salted key, its
 * reused associated-data buffer (the scheme's prefix, then {@code fields} bytes of its own), the
 * index of the next segment and the nonce counter of the next encrypted frame. Not thread-safe.
 */
public abstract class CounterStream implements AutoCloseable {
  /** The key (a sealer's own salt, or the salt an opener pinned). */
  protected final SaltedGcm key;
  /** {@code label || 0x00 || u8 len || stream id || fields}: the caller fills the fields. */
  protected final byte[] aad;
  /** The index of the next segment. */
  protected long segment;
  /** The nonce counter of the next encrypted frame. */
  protected long counter;

  private final int fields;

  /**
   * @param context the stream, key and randomness
   * @param label the scheme's label
   * @param sealer whether this is a sealer (a fresh salt) or an opener (the records' salt)
   * @param fields bytes of the scheme's own associated-data fields after the prefix
   */
  protected CounterStream(SchemeContext context, String label, boolean sealer, int fields) {
    this.key = sealer ? SaltedGcm.forSealer(context, label) : SaltedGcm.forOpener(context, label);
    this.aad = SchemeKeys.aadPrefix(label, context.stream(), fields);
    this.fields = fields;
  }

  /**
   * Where the scheme's own fields start in {@link #aad}.
   *
   * @return the offset
   */
  public final int aadFieldsAt() {
    return aad.length - fields;
  }

  /**
   * The reused associated-data buffer.
   *
   * @return {@link #aad} itself
   */
  public final byte[] aad() {
    return aad;
  }

  /**
   * The index of the segment being sealed or opened.
   *
   * @return the index
   */
  public final long segmentIndex() {
    return segment;
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
