package dev.obscura.core;

import java.util.Locale;

/**
 * The store holds no footage for what was asked: a stream with no readable segment, a time range
 * that selects none, an empty range, or a stream without the camera's signed chain that a share
 * needs. Nothing was read or written.
 */
public class NoFootageException extends ObscuraException {
  private static final long serialVersionUID = 1L;

  /** Why there is nothing. */
  public enum Reason {
    /** The stream has no segment whose header parses. ({@link Outcome#CONFLICT}) */
    NO_SEGMENTS,
    /** No segment's span overlaps the range. ({@link Outcome#CONFLICT}) */
    NOT_IN_RANGE,
    /** The range's start is not before its end. ({@link Outcome#USAGE}) */
    EMPTY_RANGE,
    /** The stream has no camera key to verify a signed chain with. ({@link Outcome#CONFLICT}) */
    NO_SIGNED_CHAIN
  }

  private final Reason reason;

  /**
   * Nothing to read.
   *
   * @param reason why
   * @param message what was asked, without secrets
   */
  public NoFootageException(Reason reason, String message) {
    super(reason == Reason.EMPTY_RANGE ? Outcome.USAGE : Outcome.CONFLICT, message);
    this.reason = reason;
  }

  /**
   * Why there is nothing.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * The reason in words.
   *
   * @return "no segments", "not in range", ...
   */
  public String reasonText() {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
