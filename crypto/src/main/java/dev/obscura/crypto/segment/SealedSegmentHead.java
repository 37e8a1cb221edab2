package dev.obscura.crypto.segment;

import dev.obscura.core.SegmentHeader;
import java.util.Objects;

/**
 * The public part of a sealed segment: its header and its 32-byte key commitment, and, when the
 * whole object was read, its chain digest. Read without a key ({@link SegmentFormat#readHead}
 * for the head alone, {@link SegmentFormat#readWhole} or {@link SegmentFormat#headOfWhole} with
 * the digest); on its own it is not authenticated.
 */
public final class SealedSegmentHead {
  private final SegmentHeader header;
  private final byte[] commitment;
  private final byte[] digest;

  /** A head read alone: no chain digest. */
  public SealedSegmentHead(SegmentHeader header, byte[] commitment) {
    this(header, commitment, null);
  }

  /**
   * @param digest the chain digest of the whole sealed object (32 bytes), or null if only the
   *     head was read
   */
  public SealedSegmentHead(SegmentHeader header, byte[] commitment, byte[] digest) {
    this.header = Objects.requireNonNull(header, "header");
    if (commitment.length != 32) {
      throw new IllegalArgumentException("commitment must be 32 bytes");
    }
    if (digest != null && digest.length != SegmentHeader.DIGEST_LENGTH) {
      throw new IllegalArgumentException("digest must be 32 bytes");
    }
    this.commitment = commitment.clone();
    this.digest = digest == null ? null : digest.clone();
  }

  public SegmentHeader header() {
    return header;
  }

  /** The key commitment (a copy). */
  public byte[] commitment() {
    return commitment.clone();
  }

  /** Whether the whole object was read, so that {@link #digest()} is known. */
  public boolean hasDigest() {
    return digest != null;
  }

  /**
   * The chain digest, SHA-256("obscura/v2 chain" || the whole sealed object) (a copy).
   *
   * @throws IllegalStateException if only the head was read: the head alone does not determine
   *     the digest (it covers every ciphertext byte)
   */
  public byte[] digest() {
    if (digest == null) {
      throw new IllegalStateException("segment " + header.segmentId() + ": only its head was"
          + " read; its chain digest covers the whole sealed object");
    }
    return digest.clone();
  }

  @Override
  public String toString() {
    return "SealedSegmentHead[" + header + "]";
  }
}
