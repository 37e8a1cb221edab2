package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;

/**
 * A failure the CLI itself finds in what it was asked (a flag, a file that exists): printed as
 * one line, with the exit code of its {@link Outcome} ({@link ObscuraCli#exitCodeFor}).
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Outcome outcome;

  CliException(Outcome outcome, String message) {
    super(message);
    this.outcome = outcome;
  }

  /** For commands that still name an exit code: the outcome it stands for. */
  CliException(int exitCode, String message) {
    this(switch (exitCode) {
      case ObscuraCli.EXIT_USAGE -> Outcome.USAGE;
      case ObscuraCli.EXIT_INTEGRITY -> Outcome.INTEGRITY;
      case ObscuraCli.EXIT_NO_KEY -> Outcome.NO_KEY;
      case ObscuraCli.EXIT_MALFORMED -> Outcome.MALFORMED;
      default -> Outcome.CONFLICT;
    }, message);
  }

  Outcome outcome() {
    return outcome;
  }
}
