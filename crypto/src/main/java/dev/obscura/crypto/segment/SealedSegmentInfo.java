package dev.obscura.crypto.segment;

import dev.obscura.core.SegmentHeader;
import java.util.Objects;

/**
 * What {@link SegmentSealer#seal} wrote: the header, the object name, sizes and the chain digest.
 * All public (nothing here is secret).
 */
public final class SealedSegmentInfo {
  private final SegmentHeader header;
  private final String objectName;
  private final long sealedSizeBytes;
  private final long plaintextSizeBytes;
  private final byte[] digest;

  public SealedSegmentInfo(SegmentHeader header, String objectName, long sealedSizeBytes,
      long plaintextSizeBytes, byte[] digest) {
    this.header = Objects.requireNonNull(header, "header");
    this.objectName = Objects.requireNonNull(objectName, "objectName");
    this.sealedSizeBytes = sealedSizeBytes;
    this.plaintextSizeBytes = plaintextSizeBytes;
    this.digest = digest.clone();
  }

  public SegmentHeader header() {
    return header;
  }

  public String objectName() {
    return objectName;
  }

  public long sealedSizeBytes() {
    return sealedSizeBytes;
  }

  public long plaintextSizeBytes() {
    return plaintextSizeBytes;
  }

  /** The segment's chain digest (a copy): the next segment's previous digest. */
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public String toString() {
    return "SealedSegmentInfo[" + objectName + ", " + plaintextSizeBytes + " -> "
        + sealedSizeBytes + " bytes]";
  }
}
