package dev.obscura.examples.cli;

import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.keys.CameraIdentity;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "device",
    description = "Enrol, revoke and list the devices of the store's signed roster.",
    subcommands = {DeviceCommand.Add.class, DeviceCommand.Revoke.class, DeviceCommand.ListDevices.class})
final class DeviceCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add, revoke or list");
  }

  /** Options shared by commands that sign a new roster version. */
  static class Signer {
    @CommandLine.Mixin StoreOptions store;

    @Option(names = "--identity", required = true, paramLabel = "OWNERKEY", description = "The signing owner's private key (viewer.key).")
    Path identity;

    @Option(names = "--camera-key", paramLabel = "PUBFILE", description = "Pin this camera's key (camera.pub in its --camera folder): viewers then accept only envelopes it signed.")
    Path cameraKey;

    ViewerIdentity owner(Path passphraseFile) throws Exception {
      return ViewerIdentity.readFrom(identity, Secrets.protection(passphraseFile));
    }

    Roster.Builder pinCamera(Roster.Builder b) throws Exception {
      return cameraKey == null ? b : b.camera(CameraIdentity.readPublicKey(cameraKey));
    }
  }

  static void printRoster(PrintWriter out, Roster r, String signer) {
    out.printf("roster version %d, fingerprint %s, signed by %s%n", r.version(), r.fingerprint(), signer);
  }

  @Command(name = "add", description = {
      "Enrol a device: sign the next roster version with an owner's key.",
      "On a store with no roster yet, this is camera setup: roster version 1, signed by the device being added, which becomes the first owner."})
  static final class Add implements Callable<Integer> {
    @CommandLine.Mixin Signer signer;

    @Option(names = "--device", required = true, paramLabel = "PUBFILE", description = "The device's public key (viewer.pub).")
    Path device;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase that unlocks --identity (default: OBSCURA_PASSPHRASE, else the platform key).")
    Path passphraseFile;

    @Option(names = "--name", defaultValue = "", description = "A name to show in the roster (at most 64 bytes).")
    String name;

    @Option(names = "--owner", description = "Enrol it as an owner (may enrol and revoke devices); default: viewer.")
    boolean owner;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      ViewerPublicKey key = ViewerPublicKey.readFrom(device);
      if (key.verifyingKey().isEmpty()) {
        throw new CliException(ObscuraCli.EXIT_MALFORMED, device + " has no ed25519 key (made by an older keygen): make a new key");
      }
      ViewerIdentity me = signer.owner(passphraseFile);
      SegmentStore store = Stores.open(signer.store, true);
      RosterStore.Chain chain = Rosters.chain(store, spec.commandLine().getErr());
      Roster next;
      String by;
      try {
        if (chain.latest().isEmpty()) {
          if (!me.publicKey().equals(key)) {
            throw new CliException(ObscuraCli.EXIT_USAGE,
                "the store has no roster: the first device signs itself in, so --identity must be the private key of --device");
          }
          next = signer.pinCamera(Roster.genesis().add(key, Roster.Role.OWNER, name)).sign(Rosters.signingKey(me));
          by = "itself (camera setup)";
        } else {
          Roster latest = chain.latest().get();
          Rosters.checkMaySign(latest, me);
          if (latest.member(key).isPresent()) {
            throw new CliException(ObscuraCli.EXIT_FAILURE, "device " + key.fingerprint() + " is already enrolled");
          }
          next = signer.pinCamera(latest.next().add(key, owner ? Roster.Role.OWNER : Roster.Role.VIEWER, name))
              .sign(Rosters.signingKey(me));
          next.verifySuccessorOf(latest);
          by = next.signerDescription(latest);
        }
      } catch (IllegalArgumentException e) {
        throw new CliException(ObscuraCli.EXIT_USAGE, e.getMessage());
      }
      Rosters.publish(store, next, chain);
      AuditTrail.rosterChange(store, Rosters.signingKey(me), dev.obscura.crypto.audit.AuditEntry.Type.ENROL,
          next, key.keyId());
      out.printf("enrolled %s%n", Rosters.describe(next.member(key).orElseThrow()));
      printRoster(out, next, by);
      if (next.version() == 1) {
        out.printf("owner fingerprint: %s (compare it on the device, and the roster fingerprint on the camera)%n", key.fingerprint());
      }
      return 0;
    }
  }

  @Command(name = "revoke", description = {
      "Revoke a device: sign the next roster version without it. The camera starts a new epoch at once;",
      "the device keeps what it could already read (the epochs sealed before), and reads nothing sealed after."})
  static final class Revoke implements Callable<Integer> {
    @CommandLine.Mixin Signer signer;

    @Option(names = "--device", required = true, paramLabel = "PUBFILE|FINGERPRINT", description = "The device's public key file, or its fingerprint as `device list` shows it.")
    String device;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase that unlocks --identity (default: OBSCURA_PASSPHRASE, else the platform key).")
    Path passphraseFile;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      ViewerIdentity me = signer.owner(passphraseFile);
      SegmentStore store = Stores.open(signer.store, false);
      RosterStore.Chain chain = Rosters.chain(store, spec.commandLine().getErr());
      Roster latest = chain.latest().orElseThrow(() -> new CliException(ObscuraCli.EXIT_FAILURE, "the store has no roster"));
      Rosters.checkMaySign(latest, me);
      Optional<Roster.Member> target;
      Path asFile = Path.of(device);
      if (Files.exists(asFile)) {
        target = latest.member(ViewerPublicKey.readFrom(asFile));
      } else {
        String fp = device.replaceAll("[^0-9]", "");
        target = latest.members().stream().filter(m -> m.fingerprint().replace(" ", "").equals(fp)).findFirst();
      }
      Roster.Member m = target.orElseThrow(() -> new CliException(ObscuraCli.EXIT_FAILURE,
          "no such device in roster version " + latest.version()));
      if (m.verifyingKey().equals(Rosters.signingKey(me).verifyingKey())) {
        throw new CliException(ObscuraCli.EXIT_USAGE, "a device cannot revoke itself: sign with another owner");
      }
      Roster next;
      try {
        next = signer.pinCamera(latest.next().revoke(m.key())).sign(Rosters.signingKey(me));
      } catch (IllegalArgumentException e) {
        throw new CliException(ObscuraCli.EXIT_USAGE, e.getMessage());
      }
      next.verifySuccessorOf(latest);
      Rosters.publish(store, next, chain);
      AuditTrail.rosterChange(store, Rosters.signingKey(me), dev.obscura.crypto.audit.AuditEntry.Type.REVOKE,
          next, m.key().keyId());
      out.printf("revoked %s%n", Rosters.describe(m));
      printRoster(out, next, next.signerDescription(latest));
      return 0;
    }
  }

  @Command(name = "list", description = "Show the newest verified roster: its version and fingerprint, who signed it, the devices with their fingerprints.")
  static final class ListDevices implements Callable<Integer> {
    @CommandLine.Mixin StoreOptions store;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      SegmentStore s = Stores.open(store, false);
      RosterStore.Chain chain = Rosters.chain(s, spec.commandLine().getErr());
      Roster r = chain.latest().orElseThrow(() -> new CliException(ObscuraCli.EXIT_FAILURE, "the store has no roster"));
      Roster prev = chain.verified().size() > 1 ? chain.verified().get(chain.verified().size() - 2) : null;
      printRoster(out, r, r.signerDescription(prev));
      for (Roster.Member m : r.members()) {
        out.println("  " + Rosters.describe(m));
      }
      r.recovery().ifPresent(k -> out.println("  recovery  " + k.fingerprint() + "  (" + k.params().toText() + ")"));
      out.println("  camera    " + r.camera().map(k -> k.fingerprint()).orElse("not pinned"));
      for (byte[] id : r.revokedKeyIds()) {
        out.println("  revoked   key " + HexFormat.of().formatHex(id));
      }
      return 0;
    }
  }
}
