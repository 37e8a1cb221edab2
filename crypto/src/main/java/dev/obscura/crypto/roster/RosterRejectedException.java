package dev.obscura.crypto.roster;

import dev.obscura.core.IntegrityException;

/**
 * A roster was refused: it is not a valid successor of the roster the reader (or camera) trusts.
 * The camera keeps its current roster and reports this; nothing is wrapped for the refused one.
 */
public class RosterRejectedException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  /** Why a roster was refused. */
  public enum Reason {
    /** It does not parse (or is not in canonical form). */
    MALFORMED,
    /** The signature is missing, zero or does not verify (an unsigned or altered roster). */
    BAD_SIGNATURE,
    /** Signed by a key that is not an owner (or the recovery key) of the previous roster. */
    SIGNER_NOT_MEMBER,
    /** Signed by a device that was revoked. */
    SIGNER_REVOKED,
    /** Signed by a viewer (only owners and the recovery key may sign). */
    SIGNER_NOT_OWNER,
    /** The signing owner removed itself (a device cannot sign its own removal). */
    SIGNER_REMOVED,
    /** Its version or previous digest does not follow the trusted roster. */
    NOT_SUCCESSOR,
    /** Older than the roster already trusted (rollback), or another roster at the trusted version. */
    ROLLBACK
  }

  private final Reason reason;
  private final long version;

  public RosterRejectedException(Reason reason, long version, String message) {
    super("roster version " + version + " refused (" + reason.name().toLowerCase(java.util.Locale.ROOT)
        .replace('_', ' ') + "): " + message);
    this.reason = reason;
    this.version = version;
  }

  public Reason reason() {
    return reason;
  }

  /** The version the refused roster claims (0 if it did not parse). */
  public long version() {
    return version;
  }
}
