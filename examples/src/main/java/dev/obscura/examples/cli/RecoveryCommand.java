package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.RecoveryKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.trust.Household;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "recovery", description = "Set up recovery for when every device is lost.",
    subcommands = {RecoveryCommand.Init.class})
final class RecoveryCommand extends GroupCommand {
  /** Argon2id costs of recovery keys and passphrase grants (advanced, hidden; the defaults are m=64 MiB, t=3, p=1). */
  static class Costs {
    @Option(names = "--argon2-memory-kib", hidden = true, defaultValue = "65536")
    int memoryKib;

    @Option(names = "--argon2-iterations", hidden = true, defaultValue = "3")
    int iterations;

    Argon2idParams params() {
      try {
        return Argon2idParams.of(memoryKib, iterations, 1);
      } catch (IllegalArgumentException e) {
        throw new CliException(Outcome.USAGE, e.getMessage());
      }
    }

    /** The same costs for a passphrase share grant (one type since issue 11). */
    Argon2idParams passphraseCost() {
      return params();
    }
  }

  @Command(name = "init", description = {
      "Publish a recovery key in the next roster version, so that the camera wraps every epoch key to it too.",
      "Without --passphrase-file, prints a new recovery code once: write it down.",
      "Footage sealed before this command is not recoverable (its epoch keys are gone by design)."})
  static final class Init implements Callable<Integer> {
    @CommandLine.Mixin DeviceCommand.Signer signer;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
        description = "Use the recovery passphrase in this file instead of a printed recovery code."
            + " (--identity is unlocked with OBSCURA_PASSPHRASE or the platform key.)")
    Path recoveryPassphrase;

    @CommandLine.Mixin Costs costs;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      ViewerIdentity me = signer.owner(Secrets.protection(null));
      Household home = signer.household(Stores.open(signer.store, false));
      String code = recoveryPassphrase == null ? RecoveryKey.newRecoveryCode(EntropySource.system()) : null;
      char[] secret = code != null ? code.toCharArray() : Secrets.readPassphrase(recoveryPassphrase);
      Argon2idParams params = costs.params();
      long t0 = System.nanoTime();
      Household.Change c;
      try {
        c = home.setRecovery(me, secret, params); // checks that me may sign before deriving
      } finally {
        Arrays.fill(secret, '\0');
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (code != null) {
        out.println("recovery code (shown once, write it down): " + code);
      }
      out.printf("recovery key %s (Argon2id %s, %d ms)%n", c.roster().recovery().orElseThrow().fingerprint(),
          params.toText(), ms);
      DeviceCommand.printRoster(out, c);
      return 0;
    }
  }

  /** {@code recover}: a top-level command. */
  @Command(name = "recover", description = {
      "Restore the recovery identity when every device is lost.",
      "It derives the identity from the recovery passphrase or code, checks it against the roster, and writes it",
      "to --out as viewer.key/viewer.pub. It reads all footage sealed since recovery init,",
      "and may sign the next roster (enrol a new device, revoke the lost ones)."})
  static final class Recover implements Callable<Integer> {
    @CommandLine.Mixin StoreOptions store;

    @Option(names = "--passphrase-file", required = true, paramLabel = "FILE", description = "The recovery passphrase or code.")
    Path passphraseFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the restored identity.")
    Path out;

    @CommandLine.Mixin DeviceTrust trust;

    @CommandLine.Mixin OutputGuard output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Path created = OutputGuard.firstMissing(out);
      try {
        return recover();
      } catch (Exception e) {
        OutputGuard.removeIfEmpty(created); // a failure leaves no empty --out folder
        throw e;
      }
    }

    private Integer recover() throws Exception {
      PrintWriter o = spec.commandLine().getOut();
      Path key = out.resolve("viewer.key");
      Path pub = out.resolve("viewer.pub");
      output.refuseOverwrite(key, pub);
      // a restored identity has no pins yet: first contact, authenticated by --trust if given; it
      // pins the roster it verified, beside the key file it is written to
      Files.createDirectories(out);
      Household home = Household.of(Stores.open(store, false), DeviceTrust.pins(key), store.storeId());
      char[] secret = Secrets.readPassphrase(passphraseFile);
      Household.Recovered r;
      try {
        r = home.recover(secret, trust.code());
      } finally {
        Arrays.fill(secret, '\0');
      }
      DeviceTrust.report(r.view(), o, spec.commandLine().getErr());
      ViewerIdentity restored = r.identity();
      KeyProtection protection = Secrets.protection(null);
      output.write(key, f -> restored.writeTo(f, protection));
      output.write(pub, f -> restored.publicKey().writeTo(f));
      o.printf("restored the recovery identity to %s and %s%nfingerprint: %s%n", key, pub, restored.fingerprint());
      o.println("it reads the footage sealed since recovery init; enrol a new device with it"
          + " (device add --identity " + key + " ...) and run recovery init again");
      return 0;
    }
  }
}
