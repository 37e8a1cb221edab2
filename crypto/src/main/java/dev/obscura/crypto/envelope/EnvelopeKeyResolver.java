package dev.obscura.crypto.envelope;

import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.keys.Identity;
import java.io.IOException;
import java.util.Objects;
import java.util.Collection;
import java.util.List;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.trust.VerifiedStore;

/**
 * Resolves epoch keys by reading each epoch's {@link KeyEnvelope} from a {@link SegmentStore}
 * ({@code ObjectNames.envelope(stream, epoch)}) and opening it with an {@link Identity}, through
 * the SDK's one verification path ({@link VerifiedStore#verifyEnvelope}).
 *
 * <p><b>Security guarantees:</b> the envelope is read with a 1 MiB bound; an envelope whose
 * authenticated header names another stream or epoch than the one asked for (moved by the
 * store) is an {@link IntegrityException}. On a store with a roster, the envelope must name a
 * roster of the verified chain and be signed by the camera in force for it (so a store cannot
 * plant an epoch of its own); on a store that never had a roster (fixed recipients) any envelope
 * wrapped to the identity is accepted. Built with camera keys, it also refuses any envelope not
 * signed by one of them. Every guarantee of {@link KeyEnvelope#open} applies.
 *
 * <p><b>Restrictions:</b> it remembers nothing between runs: the roster chain is verified from
 * version 1 on first use (trust on first use). A device should read through {@link
 * VerifiedStore#epochKeys} with its {@link dev.obscura.crypto.trust.TrustStore}, which refuses a
 * store that shows less than the device verified before. Each returned key is a fresh object the
 * caller may destroy.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * EpochKeyResolver keys = new EnvelopeKeyResolver(store, ViewerIdentity.readFrom(keyFile));
 * EpochKey key = keys.resolve(StreamId.of("front-door"), EpochId.of(3));
 * }</pre>
 */
public final class EnvelopeKeyResolver implements EpochKeyResolver {
  private final SegmentStore store;
  private final Identity identity;
  private final List<VerifyingKey> cameras;
  private VerifiedStore view;

  /** A resolver through the one verification path, with no pins. */
  public EnvelopeKeyResolver(SegmentStore store, Identity identity) {
    this(store, identity, List.of());
  }

  /**
   * A resolver that, beyond the one verification path, accepts only envelopes signed by one of
   * {@code cameras}; with an empty list, no extra check.
   */
  public EnvelopeKeyResolver(SegmentStore store, Identity identity, Collection<VerifyingKey> cameras) {
    this.store = Objects.requireNonNull(store, "store");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.cameras = List.copyOf(cameras);
  }

  @Override
  public synchronized EpochKey resolve(StreamId stream, EpochId epoch)
      throws IOException, KeyUnavailableException, IntegrityException, MalformedDataException {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(epoch, "epoch");
    KeyEnvelope envelope = KeyEnvelope.read(store, stream, epoch);
    if (view == null) {
      view = VerifiedStore.builder().store(store).open();
    }
    view.verifyEnvelope(envelope);
    if (!cameras.isEmpty()) {
      envelope.verifySignature(cameras);
    }
    return envelope.open(identity);
  }

  @Override
  public String toString() {
    return "EnvelopeKeyResolver[" + store + ", " + identity + "]";
  }
}
