package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.EntropySource;
import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.CameraIdentity;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.PairingCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "camera",
    description = "Give a camera its identity and pairing code, and pair it with a household.",
    subcommands = {CameraCommand.Init.class, CameraCommand.Pair.class})
final class CameraCommand extends GroupCommand {
  /** Reads a pairing code as typed. */
  static PairingCode pairingCode(String text) {
    try {
      return PairingCode.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, "invalid --pair: " + e.getMessage());
    }
  }

  @Command(name = "init", description = {
      "Create the camera's identity and a single-use pairing code.",
      "It writes the camera's identity (created on first use; its private key never leaves --camera) and a new,",
      "single-use pairing secret, and prints the pairing code (a product prints it on the device or as a QR code).",
      "With --store, also publish the camera's public key there, where the owner's device finds it (and checks it against the code)."})
  static final class Init implements Callable<Integer> {
    @Option(names = "--camera", required = true, paramLabel = "DIR", description = "The camera's own state folder.")
    Path camera;

    @Option(names = "--store", paramLabel = "DIR|s3://BUCKET/PREFIX", description = "Publish the camera's public key in this store.")
    String storeLocation;

    @Option(names = "--endpoint", paramLabel = "URL", description = "S3-compatible service for an s3:// --store.")
    java.net.URI endpoint;

    @Option(names = "--reset", description = "Forget the roster this camera is paired with, so it can be paired again (it records nothing until then).")
    boolean reset;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      CameraState state = CameraState.open(camera, Secrets.protection(null), EntropySource.system());
      if (state.created()) {
        out.printf("created the camera identity in %s%n", camera);
      }
      if (state.pinnedRoster().isPresent()) {
        if (!reset) {
          throw new CliException(Outcome.CONFLICT, "the camera is paired already (roster version "
              + state.pinnedRoster().get().version() + "): pass --reset to forget it and pair it again");
        }
        state.forgetRoster();
        out.println("forgot the pinned roster: the camera records nothing until it is paired again");
      }
      if (storeLocation != null) {
        StoreOptions o = new StoreOptions();
        o.location = storeLocation;
        o.endpoint = endpoint;
        try (o) {
          SegmentStore store = Stores.open(o, true);
          Household.publishCameraKey(store, state.identity().publicKey());
          out.printf("published the camera's public key in %s%n", storeLocation);
        } catch (Exception e) {
          o.removeCreatedIfEmpty(); // a failure leaves no empty store folder
          throw e;
        }
      }
      PairingCode code = state.newPairingCode(EntropySource.system());
      out.printf("camera fingerprint: %s%n", state.identity().fingerprint());
      out.printf("pairing code: %s%n", code.toCodeString());
      out.println("(give the code to the owner's device once: device add --pair CODE on a new store, camera pair --pair CODE on an existing one)");
      code.destroy();
      return 0;
    }
  }

  @Command(name = "pair", description = {
      "Pin a new, replacement or reset camera in the next roster version.",
      "The pairing record in it is one only that camera's code can make.",
      "A new camera key retires the old one: its envelopes for epochs begun after this are refused."})
  static final class Pair implements Callable<Integer> {
    @CommandLine.Mixin DeviceCommand.Signer signer;

    @Option(names = "--pair", required = true, paramLabel = "CODE", description = "The pairing code camera init printed.")
    String pair;

    @Option(names = "--camera-key", paramLabel = "PUBFILE", description = "The camera's camera.pub (default: the key the camera published in the store).")
    Path cameraKey;

    @CommandLine.Mixin IdentityPassphrase unlock;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PairingCode code = pairingCode(pair);
      ViewerIdentity me = signer.owner(unlock.protection());
      VerifyingKey key = cameraKey == null ? null : CameraIdentity.readPublicKey(cameraKey);
      Household.Change c = signer.household(Stores.open(signer.store, false)).pairCamera(me, code, key);
      out.printf("paired camera %s in roster version %d (in force from version %d)%n",
          c.roster().camera().orElseThrow().fingerprint(), c.roster().version(), c.roster().cameraSince());
      DeviceCommand.printRoster(out, c);
      return 0;
    }
  }
}
