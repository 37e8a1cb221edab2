package dev.obscura.crypto.keys;

/**
 * Someone an epoch key can be wrapped for: the extension point of key envelopes, after age's
 * {@code Recipient}. {@link ViewerPublicKey} is the built-in one; a passphrase or hardware-backed
 * recipient implements the same one method.
 *
 * <p><b>Security guarantees an implementation must give:</b> the stanza reveals nothing about
 * the key to anyone but the matching {@link Identity}; it binds {@code envelopeHeader} (stream,
 * epoch, creation time), so the stanza cannot be moved to another envelope; and it is fresh
 * (randomized) for every call.
 *
 * <p><b>Restrictions:</b> the stanza body is at most {@link Stanza#MAX_BODY_BYTES} bytes. A
 * failure of the underlying cryptography is a bug and is thrown unchecked.
 */
@FunctionalInterface
public interface Recipient {
  /**
   * Wraps {@code key} for this recipient.
   *
   * @param key the epoch key; not destroyed or kept
   * @param envelopeHeader the encoded {@link dev.obscura.core.EnvelopeHeader} of the envelope
   *     the stanza goes into, to be bound as context
   */
  Stanza wrap(EpochKey key, byte[] envelopeHeader);
}
