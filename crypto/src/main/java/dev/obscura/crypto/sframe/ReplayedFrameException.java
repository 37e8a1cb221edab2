package dev.obscura.crypto.sframe;

import dev.obscura.core.IntegrityException;

/**
 * An SFrame ciphertext was refused by the receiver's replay window: its (KID, CTR) was already
 * accepted, or it is older than the window and can no longer be told apart from a replay. The
 * frame was not decrypted. A relay replaying or re-sending frames causes this; so can heavy
 * reordering beyond the window.
 */
public final class ReplayedFrameException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  private final long kid;
  private final long counter;
  private final boolean tooOld;

  ReplayedFrameException(long kid, long counter, boolean tooOld) {
    super("SFrame frame " + (tooOld ? "older than the replay window" : "replayed")
        + ": kid " + Long.toUnsignedString(kid) + ", ctr " + Long.toUnsignedString(counter));
    this.kid = kid;
    this.counter = counter;
    this.tooOld = tooOld;
  }

  /** The frame's key id (unsigned; in Obscura, the epoch). */
  public long kid() {
    return kid;
  }

  /** The frame's counter (unsigned). */
  public long counter() {
    return counter;
  }

  /** True if the frame fell behind the window; false if it is a duplicate of an accepted one. */
  public boolean tooOld() {
    return tooOld;
  }
}
