package dev.obscura.crypto.sframe;

import dev.obscura.core.KeyUnavailableException;

/**
 * The receiver holds no key for the KID (in Obscura: the epoch) in an SFrame header. RFC 9605
 * section 4.4.4 allows buffering the ciphertext and retrying once the epoch's key arrives (see
 * {@link SFrameReceiver#addEpochKey}).
 */
public final class UnknownKeyIdException extends KeyUnavailableException {
  private static final long serialVersionUID = 1L;

  private final long kid;

  UnknownKeyIdException(long kid) {
    super("no SFrame key for kid " + Long.toUnsignedString(kid));
    this.kid = kid;
  }

  /** The key id of the frame (unsigned; in Obscura, the epoch number). */
  public long kid() {
    return kid;
  }
}
