package dev.obscura.crypto.trust;

import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;
import java.util.Locale;

/** A roster change that the enrolment rules do not allow; nothing was signed or published. */
public class EnrolmentException extends ObscuraException {
  private static final long serialVersionUID = 1L;

  /** Which rule. */
  public enum Reason {
    /** The identity may not sign the next roster (not an owner of the newest one, nor its recovery key). */
    NOT_AN_OWNER,
    /** The identity has no Ed25519 signing key (a version-1 key file). */
    NO_SIGNING_KEY,
    /** The device is enrolled already. */
    ALREADY_ENROLLED,
    /** The device is not in the newest roster. */
    NOT_A_MEMBER,
    /** A device cannot sign its own revocation. */
    SELF_REVOCATION,
    /** Setup on a store that already has a roster. */
    HAS_ROSTER,
    /** A change on a store that has no roster yet (pair a camera first). */
    NO_ROSTER,
    /** The first device must sign itself in. */
    NOT_SELF_SIGNED,
    /** The camera's public key cannot be found (not published in the store, not given). */
    NO_CAMERA_KEY,
    /** The change would make an invalid roster (too many members, a name too long). */
    INVALID
  }

  private final Reason reason;

  /**
   * A refused roster change.
   *
   * @param reason which rule refused it
   * @param message what was refused, without secrets
   */
  public EnrolmentException(Reason reason, String message) {
    super(outcomeOf(reason), message);
    this.reason = reason;
  }

  /**
   * The outcome of each rule: {@code NOT_AN_OWNER} and {@code NO_SIGNING_KEY} are {@link
   * Outcome#NO_KEY} (this identity may not sign); {@code SELF_REVOCATION}, {@code NOT_SELF_SIGNED}
   * and {@code INVALID} are {@link Outcome#USAGE} (never allowed); the others are {@link
   * Outcome#CONFLICT} (not allowed in the household's current state).
   *
   * @param reason a rule
   * @return its outcome
   */
  public static Outcome outcomeOf(Reason reason) {
    switch (reason) {
      case NOT_AN_OWNER:
      case NO_SIGNING_KEY:
        return Outcome.NO_KEY;
      case SELF_REVOCATION:
      case NOT_SELF_SIGNED:
      case INVALID:
        return Outcome.USAGE;
      case ALREADY_ENROLLED:
      case NOT_A_MEMBER:
      case HAS_ROSTER:
      case NO_ROSTER:
      case NO_CAMERA_KEY:
        return Outcome.CONFLICT;
      default:
        throw new IllegalArgumentException("no outcome for " + reason);
    }
  }

  public Reason reason() {
    return reason;
  }

  public String reasonText() {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
