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

  Outcome outcome() {
    return outcome;
  }
}
