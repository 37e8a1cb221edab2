package dev.obscura.crypto.segment;

import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.chunked.ChunkedSuite;

/**
 * How a segment is sealed: the C2SP chunked-encryption instantiation, identified in the segment
 * header's suite byte.
 *
 * <p><b>Security guarantees:</b> both suites commit to the key (32-byte commitment) and detect
 * truncation; the suite byte is part of the authenticated header, so it cannot be downgraded.
 *
 * <p><b>Restrictions:</b> ids 1 and 2 only in format version 1; others are {@link
 * MalformedDataException}s.
 *
 * <p><b>Sample:</b> {@code SegmentSealer.builder().suite(SealingSuite.AES_128_GCM)...}
 */
public enum SealingSuite {
  /** Suite 1, the default: Cobblestone-256 (AES-256-GCM chunks, HKDF-Expand-SHA-512). */
  AES_256_GCM(1, ChunkedSuite.COBBLESTONE_256),
  /** Suite 2: Cobblestone-128 (AES-128-GCM chunks, HKDF-Expand-SHA-512). */
  AES_128_GCM(2, ChunkedSuite.COBBLESTONE_128);

  private static final SealingSuite[] ALL = values();

  private final int id;
  private final ChunkedSuite chunked;

  SealingSuite(int id, ChunkedSuite chunked) {
    this.id = id;
    this.chunked = chunked;
  }

  /** The suite byte in the segment header. */
  public int id() {
    return id;
  }

  /** The chunked-encryption instantiation. */
  public ChunkedSuite chunkedSuite() {
    return chunked;
  }

  /** Length of the segment key (the C2SP input key) in bytes. */
  public int segmentKeySizeBytes() {
    return chunked.keySizeBytes();
  }

  /**
   * The suite with header id {@code id}.
   *
   * @throws MalformedDataException for an id this version does not know
   */
  public static SealingSuite fromId(int id) throws MalformedDataException {
    for (SealingSuite s : ALL) { // not values(): that clones the array on every call
      if (s.id == id) {
        return s;
      }
    }
    throw new MalformedDataException("unknown sealing suite " + id);
  }
}
