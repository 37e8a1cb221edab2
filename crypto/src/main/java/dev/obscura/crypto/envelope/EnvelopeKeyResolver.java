package dev.obscura.crypto.envelope;

import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectNames;
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

/**
 * Resolves epoch keys by reading each epoch's {@link KeyEnvelope} from a {@link SegmentStore}
 * ({@code ObjectNames.envelope(stream, epoch)}) and opening it with an {@link Identity}.
 *
 * <p><b>Security guarantees:</b> the envelope is read with a 1 MiB bound; an envelope whose
 * authenticated header names another stream or epoch than the one asked for (moved by the
 * store) is an {@link IntegrityException}. Every guarantee of {@link KeyEnvelope#open} applies.
 *
 * <p>Built with camera keys, it refuses ({@link IntegrityException}) any envelope that is not
 * signed by one of them: that is what stops a store from planting an epoch of its own.
 *
 * <p><b>Restrictions:</b> without camera keys, any envelope wrapped to the identity is accepted.
 * No caching: every call reads and opens the envelope again; each
 * returned key is a fresh object the caller may destroy.
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

  /** A resolver that does not check camera signatures (see the class restrictions). */
  public EnvelopeKeyResolver(SegmentStore store, Identity identity) {
    this(store, identity, List.of());
  }

  /**
   * A resolver that accepts only envelopes signed by one of {@code cameras} (typically the camera
   * keys pinned in the verified roster); with an empty list, it checks no signature.
   */
  public EnvelopeKeyResolver(SegmentStore store, Identity identity, Collection<VerifyingKey> cameras) {
    this.store = Objects.requireNonNull(store, "store");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.cameras = List.copyOf(cameras);
  }

  @Override
  public EpochKey resolve(StreamId stream, EpochId epoch)
      throws IOException, KeyUnavailableException, IntegrityException, MalformedDataException {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(epoch, "epoch");
    byte[] bytes;
    try {
      bytes = store.readAll(ObjectNames.envelope(stream, epoch), KeyEnvelope.MAX_ENVELOPE_BYTES);
    } catch (NoSuchObjectException e) {
      throw new KeyUnavailableException("no key envelope for " + stream + " " + epoch);
    }
    KeyEnvelope envelope = KeyEnvelope.parse(bytes);
    if (!envelope.header().stream().equals(stream) || !envelope.header().epoch().equals(epoch)) {
      throw new IntegrityException(
          "the key envelope stored for " + stream + " " + epoch + " belongs to "
              + envelope.header().stream() + " " + envelope.header().epoch());
    }
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
