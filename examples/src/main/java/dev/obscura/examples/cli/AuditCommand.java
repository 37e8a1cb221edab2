package dev.obscura.examples.cli;

import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.audit.AuditReport;
import dev.obscura.crypto.share.ShareGrant;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.TrustStore;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.crypto.trust.StorePin;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "audit",
    description = {
      "Print the store's audit log (enrolments, revocations, rotations, recoveries, shares) and verify it:",
      "every entry signed by a known key, hash-chained to the one before, none missing or out of order, and",
      "(with --identity) still holding the newest entry this device verified. Also checks every key envelope:",
      "signed by the camera in force for the roster it names, and not sealed for a roster older than one an owner",
      "had signed more than --grace before (a revocation withheld from the camera). Exits with 3 if anything fails."
    })
final class AuditCommand implements Callable<Integer> {
  @CommandLine.Mixin StoreOptions store;

  @Option(names = "--identity", paramLabel = "KEYFILE", description = "This device's private key: the roster and the log are checked against, and pinned in, its pins (viewer.trust beside it).")
  Path identity;

  @Option(names = "--grace", defaultValue = "60s", converter = Durations.class, paramLabel = "DURATION",
      description = "How long a camera may keep wrapping for an older roster before its epochs are reported (default: ${DEFAULT-VALUE}).")
  Duration grace;

  @CommandLine.Mixin DeviceTrust trust;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** A trust store that remembers nothing (an audit without --identity). */
  private static final class NoPins implements TrustStore {
    @Override
    public Optional<StorePin> load(String storeId) {
      return Optional.empty();
    }

    @Override
    public void save(String storeId, StorePin pin) {}
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (grace.isNegative()) {
      throw new CliException(ObscuraCli.EXIT_USAGE, "--grace must not be negative");
    }
    if (identity == null && trust.trustCode != null) {
      throw new CliException(ObscuraCli.EXIT_USAGE, "--trust needs --identity (the device whose pins it sets)");
    }
    SegmentStore segmentStore = Stores.open(store, false);
    TrustStore pins = identity == null ? new NoPins() : FileTrustStore.besideKeyFile(identity);
    Household home = Household.of(segmentStore, pins, store.storeId());
    // first contact (and --trust) through the same path as every reader
    DeviceTrust.report(VerifiedStore.builder().store(segmentStore).trust(pins, store.storeId())
        .enrolmentCode(trust.code()).grace(grace).open(), log, err);
    if (identity == null) {
      log.println("note: no --identity: the log is not checked against a head this device verified");
    }
    Household.Audit a = home.audit(grace);
    AuditReport report = a.log();
    if (a.trustedPublishedKeys()) {
      log.println("note: the store has no roster, so the signers trusted are the keys published in the"
          + " store (not verified)");
    }
    if (report.entries().isEmpty() && report.verified()) {
      log.println("the audit log is empty");
    }
    for (AuditEntry e : report.entries()) {
      log.printf("#%d  %s  %-8s by %s  %s%n", e.sequence(), e.time(), e.type(),
          e.actor().keyIdHex(), describe(e));
    }
    for (String p : report.problems()) {
      log.println("PROBLEM: " + p);
    }
    for (String p : a.revokedSigners()) {
      log.println("PROBLEM: " + p);
    }
    for (String p : a.envelopes().refused()) {
      log.println("PROBLEM: key envelope " + p);
    }
    for (VerifiedStore.StaleEpoch st : a.envelopes().stale()) {
      log.println("PROBLEM: stale epoch: " + st.describe());
    }
    report.head().ifPresent(h -> log.println("head: " + h.toText()
        + (identity == null ? "  (remember it: deleting entries after it is detectable only against it)"
            : "  (pinned for this device)")));
    log.flush();
    if (!a.verified()) {
      int problems = report.problems().size() + a.revokedSigners().size() + a.envelopes().refused().size()
          + a.envelopes().stale().size();
      String first = !report.problems().isEmpty() ? report.problems().get(0)
          : !a.revokedSigners().isEmpty() ? a.revokedSigners().get(0)
          : !a.envelopes().refused().isEmpty() ? "key envelope " + a.envelopes().refused().get(0)
          : "stale epoch: " + a.envelopes().stale().get(0).describe();
      throw new CliException(ObscuraCli.EXIT_INTEGRITY, "the audit does not verify: " + problems
          + " problem(s), first: " + first);
    }
    log.printf("verified %d entries and %d key envelopes%n", report.entries().size(), a.envelopes().verified());
    return 0;
  }

  private static String describe(AuditEntry e) {
    byte[] p = e.payload();
    if (e.type() == AuditEntry.Type.SHARE) {
      return ShareGrant.describeAuditPayload(p);
    }
    if (e.type() == AuditEntry.Type.PRUNE) {
      try {
        return dev.obscura.crypto.audit.PruneRecord.of(e).describe();
      } catch (dev.obscura.core.MalformedDataException ex) {
        return "malformed prune record";
      }
    }
    String roster = Household.describe(e);
    if (roster != null) {
      return roster;
    }
    return p.length == 0 ? "" : "payload " + HexFormat.of().formatHex(p, 0, Math.min(p.length, 16))
        + (p.length > 16 ? "..." : "");
  }
}
