package dev.obscura.crypto.trust;

import dev.obscura.core.IntegrityException;
import java.util.Locale;

/**
 * The store shows less than, or something else than, what this device (or camera) verified
 * before, or what it was paired with: the store is not to be believed, and nothing it serves is
 * read. The message names what was expected and what was found, never a secret.
 */
public class TrustException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  /** What the store did. */
  public enum Reason {
    /** The store's newest verifiable roster is older than the pinned one. */
    ROLLBACK,
    /** The store shows no roster (or none that verifies) where one was pinned or named. */
    NO_ROSTER,
    /** The store's roster at the pinned version is another one (a fork). */
    FORK,
    /** The camera key in force is not the pinned one, or not the one the pairing code names. */
    CAMERA_KEY,
    /** The roster does not match the enrolment code this device was given. */
    ENROLMENT_CODE,
    /** No roster in the store is authenticated by the camera's pairing secret (a ghost roster). */
    NOT_PAIRED,
    /** An envelope is not signed by the camera in force for the roster it names, or names none. */
    ENVELOPE,
    /** The audit log no longer holds the head this device verified. */
    AUDIT_LOST,
    /**
     * The camera's own state folder is behind what the camera itself signed into the store (an
     * envelope of an epoch its epoch record calls unused, a manifest above its chain head), or
     * its counter file is missing where its record shows it was used: the folder was rolled
     * back, restored from a copy, or lost a file. The camera refuses to start rather than reuse a
     * number.
     */
    CAMERA_STATE
  }

  private final Reason reason;

  public TrustException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** The reason in words ("rollback", "no roster", ...). */
  public String reasonText() {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
