package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.Hex;
import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.keys.CameraIdentity;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.TrustStore;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "device",
    description = "Enrol, revoke, renew and list the devices of the store's signed roster.",
    subcommands = {DeviceCommand.Add.class, DeviceCommand.Revoke.class, DeviceCommand.Renew.class,
        DeviceCommand.ListDevices.class})
final class DeviceCommand extends GroupCommand {
  /** Options shared by commands that sign a new roster version. */
  static class Signer {
    @CommandLine.Mixin StoreOptions store;

    @Option(names = "--identity", required = true, paramLabel = "OWNERKEY", description = "The signing owner's private key (viewer.key).")
    Path identity;

    ViewerIdentity owner(KeyProtection protection) throws Exception {
      return ViewerIdentity.readFrom(identity, protection);
    }

    Household household(SegmentStore s) {
      return DeviceTrust.household(s, store, identity);
    }
  }

  static void printRoster(PrintWriter out, Household.Change c) {
    Roster r = c.roster();
    out.printf("roster version %d, fingerprint %s, signed by %s%n", r.version(), r.fingerprint(), c.signedBy());
  }

  @Command(name = "add", description = {
      "Enrol a device in the store's signed roster.",
      "It signs the next roster version with an owner's key, and prints the enrolment code the new device",
      "passes once (--trust) on its first contact with the store.",
      "On a store with no roster yet, this is camera setup: --pair CODE (from camera init) is required; roster version 1",
      "is signed by the device being added, which becomes the first owner, and pins the camera the code names."})
  static final class Add implements Callable<Integer> {
    @CommandLine.Mixin Signer signer;

    @Option(names = "--device", required = true, paramLabel = "PUBFILE", description = "The device's public key (viewer.pub).")
    Path device;

    @Option(names = "--pair", paramLabel = "CODE", description = "The camera's pairing code (camera init): required on a store with no roster.")
    String pair;

    @Option(names = "--camera-key", paramLabel = "PUBFILE", description = "With --pair: the camera's camera.pub (default: the key the camera published in the store).")
    Path cameraKey;

    @CommandLine.Mixin IdentityPassphrase unlock;

    @Option(names = "--name", defaultValue = "", description = "A name to show in the roster (at most 64 bytes).")
    String name;

