package dev.obscura.crypto.segment;

import dev.obscura.core.SegmentHeader;
import java.util.Objects;

/**
 * The public part of a sealed segment: its header and its 32-byte key commitment. Read without a
 * key ({@link SegmentFormat#readHead}); on its own it is not authenticated.
 */
public final class SealedSegmentHead {
  private final SegmentHeader header;
  private final byte[] commitment;

  public SealedSegmentHead(SegmentHeader header, byte[] commitment) {
    this.header = Objects.requireNonNull(header, "header");
    if (commitment.length != 32) {
      throw new IllegalArgumentException("commitment must be 32 bytes");
    }
    this.commitment = commitment.clone();
  }

  public SegmentHeader header() {
    return header;
  }

  /** The key commitment (a copy). */
  public byte[] commitment() {
    return commitment.clone();
  }

  /** The chain digest: SHA-256("obscura/v1 chain" || header || commitment). */
  public byte[] digest() {
    return SegmentFormat.digest(header, commitment);
  }

  @Override
  public String toString() {
    return "SealedSegmentHead[" + header + "]";
  }
}
