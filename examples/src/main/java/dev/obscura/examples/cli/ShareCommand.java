package dev.obscura.examples.cli;

import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.TrustOnFirstUseKeys;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.share.PassphraseCost;
import dev.obscura.crypto.share.ShareGrant;
import dev.obscura.crypto.share.ShareRecord;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "share",
    description = {
      "Export a share grant for a time range: the sealed segments of that range (still encrypted), their keys",
      "wrapped for one recipient (a viewer public key or a passphrase), the camera's signed chain, and a record",
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

  @Option(names = "--out", required = true, paramLabel = "GRANT", description = "Grant file to write (must not exist).")
  Path out;

  @Option(names = "--stream", description = "Stream to share (needed only when the store holds several).")
  String stream;

  @CommandLine.Mixin DeviceTrust trust;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Argon2id costs for passphrase grants; tests lower them. */
  static PassphraseCost passphraseCost = PassphraseCost.DEFAULT;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    if (Files.exists(out)) {
      throw new CliException(ObscuraCli.EXIT_FAILURE, "refusing to overwrite " + out);
    }
    // --passphrase-file is the grant's passphrase here: the identity is unlocked with
    // OBSCURA_PASSPHRASE or the platform key
    ViewerIdentity owner = ViewerIdentity.readFrom(identity, Secrets.protection(null));
    ViewerPublicKey to = recipient.publicKey == null ? null : ViewerPublicKey.readFrom(recipient.publicKey);
    SigningKey ownerKey = Household.signingKey(owner);
    SegmentStore segmentStore = Stores.open(store, false);
    // the one verification path: the roster against this device's pins, camera-signed envelopes
    VerifiedStore view = trust.open(segmentStore, store, identity, log, spec.commandLine().getErr());
    if (view.roster().isPresent()) {
      Household.checkMaySign(view.roster().get(), owner);
    }
    StreamId streamId = Stores.pickStream(segmentStore, stream);
    EpochKeyResolver keys = view.epochKeys(owner);
    ExportCommand.checkComplete(view, streamId, log); // a grant never claims a range the store cut
    List<SegmentHeader> headers;
    try (StreamReader listing = StreamReader.builder().store(segmentStore).stream(streamId).resolver(keys).build()) {
      headers = listing.headers();
    }
    if (headers.isEmpty()) {
      throw new CliException(ObscuraCli.EXIT_FAILURE, "stream " + streamId + " has no readable segments");
    }
    Instant first = headers.get(0).startTime();
    Instant start = from.resolve(first);
    Instant end = this.to.resolve(first);
    if (!start.isBefore(end)) {
      throw new CliException(ObscuraCli.EXIT_USAGE, "--from must be before --to");
    }
    if (ExportCommand.countOverlapping(headers, start, end) == 0) {
      throw new CliException(ObscuraCli.EXIT_FAILURE, "no footage of " + streamId + " in [" + start + ", " + end + ")");
    }
    List<VerifyingKey> cameras;
    if (view.roster().isPresent()) {
      // the camera keys the verified rosters pin, and no other
      cameras = view.cameraKeys();
    } else {
      // no roster: trust on first use of the camera keys published in the store, which is not
      // trusted (see TrustOnFirstUseKeys)
      cameras = TrustOnFirstUseKeys.cameraKeys(segmentStore, streamId);
      if (!cameras.isEmpty()) {
        log.println("note: the store has no roster, so the camera key is the one published in the store"
            + " (not verified); enrol devices and pin the camera to verify it");
      }
    }
    if (cameras.isEmpty()) {
      throw new CliException(ObscuraCli.EXIT_FAILURE, "stream " + streamId + " has no signed chain (no camera key)");
    }
    ShareGrant.Builder b = ShareGrant.builder().store(segmentStore).stream(streamId)
        .timeRange(start, end).epochKeys(keys).cameraKeys(cameras).owner(ownerKey, owner.publicKey()).reason(reason);
    byte[] passphrase = null;
    try {
      if (to != null) {
        b.recipient(to);
      } else {
        passphrase = Passphrases.read(recipient.passphraseFile);
        b.passphrase(passphrase, passphraseCost);
      }
      if (view.roster().isEmpty()) {
        TrustOnFirstUseKeys.publishKey(segmentStore, ownerKey.verifyingKey()); // no roster to trust
      }
      ShareGrant grant = b.create();
      byte[] bytes = grant.encode();
      Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".grant-", ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      ShareRecord r = grant.record();
      long sealed = 0;
      for (int i = 0; i < grant.segmentCount(); i++) {
        sealed += grant.sealedSegment(i).length;
      }
      log.println(r.describe());
      log.printf("wrote %s: %d segments, %d bytes (%d of sealed footage, %d of record, keys and chain)%n",
          out, r.segmentCount(), bytes.length, sealed, bytes.length - sealed);
      return 0;
    } finally {
      if (passphrase != null) {
        Arrays.fill(passphrase, (byte) 0);
      }
    }
  }
}
