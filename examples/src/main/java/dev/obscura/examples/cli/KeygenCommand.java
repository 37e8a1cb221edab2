package dev.obscura.examples.cli;

import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "keygen",
    description = {"Create a viewer device's keys.",
        "DIR/viewer.key holds its HPKE and Ed25519 private keys (encrypted, mode 0600), DIR/viewer.pub its public keys.",
        "viewer.key is encrypted under --passphrase-file, else OBSCURA_PASSPHRASE, else the platform key (OBSCURA_PLATFORM_KEY or ~/.config/obscura/platform.key)."})
final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the key files (created if missing).")
  Path out;

  @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Encrypt viewer.key under this passphrase (default: OBSCURA_PASSPHRASE, else the platform key).")
  Path passphraseFile;

  @picocli.CommandLine.Mixin OutputGuard output;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path key = out.resolve("viewer.key");
    Path pub = out.resolve("viewer.pub");
    output.refuseOverwrite(key, pub);
    KeyProtection protection = Secrets.protection(passphraseFile); // before anything is created
    Path created = OutputGuard.firstMissing(out);
    try {
      Files.createDirectories(out);
      ViewerIdentity identity = ViewerIdentity.generate();
      output.write(key, f -> identity.writeTo(f, protection));
      output.write(pub, f -> identity.publicKey().writeTo(f));
      spec.commandLine().getOut().printf("wrote %s (private, keep it safe) and %s%nfingerprint: %s%n",
          key, pub, identity.publicKey().fingerprint());
    } catch (Exception e) {
      OutputGuard.removeIfEmpty(created);
      throw e;
    }
    return 0;
  }
}
