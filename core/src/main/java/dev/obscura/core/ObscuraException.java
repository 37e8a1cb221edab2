package dev.obscura.core;

/**
 * Base of the checked exceptions Obscura throws when footage, keys or metadata cannot be
 * trusted or used. I/O failures are {@link java.io.IOException}s instead. Each reports its
 * {@link #outcome()}, the kind of failure an app can switch on.
 *
 * <p>Messages name the problem and the object (stream, sequence, epoch, file) but never contain
 * key material or plaintext.
 */
public class ObscuraException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Outcome outcome;

  /**
   * A failure of the given kind.
   *
   * @param outcome what kind of failure it is
   * @param message what failed, without secrets
   */
  public ObscuraException(Outcome outcome, String message) {
    super(message);
    this.outcome = java.util.Objects.requireNonNull(outcome, "outcome");
  }

  /**
   * A failure of the given kind, with its cause.
   *
   * @param outcome what kind of failure it is
   * @param message what failed, without secrets
   * @param cause the underlying failure
   */
  public ObscuraException(Outcome outcome, String message, Throwable cause) {
    super(message, cause);
    this.outcome = java.util.Objects.requireNonNull(outcome, "outcome");
  }

  /**
   * What kind of failure this is.
   *
   * @return the outcome, never null
   */
  public Outcome outcome() {
    return outcome;
  }
}
