package dev.obscura.crypto.chain;

import java.util.stream.Collectors;
import java.util.Collections;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.sign.SigningKey;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera side of the signed chain: give it every {@link SealedSegmentInfo} the sealer
 * returns, in order; every {@code everyNSegments} segments, and on {@link #flush()} or {@link
 * #close()}, it signs a {@link ChainManifest} over the digests collected since the last one and
 * stores it under {@link ChainManifest#objectName()}.
 *
 * <p><b>Security guarantees:</b> a manifest is only ever signed over digests the sealer
 * reported, in sequence order; a gap in the sequence numbers it is given (a segment that failed
 * to store and was sealed again under the same number, or a sealer restart) ends the run, so a
 * manifest never claims a segment that was not stored.
 *
 * <p><b>Restrictions:</b> the segments sealed since the last manifest are not covered until the
 * next one is written: a crash loses at most {@code everyNSegments - 1} segments' worth of
 * coverage (those segments stay readable, but their truncation cannot be proven). If storing a
 * manifest fails, the digests stay pending and go into the next manifest. The signing key
 * belongs to the caller and is not destroyed here. Thread-safe; one signer per stream.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (ChainSigner chain = new ChainSigner(store, cameraKey, 30)) {
 *   for (MediaSegment s; (s = source.next()) != null; ) chain.accept(sealer.seal(s));
 * }
 * }</pre>
 */
public final class ChainSigner implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(ChainSigner.class);

  private final SegmentStore store;
  private final SigningKey camera;
  private final int everyNSegments;
  private final java.time.Duration everyDuration;
  private final java.time.Clock clock;
  private java.time.Instant lastManifestAt;
  private final List<byte[]> pending = new ArrayList<>();
  private StreamId stream;
  private long firstPending = -1;
  private long manifestsWritten;

  /**
   * @param everyNSegments how many segments one manifest covers at most (1..{@value
   *     ChainManifest#MAX_DIGESTS})
   */
  public ChainSigner(SegmentStore store, SigningKey camera, int everyNSegments) {
    this(store, camera, everyNSegments, java.time.Duration.ZERO, java.time.Clock.systemUTC());
  }

  /**
   * A signer that also writes a manifest when {@code everyDuration} has passed (by {@code clock})
   * since the last one (or since it started) and a segment arrives; zero for no time cadence.
   */
  public ChainSigner(SegmentStore store, SigningKey camera, int everyNSegments, java.time.Duration everyDuration,
      java.time.Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.camera = Objects.requireNonNull(camera, "camera");
    if (everyNSegments < 1 || everyNSegments > ChainManifest.MAX_DIGESTS) {
      throw new IllegalArgumentException("everyNSegments must be 1.." + ChainManifest.MAX_DIGESTS);
    }
    if (everyDuration.isNegative()) {
      throw new IllegalArgumentException("everyDuration must be >= 0");
    }
    this.everyNSegments = everyNSegments;
    this.everyDuration = everyDuration;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lastManifestAt = clock.instant();
  }

  /**
   * Takes back the digests a camera had sealed but not yet covered before it stopped (from its
   * own state), so the next manifest covers them.
   *
   * @throws IllegalStateException if digests are pending already
   */
  public synchronized void restore(StreamId stream, long first, List<byte[]> digests) {
    if (!pending.isEmpty()) {
      throw new IllegalStateException("digests are pending already");
    }
    this.stream = Objects.requireNonNull(stream, "stream");
    if (!digests.isEmpty()) {
      firstPending = first;
      for (byte[] d : digests) {
        pending.add(d.clone());
      }
    }
  }

  /** The first sequence not yet covered by a stored manifest, or -1 if none is pending. */
  public synchronized long pendingFirst() {
    return pending.isEmpty() ? -1 : firstPending;
  }

  /** The pending digests, in order (copies). */
  public synchronized List<byte[]> pendingDigests() {
    return Collections.unmodifiableList(pending.stream().map(byte[]::clone).collect(Collectors.toList()));
  }

  /**
   * Records one sealed segment; writes a manifest when {@code everyNSegments} are pending.
   *
   * @throws IllegalArgumentException if the segment belongs to another stream than earlier ones
   * @throws IOException if storing a due manifest fails (the digests stay pending)
   */
  public synchronized void accept(SealedSegmentInfo info) throws IOException {
    Objects.requireNonNull(info, "info");
    StreamId s = info.header().stream();
    if (stream == null) {
      stream = s;
    } else if (!stream.equals(s)) {
      throw new IllegalArgumentException("a chain signer serves one stream (" + stream + ")");
    }
    long seq = info.header().sequence();
    if (!pending.isEmpty() && seq != firstPending + pending.size()) {
      log.debug("sequence of {} jumps to {}; closing the current manifest", stream, seq);
      flush();
      if (!pending.isEmpty()) {
        pending.clear(); // unreachable unless flush failed and threw
      }
    }
    if (pending.isEmpty()) {
      firstPending = seq;
    }
    pending.add(info.digest());
    boolean late = !everyDuration.isZero() && !clock.instant().isBefore(lastManifestAt.plus(everyDuration));
    if (pending.size() >= everyNSegments || late) {
      flush();
    }
  }

  /**
   * Signs and stores a manifest over the pending digests, if any.
   *
   * @return the manifest written, or empty if nothing was pending
   * @throws IOException if the store fails (the digests stay pending)
   */
  public synchronized Optional<ChainManifest> flush() throws IOException {
    if (pending.isEmpty()) {
      return Optional.empty();
    }
    ChainManifest m = ChainManifest.sign(stream, firstPending, pending, camera);
    store.put(m.objectName(), m.encode());
    manifestsWritten++;
    lastManifestAt = clock.instant();
    log.debug("signed chain manifest for {} segments {}..{}", stream, m.firstSequence(),
        m.lastSequence());
    pending.clear();
    firstPending = -1;
    return Optional.of(m);
  }

  /** Manifests stored so far. */
  public synchronized long manifestsWritten() {
    return manifestsWritten;
  }

  /** Segments sealed but not yet covered by a stored manifest. */
  public synchronized int pendingSegments() {
    return pending.size();
  }

  /** Writes a manifest over the pending segments. */
  @Override
  public void close() throws IOException {
    flush();
  }

  @Override
  public synchronized String toString() {
    return "ChainSigner[" + stream + ", every " + everyNSegments + ", " + pending.size()
        + " pending]";
  }
}
