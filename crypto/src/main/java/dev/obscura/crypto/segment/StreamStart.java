package dev.obscura.crypto.segment;

import dev.obscura.core.Hex;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentId;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a stream begins, for {@link StreamReader.Builder#start}: at segment 0 ({@link #GENESIS}),
 * or, after a retention prune, at the first segment the prune kept, with the chain digest the
 * camera signed for it. Segments before the start are not read; the start segment needs no
 * predecessor, but must have exactly that digest.
 *
 * <p><b>Security guarantees:</b> none on its own. A start other than genesis must come from the
 * one verification path ({@code VerifiedStore.streamStart}), which accepts it only when an owner
 * signed the prune in the audit log and the camera's signed manifest covering the start segment
 * is in the store with the same digest. A reader given no start accepts no missing prefix.
 */
public final class StreamStart {
  /** The stream begins at segment 0 (nothing was pruned). */
  public static final StreamStart GENESIS = new StreamStart(0, null);

  private final long sequence;
  private final byte[] digest;

  private StreamStart(long sequence, byte[] digest) {
    this.sequence = sequence;
    this.digest = digest;
  }

  /**
   * A start at segment {@code sequence}, whose chain digest must be {@code digest}.
   *
   * @param sequence the first kept sequence, 1..2^63-1
   * @param digest the chain digest of that segment (32 bytes), as the camera signed it
   * @return the start
   * @throws IllegalArgumentException if the sequence or the digest length is out of range
   */
  public static StreamStart attested(long sequence, byte[] digest) {
    Objects.requireNonNull(digest, "digest");
    if (sequence < 1 || sequence > SegmentId.MAX_SEQUENCE) {
      throw new IllegalArgumentException("an attested start is a sequence of 1..2^63-1");
    }
    if (digest.length != SegmentHeader.DIGEST_LENGTH) {
      throw new IllegalArgumentException("a chain digest is 32 bytes");
    }
    return new StreamStart(sequence, digest.clone());
  }

  /** @return the first sequence of the stream (0 for genesis) */
  public long sequence() {
    return sequence;
  }

  /** @return the chain digest the start segment must have; empty for genesis */
  public Optional<byte[]> digest() {
    return digest == null ? Optional.empty() : Optional.of(digest.clone());
  }

  /** @return whether the stream begins at segment 0 */
  public boolean isGenesis() {
    return digest == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamStart s && s.sequence == sequence && java.util.Arrays.equals(s.digest, digest);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sequence) * 31 + java.util.Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return isGenesis() ? "StreamStart[genesis]"
        : "StreamStart[" + sequence + ", digest " + Hex.format(digest, 0, 8) + "...]";
  }
}
