package dev.obscura.examples;

import dev.obscura.examples.cli.ObscuraCli;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the obscura tool in-process and keeps what it printed. */
record Cli(int exitCode, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ObscuraCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Cli(code, out.toString(), err.toString());
  }

  /** The single line of a failure, checked to be one line with no stack trace. */
  String oneLineError() {
    String e = err.strip();
    if (e.contains("\n") || e.contains("\tat ") || e.contains("Exception:")) {
      throw new AssertionError("expected a one-line error, got:\n" + err);
    }
    return e;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
