package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.share.ShareGrant;
import dev.obscura.crypto.share.ShareRecord;
import dev.obscura.crypto.share.ShareRequest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "share",
    description = {
      "Export a share grant: a time range of footage for one recipient, recorded in the audit log.",
      "It holds the sealed segments of that range (still encrypted), their keys wrapped for one recipient (a viewer public key or a passphrase), the camera's signed chain, and a record",
      "of who, what, when and why, signed by the owner. The share is recorded in the store's audit log."
    })
final class ShareCommand implements Callable<Integer> {
  @CommandLine.Mixin StoreOptions store;

  @Option(names = "--identity", required = true, paramLabel = "OWNERKEY", description = "The owner's private key (viewer.key).")
  Path identity;

  @Option(names = "--from", required = true, paramLabel = "TIME", converter = TimeSpec.Converter.class,
      description = "Start: an ISO-8601 instant or +S seconds from the start of the first segment.")
  TimeSpec from;

  @Option(names = "--to", required = true, paramLabel = "TIME", converter = TimeSpec.Converter.class,
      description = "End (exclusive): an ISO-8601 instant or +S seconds from the start of the first segment.")
  TimeSpec to;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Recipient recipient;

  static final class Recipient {
    @Option(names = "--recipient", paramLabel = "PUBFILE", description = "The recipient's viewer public key (viewer.pub).")
    Path publicKey;

    @Option(names = "--passphrase-file", paramLabel = "F", description = "A file holding the passphrase that will open the grant.")
    Path passphraseFile;
  }

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why the footage is shared (signed, not encrypted).")
  String reason;

  @Option(names = "--out", required = true, paramLabel = "GRANT", description = "Grant file to write (must not exist, unless --force).")
  Path out;

  @CommandLine.Mixin OutputGuard output;

  @Option(names = "--stream", description = "Stream to share (needed only when the store holds several).")
  String stream;

  @CommandLine.Mixin DeviceTrust trust;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin RecoveryCommand.Costs costs;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    output.refuseOverwrite(out);
    // --passphrase-file is the grant's passphrase here: the identity is unlocked with
    // OBSCURA_PASSPHRASE or the platform key
    ViewerIdentity owner = ViewerIdentity.readFrom(identity, Secrets.protection(null));
    SegmentStore segmentStore = Stores.open(store, false);
    ShareRequest.Builder request = ShareRequest.builder().stream(Stores.pickStream(segmentStore, stream))
        .range(TimeSpec.range(from, this.to)).reason(reason);
    byte[] passphrase = null;
    Household.Shared shared;
    try {
      if (recipient.publicKey != null) {
        request.recipient(ViewerPublicKey.readFrom(recipient.publicKey));
      } else {
        passphrase = Passphrases.read(recipient.passphraseFile);
        request.passphrase(passphrase, costs.passphraseCost());
      }
      Household home = DeviceTrust.household(segmentStore, store, identity);
      shared = home.share(owner, request.build(), trust.code());
    } finally {
      if (passphrase != null) {
        Arrays.fill(passphrase, (byte) 0);
      }
    }
    DeviceTrust.report(shared.view(), log, spec.commandLine().getErr());
    for (String n : shared.notes()) {
      log.println("note: " + n);
    }
    ShareGrant grant = shared.grant();
    byte[] bytes = grant.encode();
    output.write(out, f -> Files.write(f, bytes, java.nio.file.StandardOpenOption.CREATE_NEW));
    ShareRecord r = grant.record();
    long sealed = 0;
    for (int i = 0; i < grant.segmentCount(); i++) {
      sealed += grant.sealedSegment(i).length;
    }
    log.println(r.describe());
    log.printf("wrote %s: %d segments, %d bytes (%d of sealed footage, %d of record, keys and chain)%n",
        out, r.segmentCount(), bytes.length, sealed, bytes.length - sealed);
    return 0;
  }
}
