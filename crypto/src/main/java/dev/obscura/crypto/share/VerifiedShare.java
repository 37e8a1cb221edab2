package dev.obscura.crypto.share;

import dev.obscura.crypto.segment.OpenedSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link ShareVerifier} returns: the owner's verified record and the shared segments,
 * authenticated whole, in sequence order.
 *
 * @param record the owner's record; its signature, the camera's manifests and every segment
 *     digest verified
 * @param segments the decrypted segments, {@code record.firstSequence()} to {@code
 *     record.lastSequence()}
 */
public record VerifiedShare(ShareRecord record, List<OpenedSegment> segments) {
  public VerifiedShare {
    segments = List.copyOf(segments);
  }

  /** The plaintexts (self-contained fMP4 segments), in order. */
  public List<byte[]> plaintexts() {
    List<byte[]> out = new ArrayList<>(segments.size());
    for (OpenedSegment s : segments) {
      out.add(s.plaintext());
    }
    return out;
  }

  @Override
  public String toString() {
    return "VerifiedShare[" + record + ", " + segments.size() + " segments]";
  }
}
