package dev.obscura.crypto.keys;

import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import java.util.List;
import java.util.Optional;

/**
 * Someone who can unwrap epoch keys: the other half of {@link Recipient}, after age's {@code
 * Identity}. {@link ViewerIdentity} is the built-in one.
 *
 * <p><b>Security guarantees an implementation must give:</b> a returned key was wrapped for
 * this identity under exactly {@code header} (stream, epoch, creation time); it has the
 * header's stream and epoch.
 */
@FunctionalInterface
public interface Identity {
  /**
   * Finds the stanza addressed to this identity and unwraps the epoch key from it.
   *
   * @param stanzas all stanzas of the envelope, in order; implementations skip types they do not
   *     handle
   * @param header the envelope's header, as authenticated context
   * @return the key, or empty if no stanza is addressed to this identity
   * @throws IntegrityException if a stanza addressed to this identity fails to unwrap (tampered,
   *     or moved from another envelope)
   * @throws MalformedDataException if a stanza of a type this identity handles does not parse
   */
  Optional<EpochKey> unwrap(List<Stanza> stanzas, EnvelopeHeader header)
      throws IntegrityException, MalformedDataException;
}
