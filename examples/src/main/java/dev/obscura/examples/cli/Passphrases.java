package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads a passphrase file: at most 4 KiB, one trailing newline (LF or CRLF) dropped. */
final class Passphrases {
  static final int MAX_BYTES = 4096;

  private Passphrases() {}

  /** The passphrase bytes; the caller wipes them. */
  static byte[] read(Path file) throws IOException {
    byte[] b;
    try (InputStream in = Files.newInputStream(file)) {
      b = in.readNBytes(MAX_BYTES + 1);
    }
    if (b.length > MAX_BYTES) {
      Arrays.fill(b, (byte) 0);
      throw new CliException(Outcome.USAGE, "passphrase file " + file + " is larger than "
          + MAX_BYTES + " bytes");
    }
    int n = b.length;
    if (n > 0 && b[n - 1] == '\n') {
      n--;
      if (n > 0 && b[n - 1] == '\r') {
        n--;
      }
    }
    byte[] out = Arrays.copyOf(b, n);
    Arrays.fill(b, (byte) 0);
    if (out.length == 0) {
      throw new CliException(Outcome.USAGE, "passphrase file " + file + " is empty");
    }
    return out;
  }
}
