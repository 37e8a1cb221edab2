package dev.obscura.crypto.segment;

import dev.obscura.core.SegmentHeader;
import java.util.Objects;

/**
 * A segment that was opened and authenticated whole: its header and its plaintext (fMP4).
 *
 * <p><b>Ownership:</b> {@link #plaintext()} returns the array itself, not a copy; it belongs to
 * the caller, who may wipe it when done.
 */
public final class OpenedSegment {
  private final SegmentHeader header;
  private final byte[] plaintext;
  private final byte[] digest;

  OpenedSegment(SegmentHeader header, byte[] plaintext, byte[] digest) {
    this.header = Objects.requireNonNull(header, "header");
    this.plaintext = Objects.requireNonNull(plaintext, "plaintext");
    this.digest = digest.clone();
  }

  public SegmentHeader header() {
    return header;
  }

  /** The authenticated plaintext (not a copy). */
  public byte[] plaintext() {
    return plaintext;
  }

  /** The segment's chain digest (a copy). */
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public String toString() {
    return "OpenedSegment[" + header + ", " + plaintext.length + " bytes]";
  }
}
