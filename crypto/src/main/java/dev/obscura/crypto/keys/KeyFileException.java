package dev.obscura.crypto.keys;

import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;
import java.nio.file.Path;

/**
 * A key file cannot be used: it is missing, it does not parse, or it holds another kind of key
 * (a public key where an identity was expected, or the reverse). The message names the file
 * and the problem, never its contents.
 */
public class KeyFileException extends ObscuraException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the file. */
  public enum Reason {
    /** There is no file at the path. */
    MISSING,
    /** The file is not a key file of a version this code reads, or is damaged. */
    MALFORMED,
    /** The file is a valid key file of another kind. */
    WRONG_KIND
  }

  private final Reason reason;
  private final transient Path path;

  /**
   * A key file that cannot be used.
   *
   * @param reason what is wrong with it ({@code MISSING} is {@link Outcome#IO}, {@code MALFORMED}
   *     {@link Outcome#MALFORMED}, {@code WRONG_KIND} {@link Outcome#USAGE})
   * @param path the file
   * @param message the problem, never the file's contents
   */
  public KeyFileException(Reason reason, Path path, String message) {
    super(outcomeOf(reason), path + ": " + message);
    this.reason = reason;
    this.path = path;
  }

  private static Outcome outcomeOf(Reason reason) {
    switch (reason) {
      case MISSING:
        return Outcome.IO;
      case MALFORMED:
        return Outcome.MALFORMED;
      case WRONG_KIND:
        return Outcome.USAGE;
      default:
        throw new IllegalArgumentException("no outcome for " + reason);
    }
  }

  public Reason reason() {
    return reason;
  }

  /** The file, or null after deserialization. */
  public Path path() {
    return path;
  }
}
