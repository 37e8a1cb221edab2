package dev.obscura.examples.cli;

import dev.obscura.core.EntropySource;
import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.crypto.keys.RecoveryKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.VerifiedStore;
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
final class RecoveryCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: init");
  }

  /** Argon2id costs (advanced; the defaults are m=64 MiB, t=3, p=1). */
  static class Costs {
    @Option(names = "--argon2-memory-kib", hidden = true, defaultValue = "65536")
    int memoryKib;

    @Option(names = "--argon2-iterations", hidden = true, defaultValue = "3")
    int iterations;

    Argon2idParams params() {
      try {
        return Argon2idParams.of(memoryKib, iterations, 1);
      } catch (IllegalArgumentException e) {
        throw new CliException(ObscuraCli.EXIT_USAGE, e.getMessage());
      }
    }
  }

  @Command(name = "init", description = {
      "Publish a recovery key in the next roster version: the camera then wraps every epoch key to it too.",
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
      ViewerIdentity me = signer.owner(null);
      SegmentStore store = Stores.open(signer.store, false);
      Household home = signer.household(store);
      Roster latest = home.open(null).roster().orElseThrow(() -> new CliException(ObscuraCli.EXIT_FAILURE,
          "the store has no roster: pair the camera first (device add --pair CODE)"));
      Household.checkMaySign(latest, me);
      char[] secret;
      String code = null;
      if (recoveryPassphrase != null) {
        secret = Secrets.readPassphrase(recoveryPassphrase);
      } else {
        code = RecoveryKey.newRecoveryCode(EntropySource.system());
        secret = code.toCharArray();
      }
      Argon2idParams params = costs.params();
      long t0 = System.nanoTime();
      RecoveryKey key;
      try {
        key = RecoveryKey.create(secret, params, EntropySource.system());
      } finally {
        Arrays.fill(secret, '\0');
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Household.Change c = home.setRecovery(me, key);
      if (code != null) {
        out.println("recovery code (shown once, write it down): " + code);
      }
      out.printf("recovery key %s (Argon2id %s, %d ms)%n", key.fingerprint(), params.toText(), ms);
      DeviceCommand.printRoster(out, c);
      return 0;
    }
  }

  /** {@code recover}: a top-level command. */
  @Command(name = "recover", description = {
      "With every device lost: derive the recovery identity from the passphrase or recovery code,",
      "check it against the roster, and write it to --out as viewer.key/viewer.pub. It reads all footage",
      "sealed since recovery init, and may sign the next roster (enrol a new device, revoke the lost ones)."})
  static final class Recover implements Callable<Integer> {
    @CommandLine.Mixin StoreOptions store;

    @Option(names = "--passphrase-file", required = true, paramLabel = "FILE", description = "The recovery passphrase or code.")
    Path passphraseFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the restored identity.")
    Path out;

    @CommandLine.Mixin DeviceTrust trust;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter o = spec.commandLine().getOut();
      Path key = out.resolve("viewer.key");
      Path pub = out.resolve("viewer.pub");
      if (Files.exists(key) || Files.exists(pub)) {
        throw new CliException(ObscuraCli.EXIT_FAILURE, "refusing to overwrite existing keys in " + out);
      }
      SegmentStore s = Stores.open(store, false);
      // a restored identity has no pins yet: first contact, authenticated by --trust if given
      VerifiedStore view = VerifiedStore.builder().store(s).enrolmentCode(trust.code()).open();
      DeviceTrust.report(view, o, spec.commandLine().getErr());
      Roster latest = view.roster().orElseThrow(() -> new CliException(ObscuraCli.EXIT_FAILURE, "the store has no roster"));
      RecoveryKey published = latest.recovery().orElseThrow(() -> new CliException(ObscuraCli.EXIT_NO_KEY,
          "roster version " + latest.version() + " has no recovery key (recovery init was not run)"));
      char[] secret = Secrets.readPassphrase(passphraseFile);
      ViewerIdentity restored;
      try {
        restored = published.unlock(secret);
      } finally {
        Arrays.fill(secret, '\0');
      }
      Files.createDirectories(out);
      restored.writeTo(key, Secrets.protection(null));
      restored.publicKey().writeTo(pub);
      // the recovery key is a trusted writer of the audit log (it is in the roster); the restored
      // identity pins the roster it verified
      Household.of(s, DeviceTrust.pins(key), store.storeId()).open(null);
      Household.of(s, DeviceTrust.pins(key), store.storeId())
          .recordRecovery(Household.signingKey(restored), latest, published);
      o.printf("restored the recovery identity to %s and %s%nfingerprint: %s%n", key, pub, restored.fingerprint());
      o.println("it reads the footage sealed since recovery init; enrol a new device with it"
          + " (device add --identity " + key + " ...) and run recovery init again");
      return 0;
    }
  }
}
