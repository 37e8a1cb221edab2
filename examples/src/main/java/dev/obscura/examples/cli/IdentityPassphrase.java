package dev.obscura.examples.cli;

import dev.obscura.crypto.keys.KeyProtection;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --passphrase-file} where it unlocks {@code --identity} ({@code export}, {@code prune},
 * {@code device add|revoke|renew}, {@code camera pair}). In {@code share}, {@code verify-share},
 * {@code recover} and {@code recovery init} the option names another secret, and {@code --identity}
 * is unlocked as {@link Secrets#protection} says with no file.
 */
final class IdentityPassphrase {
  @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase that unlocks --identity (default: OBSCURA_PASSPHRASE, else the platform key).")
  Path file;

  /** How {@code --identity} is unlocked: {@link Secrets#protection} with this file, if given. */
  KeyProtection protection() throws IOException {
    return Secrets.protection(file);
  }
}
