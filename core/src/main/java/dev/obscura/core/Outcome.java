package dev.obscura.core;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What kind of failure an Obscura call ended in, for an app to switch on: whether to warn the
 * user of tampering, ask for another key, reject a file, fix the call, change the state first, or
 * retry later. Every {@link ObscuraException} reports one ({@link ObscuraException#outcome()});
 * {@link #of(Throwable)} classifies any throwable an SDK call throws, I/O failures included.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try {
 *   home.enrol(phone, tablet, Roster.Role.VIEWER, "tablet");
 * } catch (ObscuraException e) {
 *   switch (e.outcome()) {
 *     case INTEGRITY -> warnTampered(e);    // the store is not to be believed
 *     case NO_KEY -> askForAnotherKey(e);   // this identity may not do it
 *     default -> show(e.getMessage());
 *   }
 * }
 * }</pre>
 *
 * <p>The {@code obscura} command-line tool maps these to its exit codes: {@code INTEGRITY} 3,
 * {@code NO_KEY} 4, {@code MALFORMED} 5, {@code USAGE} 2, the rest 1.
 */
public enum Outcome {
  /**
   * Data failed verification: tampered, truncated, reordered, replayed, forged or missing
   * footage, a roster or envelope that does not verify, a store that shows less than or other
   * than this device pinned. Nothing of the failing part was released; do not use it.
   */
  INTEGRITY,
  /**
   * This identity holds no key for it, or may not do it: not a recipient, revoked, a wrong
   * passphrase, not an owner, a camera that is not paired.
   */
  NO_KEY,
  /** Input is not an Obscura object of a version this code reads, or its fields are out of bounds. */
  MALFORMED,
  /**
   * The call asks for something the rules never allow (a device revoking itself, an invalid
   * roster, the wrong kind of key file): fix the call, retrying it will not help.
   */
  USAGE,
  /**
   * The request does not fit the current state (a device already enrolled, a store with no
   * roster yet, a camera key not published): change the state, then try again.
   */
  CONFLICT,
  /** A storage, network or file failure; nothing unverified was accepted; a retry may succeed. */
  IO,
  /** Anything else: a bug, or a failure the SDK did not classify. */
  INTERNAL;

  /**
   * The outcome of {@code failure}: an {@link ObscuraException}'s own; for an {@link IOException}
   * (or {@link UncheckedIOException}) that carries an {@code ObscuraException} as its cause (how a
   * stream reports an integrity failure), through any number of I/O layers, the cause's; else
   * {@link #IO} for I/O, and {@link #INTERNAL} for anything else.
   *
   * @param failure what an SDK call threw
   * @return its outcome, never null
   */
  public static Outcome of(Throwable failure) {
    if (failure instanceof ObscuraException) {
      return ((ObscuraException) failure).outcome();
    }
    if (failure instanceof CounterExhaustedException) {
      return CONFLICT; // unchecked, but a state to change (another stream), not a bug
    }
    if (!(failure instanceof IOException) && !(failure instanceof UncheckedIOException)) {
      return INTERNAL;
    }
    // through every I/O layer that wraps it (bounded: a cause chain may be long or cyclic), so an
    // integrity failure is never reported as a retryable I/O one
    Throwable t = failure.getCause();
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      if (t instanceof ObscuraException) {
        return ((ObscuraException) t).outcome();
      }
      if (!(t instanceof IOException) && !(t instanceof UncheckedIOException)) {
        break;
      }
    }
    return IO;
  }
}