    @Option(names = "--owner", description = "Enrol it as an owner (may enrol and revoke devices); default: viewer.")
    boolean owner;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      ViewerPublicKey key = ViewerPublicKey.readFrom(device);
      ViewerIdentity me = signer.owner(unlock.protection());
      if (pair == null && !signer.store.isS3() && !Files.isDirectory(Path.of(signer.store.location))) {
        throw new CliException(Outcome.CONFLICT, "no store at " + signer.store.location
            + ": set up a new store with --pair CODE (the code camera init printed)");
      }
      Household home = signer.household(Stores.open(signer.store, pair != null));
      Household.Change c;
      if (pair != null) {
        VerifyingKey cam = cameraKey == null ? null : CameraIdentity.readPublicKey(cameraKey);
        c = home.create(me, key, name, CameraCommand.pairingCode(pair), cam);
        out.printf("paired camera %s (it accepts this roster with its pairing code)%n",
            c.roster().camera().orElseThrow().fingerprint());
      } else {
        c = home.enrol(me, key, owner ? Roster.Role.OWNER : Roster.Role.VIEWER, name);
      }
      out.printf("enrolled %s%n", describe(c.roster().member(key).orElseThrow()));
      printRoster(out, c);
      if (c.roster().version() == 1) {
        out.printf("owner fingerprint: %s (compare it on the device, and the roster fingerprint on the camera)%n", key.fingerprint());
      }
      out.printf("enrolment code: %s%n", c.enrolmentCode());
      out.println("(the new device passes it once with --trust on its first contact with this store)");
      return 0;
    }
  }

  @Command(name = "revoke", description = {
      "Revoke a device: sign the next roster version without it.",
      "The camera starts a new epoch at once;",
      "the device keeps what it could already read (the epochs sealed before), and reads nothing sealed after."})
  static final class Revoke implements Callable<Integer> {
    @CommandLine.Mixin Signer signer;

    @Option(names = "--device", required = true, arity = "1..6", paramLabel = "PUBFILE|FINGERPRINT",
        description = "The device's public key file, or its fingerprint as device list shows it"
            + " (its six groups of digits, with or without spaces, quoted or not).")
    java.util.List<String> device;

    @CommandLine.Mixin IdentityPassphrase unlock;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      ViewerIdentity me = signer.owner(unlock.protection());
      Household home = signer.household(Stores.open(signer.store, false));
      String named = String.join(" ", device);
      Path asFile = device.size() == 1 ? Path.of(named) : null;
      Household.Change c;
      if (asFile != null && Files.exists(asFile)) {
        c = home.revoke(me, ViewerPublicKey.readFrom(asFile));
      } else if (named.matches("[0-9\\s-]+")) {
        c = home.revoke(me, named); // digits compared, spaces and dashes ignored
      } else {
        throw new CliException(Outcome.USAGE, "--device " + named
            + ": neither a public key file nor a fingerprint (six groups of five digits)");
      }
      out.printf("revoked %s%n", describe(c.previous().orElseThrow().members().stream()
          .filter(m -> c.roster().member(m.key()).isEmpty()).findFirst().orElseThrow()));
      printRoster(out, c);
      return 0;
    }
  }

  @Command(name = "renew", description = {
      "Sign the next roster version unchanged, with a fresh signing time.",
      "A camera recording with --max-roster-age",
      "wraps keys only for owners once the roster is older than that, so owners renew it."})
  static final class Renew implements Callable<Integer> {
    @CommandLine.Mixin Signer signer;

    @CommandLine.Mixin IdentityPassphrase unlock;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ViewerIdentity me = signer.owner(unlock.protection());
      Household.Change c = signer.household(Stores.open(signer.store, false)).renew(me);
      printRoster(spec.commandLine().getOut(), c);
      return 0;
    }
  }

  @Command(name = "list", description = {
      "Show the newest verified roster: its version, who signed it, and the devices with their fingerprints.",
      "With --identity, the roster is checked against what that device verified before (and pinned)."})
  static final class ListDevices implements Callable<Integer> {
    @CommandLine.Mixin StoreOptions store;

    @Option(names = "--identity", paramLabel = "KEYFILE", description = "This device's private key: its pins (viewer.trust beside it) are checked and updated.")
    Path identity;

    @CommandLine.Mixin DeviceTrust trust;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      SegmentStore s = Stores.open(store, false);
      VerifiedStore view;
      if (identity != null) {
        view = trust.open(s, store, identity, out, err);
      } else {
        if (trust.trustCode != null) {
          throw new CliException(Outcome.USAGE, "--trust needs --identity (the device whose pins it sets)");
        }
        view = Household.of(s, TrustStore.none(), store.storeId()).open(null);
        DeviceTrust.report(view, out, err);
        out.println("note: no --identity: the roster is not checked against any device's pins");
      }
      Roster r = view.roster().orElseThrow(() -> new CliException(Outcome.CONFLICT, "the store has no roster"));
      Roster prev = view.chain().size() > 1 ? view.chain().get(view.chain().size() - 2) : null;
      out.printf("roster version %d, fingerprint %s, signed by %s at %s%n", r.version(), r.fingerprint(),
          r.signerDescription(prev), r.created());
      Table table = new Table("  ", false, false, false);
      for (Roster.Member m : r.members()) {
        table.row(m.role().name().toLowerCase(java.util.Locale.ROOT), m.fingerprint(), m.name());
      }
      r.recovery().ifPresent(k -> table.row("recovery", k.fingerprint(), "(" + k.params().toText() + ")"));
      table.row("camera", r.camera().map(k -> k.fingerprint()).orElse("not pinned"),
          r.camera().isPresent() ? "(in force from version " + r.cameraSince() + ")" : "");
      for (byte[] id : r.revokedKeyIds()) {
        table.row("revoked", "key " + Hex.format(id), "");
      }
      table.print(out);
      out.println(Table.count(r.members().size(), "device"));
      return 0;
    }
  }

  static String describe(Roster.Member m) {
    return m.role().name().toLowerCase(java.util.Locale.ROOT) + "  " + m.fingerprint()
        + (m.name().isEmpty() ? "" : "  " + m.name());
  }
}
