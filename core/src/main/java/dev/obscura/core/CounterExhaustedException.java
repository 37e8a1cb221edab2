package dev.obscura.core;

/**
 * A counter that names a key or a nonce reached its ceiling: a segment sequence or epoch number
 * at 2^62 ({@link SegmentId#MAX_SEQUENCE}, {@link EpochId#MAX_VALUE}), the SFrame counter at
 * 2^63-1, the chunk counter of one sealed segment at its last chunk. The sealer refuses to go on
 * rather than wrap (a wrapped counter would reuse a number, and so a key or a nonce); nothing was
 * sealed under the refused value. No real camera gets there (2^62 segments at one a second is 146
 * billion years), so in practice the value was forced or planted: record to a new stream, or
 * start from a fresh camera folder.
 *
 * <p>Unchecked (an {@link IllegalStateException}, as the refusal was documented before it had a
 * type of its own); {@link Outcome#of} reports it as {@link Outcome#CONFLICT}: the state must
 * change (another stream) before a retry can work.
 */
public final class CounterExhaustedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The counters that can run out. */
  public enum Counter {
    /** A stream's segment sequence number (also the signed chain's sequence). */
    SEGMENT_SEQUENCE,
    /** A stream's epoch number. */
    EPOCH,
    /** An SFrame sender's counter (the nonce of a live frame). */
    SFRAME_COUNTER,
    /** The chunk counter inside one sealed segment. */
    CHUNK
  }

  private final Counter counter;

  /**
   * @param counter which counter ran out
   * @param message what refused, without secrets
   */
  public CounterExhaustedException(Counter counter, String message) {
    super(message);
    this.counter = java.util.Objects.requireNonNull(counter, "counter");
  }

  /** Which counter ran out. */
  public Counter counter() {
    return counter;
  }
}
