package dev.obscura.examples.cli;

import dev.obscura.crypto.keys.ViewerIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "keygen",
    description = "Create a viewer identity: DIR/viewer.key (private, mode 0600) and DIR/viewer.pub.")
final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the key files (created if missing).")
  Path out;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path key = out.resolve("viewer.key");
    Path pub = out.resolve("viewer.pub");
    if (Files.exists(key) || Files.exists(pub)) {
      throw new CliException(ObscuraCli.EXIT_FAILURE, "refusing to overwrite existing keys in " + out);
    }
    Files.createDirectories(out);
    ViewerIdentity identity = ViewerIdentity.generate();
    identity.writeTo(key);
    identity.publicKey().writeTo(pub);
    spec.commandLine().getOut().printf("wrote %s (private, keep it safe) and %s%nfingerprint: %s%n",
        key, pub, identity.publicKey().fingerprint());
    return 0;
  }
}
