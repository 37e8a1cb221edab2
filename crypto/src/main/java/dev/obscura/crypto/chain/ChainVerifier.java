package dev.obscura.crypto.chain;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.segment.SealedSegmentHead;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks segments against a camera's signed {@link ChainManifest}s: the digest of each segment
 * (computed from its public head: header and key commitment) must equal the digest the camera
 * signed for its sequence number, and a range must be consecutive with each header's previous
 * digest equal to the signed digest before it.
 *
 * <p><b>Security guarantees:</b> only manifests whose signature verifies under the camera key are
 * used; two verified manifests that sign different digests for one sequence number (a forked
 * chain) are refused. A range that passes {@link #checkRange} is, segment for segment, what the
 * camera sealed: a dropped, inserted, reordered, replayed or modified segment fails, and so does
 * a range that ends early (the caller names the last sequence it expects). The digest check needs
 * no key; decryption with the segment key then proves the content matches the commitment.
 *
 * <p><b>Restrictions:</b> segments after the newest manifest are not covered ({@link #covers}
 * is false): their truncation cannot be proven. Not thread-safe.
 */
public final class ChainVerifier {
  private final StreamId stream;
  private final TreeMap<Long, byte[]> digests = new TreeMap<>();
  private final List<ChainManifest> manifests;

  private ChainVerifier(StreamId stream, List<ChainManifest> manifests) {
    this.stream = stream;
    this.manifests = manifests;
  }

  /**
   * Verifies {@code manifests} under {@code camera} and indexes their digests.
   *
   * @throws IntegrityException if a manifest's signature or key id does not verify, or two
   *     manifests disagree about a segment
   * @throws ChainBrokenException if a manifest is for another stream
   */
  public static ChainVerifier of(StreamId stream, VerifyingKey camera,
      Collection<ChainManifest> manifests) throws IntegrityException {
    return of(stream, List.of(Objects.requireNonNull(camera, "camera")), manifests);
  }

  /**
   * As {@link #of(StreamId, VerifyingKey, Collection)}, for a stream whose camera used several
   * keys over time: each manifest must verify under the trusted key its key id names.
   *
   * @throws IntegrityException also if a manifest names a key not in {@code cameras}
   */
  public static ChainVerifier of(StreamId stream, Collection<VerifyingKey> cameras,
      Collection<ChainManifest> manifests) throws IntegrityException {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(cameras, "cameras");
    ChainVerifier v = new ChainVerifier(stream, List.copyOf(manifests));
    for (ChainManifest m : manifests) {
      if (!m.stream().equals(stream)) {
        throw new ChainBrokenException("chain manifest of stream " + m.stream()
            + " given for stream " + stream);
      }
      VerifyingKey camera = null;
      for (VerifyingKey c : cameras) {
        if (MessageDigest.isEqual(c.keyId(), m.cameraKeyId())) {
          camera = c;
        }
      }
      if (camera == null) {
        throw new IntegrityException("chain manifest of " + stream + " up to "
            + m.lastSequence() + " is signed by an unknown camera key");
      }
      m.verify(camera);
      for (long s = m.firstSequence(); s <= m.lastSequence(); s++) {
        byte[] d = m.digestOf(s);
        byte[] old = v.digests.putIfAbsent(s, d);
        if (old != null && !MessageDigest.isEqual(old, d)) {
          throw new IntegrityException("two signed chain manifests of " + stream
              + " disagree about segment " + s + " (forked chain)");
        }
      }
    }
    return v;
  }

  /**
   * Reads and verifies all manifests of {@code stream} in {@code store}.
   *
   * @throws MalformedDataException if a stored manifest does not parse, or its name does not
   *     match its content
   * @throws IntegrityException as {@link #of}
   */
  public static ChainVerifier load(SegmentStore store, StreamId stream, VerifyingKey camera)
      throws IOException, MalformedDataException, IntegrityException {
    return load(store, stream, List.of(Objects.requireNonNull(camera, "camera")));
  }

  /** As {@link #load(SegmentStore, StreamId, VerifyingKey)}, with several trusted camera keys. */
  public static ChainVerifier load(SegmentStore store, StreamId stream,
      Collection<VerifyingKey> cameras)
      throws IOException, MalformedDataException, IntegrityException {
    List<ChainManifest> found = new ArrayList<>();
    for (StoredObject o : store.list(ChainManifest.prefix(stream))) {
      Optional<Long> last = ChainManifest.parseObjectName(stream, o.name());
      if (!last.isPresent()) {
        continue;
      }
      ChainManifest m = ChainManifest.parse(store.readAll(o.name(), ChainManifest.MAX_ENCODED_BYTES));
      if (!m.stream().equals(stream) || m.lastSequence() != last.get()) {
        throw new MalformedDataException("chain manifest stored as " + o.name()
            + " is for " + m.stream() + " up to " + m.lastSequence());
      }
      found.add(m);
    }
    return of(stream, cameras, found);
  }

  /** The verified manifests, in the order given or listed. */
  public List<ChainManifest> manifests() {
    return Collections.unmodifiableList(manifests);
  }

  /** Whether a verified manifest covers segment {@code seq}. */
  public boolean covers(long seq) {
    return digests.containsKey(seq);
  }

  /** The highest sequence number covered, or -1 if none. */
  public long lastCovered() {
    return digests.isEmpty() ? -1 : digests.lastKey();
  }

  /** The signed digest of segment {@code seq} (a copy), if covered. */
  public Optional<byte[]> digestOf(long seq) {
    byte[] d = digests.get(seq);
    return d == null ? Optional.empty() : Optional.of(d.clone());
  }

  /**
   * Checks one segment's public head against the signed digest of its sequence number.
   *
   * @throws ChainBrokenException if it belongs to another stream, is not covered, or its digest
   *     is not the signed one (modified, or substituted by another segment)
   */
  public void checkSegment(SealedSegmentHead head) throws ChainBrokenException {
    SegmentHeader h = head.header();
    if (!h.stream().equals(stream)) {
      throw new ChainBrokenException("segment of stream " + h.stream() + " checked against the"
          + " chain of " + stream);
    }
    byte[] signed = digests.get(h.sequence());
    if (signed == null) {
      throw new ChainBrokenException("segment " + h.sequence() + " of " + stream
          + " is not covered by a signed chain manifest");
    }
    if (!MessageDigest.isEqual(signed, head.digest())) {
      throw new ChainBrokenException("segment " + h.sequence() + " of " + stream
          + " is not the one the camera signed (modified or substituted)");
    }
  }

  /**
   * Checks that {@code heads} are exactly segments {@code firstSeq .. lastSeq} of the stream, in
   * order, each the one the camera signed, each following the one before.
   *
   * @throws ChainBrokenException if a segment is missing, extra, out of order, modified, not
   *     covered, or does not follow its predecessor
   */
  public void checkRange(List<SealedSegmentHead> heads, long firstSeq, long lastSeq)
      throws ChainBrokenException {
    if (firstSeq < 0 || lastSeq < firstSeq) {
      throw new IllegalArgumentException("need 0 <= firstSeq <= lastSeq");
    }
    long expected = firstSeq;
    byte[] previous = firstSeq == 0 ? new byte[SegmentHeader.DIGEST_LENGTH] : digests.get(firstSeq - 1);
    for (SealedSegmentHead head : heads) {
      long seq = head.header().sequence();
      if (seq != expected) {
        throw new ChainBrokenException("segment " + expected + " of " + stream
            + " expected, found segment " + seq + " (dropped, inserted or reordered)");
      }
      if (seq > lastSeq) {
        throw new ChainBrokenException("segment " + seq + " of " + stream
            + " lies after the range ending at " + lastSeq);
      }
      checkSegment(head);
      if (previous != null && !MessageDigest.isEqual(previous, head.header().previousDigest())) {
        throw new ChainBrokenException("segment " + seq + " of " + stream
            + " does not follow segment " + (seq - 1));
      }
      previous = digests.get(seq);
      expected++;
    }
    if (expected != lastSeq + 1) {
      throw new ChainBrokenException("segments " + expected + ".." + lastSeq + " of " + stream
          + " are missing");
    }
  }

  @Override
  public String toString() {
    return "ChainVerifier[" + stream + ", " + manifests.size() + " manifests, "
        + digests.size() + " segments]";
  }
}
