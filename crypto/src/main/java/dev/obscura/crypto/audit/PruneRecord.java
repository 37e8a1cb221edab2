package dev.obscura.crypto.audit;

import dev.obscura.core.EpochId;
import dev.obscura.core.Hex;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The payload of a {@link AuditEntry.Type#PRUNE} audit entry: an owner's signed statement that
 * segments {@code 0 .. firstKept-1} of a stream were deleted on purpose, and that the stream now
 * begins at segment {@code firstKept}, whose chain digest the camera signed in the manifest that
 * ends at {@code manifestLast}. Readers accept a missing prefix only with such a statement (see
 * {@code VerifiedStore.streamStart}).
 *
 * <pre>
 * payload:
 *   0     1   version = 0x01
 *   1     1   n = length of the stream id, 1..64
 *   2     n   stream id (ASCII)
 *   2+n   8   first kept sequence, 1..2^63-1
 *   10+n  8   epoch of the first kept segment, 0..2^63-2
 *   18+n  8   last sequence of the camera's chain manifest that covers the first kept segment
 *   26+n  32  chain digest of the first kept segment, as that manifest signs it
 *   58+n  8   segments deleted by this prune (informational)
 *   66+n  8   bytes deleted by this prune, as the store listed them (informational)
 * </pre>
 *
 * <p>The payload is never 24 bytes long, so it is never mistaken for a roster change.
 *
 * <p><b>Security guarantees:</b> none on its own: it is authentic only inside an audit entry
 * whose signature, place in the log and signer (an owner) were verified.
 *
 * @param stream the stream pruned
 * @param firstKept the first sequence kept (every segment below it was deleted)
 * @param firstKeptEpoch the epoch of segment {@code firstKept}
 * @param manifestLast the last sequence of the manifest that covers {@code firstKept}
 * @param firstKeptDigest the chain digest of segment {@code firstKept} (32 bytes)
 * @param segmentsDeleted how many segment objects this prune deleted
 * @param bytesDeleted how many bytes of objects this prune deleted, as listed: segments, envelopes,
 *     manifests and motion events
 */
public record PruneRecord(StreamId stream, long firstKept, EpochId firstKeptEpoch, long manifestLast,
    byte[] firstKeptDigest, long segmentsDeleted, long bytesDeleted) {
  /** The only version this code writes and reads. */
  public static final int VERSION = 1;

  public PruneRecord {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(firstKeptEpoch, "firstKeptEpoch");
    Objects.requireNonNull(firstKeptDigest, "firstKeptDigest");
    if (firstKept < 1 || firstKept > SegmentId.MAX_SEQUENCE) {
      throw new IllegalArgumentException("firstKept must be 1..2^63-1");
    }
    if (manifestLast < firstKept) {
      throw new IllegalArgumentException("the manifest must cover the first kept segment");
    }
    if (firstKeptDigest.length != SegmentHeader.DIGEST_LENGTH) {
      throw new IllegalArgumentException("a chain digest is 32 bytes");
    }
    if (segmentsDeleted < 0 || bytesDeleted < 0) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
    firstKeptDigest = firstKeptDigest.clone();
  }

  @Override
  public byte[] firstKeptDigest() {
    return firstKeptDigest.clone();
  }

  /** The encoded payload. */
  public byte[] encode() {
    byte[] sid = stream.toBytes();
    return ByteBuffer.allocate(2 + sid.length + 8 + 8 + 8 + 32 + 8 + 8)
        .put((byte) VERSION).put((byte) sid.length).put(sid)
        .putLong(firstKept).putLong(firstKeptEpoch.value()).putLong(manifestLast)
        .put(firstKeptDigest).putLong(segmentsDeleted).putLong(bytesDeleted).array();
  }

  /**
   * Parses the payload of a prune entry (its signature is the caller's concern).
   *
   * @throws MalformedDataException if the entry is not a prune, or its payload does not parse
   */
  public static PruneRecord of(AuditEntry entry) throws MalformedDataException {
    Objects.requireNonNull(entry, "entry");
    if (entry.type() != AuditEntry.Type.PRUNE) {
      throw new MalformedDataException("audit entry " + entry.sequence() + " is not a prune");
    }
    return parse(entry.payload());
  }

  /**
   * Parses an encoded payload; lengths are checked before anything is read.
   *
   * @throws MalformedDataException if it is not a version-1 prune payload
   */
  public static PruneRecord parse(byte[] p) throws MalformedDataException {
    Objects.requireNonNull(p, "payload");
    if (p.length < 2 || (p[0] & 0xff) != VERSION) {
      throw new MalformedDataException("not a version-1 prune record");
    }
    int n = p[1] & 0xff;
    if (n < 1 || n > StreamId.MAX_LENGTH || p.length != 2 + n + 72) {
      throw new MalformedDataException("prune record length does not match its stream id length");
    }
    ByteBuffer b = ByteBuffer.wrap(p, 2 + n, 72);
    try {
      StreamId stream = new StreamId(new String(p, 2, n, StandardCharsets.US_ASCII));
      long first = b.getLong();
      long epoch = b.getLong();
      long manifestLast = b.getLong();
      byte[] digest = new byte[32];
      b.get(digest);
      long segments = b.getLong();
      long bytes = b.getLong();
      if (!EpochId.isValid(epoch)) {
        throw new MalformedDataException("prune record has an invalid epoch");
      }
      return new PruneRecord(stream, first, EpochId.of(epoch), manifestLast, digest, segments, bytes);
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("prune record is invalid: " + e.getMessage());
    }
  }

  /** One line for people. */
  public String describe() {
    return "pruned " + stream + " before segment " + firstKept + " (" + firstKeptEpoch + "; " + segmentsDeleted
        + " segment(s), " + bytesDeleted + " bytes), the stream now begins at digest "
        + Hex.format(firstKeptDigest, 0, 8) + "... signed in manifest up to " + manifestLast;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PruneRecord r && r.stream.equals(stream) && r.firstKept == firstKept
        && r.firstKeptEpoch.equals(firstKeptEpoch) && r.manifestLast == manifestLast
        && java.util.Arrays.equals(r.firstKeptDigest, firstKeptDigest) && r.segmentsDeleted == segmentsDeleted
        && r.bytesDeleted == bytesDeleted;
  }

  @Override
  public int hashCode() {
    return Objects.hash(stream, firstKept, manifestLast) * 31 + java.util.Arrays.hashCode(firstKeptDigest);
  }

  @Override
  public String toString() {
    return "PruneRecord[" + describe() + "]";
  }
}
