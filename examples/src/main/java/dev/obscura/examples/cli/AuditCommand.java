package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.audit.AuditReport;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.TrustStore;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "audit",
    description = {
      "Print and verify the store's audit log of enrolments, revocations, rotations, recoveries and shares.",
      "It checks every entry signed by a known key, hash-chained to the one before, none missing or out of order, and",
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

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (grace.isNegative()) {
      throw new CliException(Outcome.USAGE, "--grace must not be negative");
    }
    if (identity == null && trust.trustCode != null) {
      throw new CliException(Outcome.USAGE, "--trust needs --identity (the device whose pins it sets)");
    }
    SegmentStore segmentStore = Stores.open(store, false);
    TrustStore pins = identity == null ? TrustStore.none() : FileTrustStore.besideKeyFile(identity);
    // first contact (and --trust) through the same path as every reader
    Household.Audit a = Household.of(segmentStore, pins, store.storeId()).audit(grace, trust.code());
    DeviceTrust.report(a.view(), log, err);
    if (identity == null) {
      log.println("note: no --identity: the log is not checked against a head this device verified");
    }
    AuditReport report = a.log();
    if (a.trustedPublishedKeys()) {
      log.println("note: the store has no roster, so the signers trusted are the keys published in the"
          + " store (not verified)");
    }
    if (report.entries().isEmpty() && report.verified()) {
      log.println("the audit log is empty");
    }
    Table entries = new Table("", false, false, false, false, false);
    for (AuditEntry e : report.entries()) {
      entries.row("#" + e.sequence(), e.time(), e.type(), "by " + actor(a.view().chain(), e.actor()),
          Household.describeEntry(e));
    }
    entries.print(log);
    for (String p : a.problems()) {
      log.println("PROBLEM: " + p);
    }
    report.head().ifPresent(h -> log.println("head: " + h.toText()
        + (identity == null ? "  (remember it: deleting entries after it is detectable only against it)"
            : "  (pinned for this device)")));
    log.flush();
    if (!a.verified()) {
      throw new CliException(Outcome.INTEGRITY, "the audit does not verify: "
          + Table.count(a.problems().size(), "problem") + ", first: " + a.problems().get(0));
    }
    log.printf("verified %s and %s%n", Table.count(report.entries().size(), "entry"),
        Table.count(a.envelopes().verified(), "key envelope"));
    return 0;
  }

  /**
   * Who signed an entry, in the spelling {@code keygen} and {@code device list} use: a device's
   * fingerprint ({@link dev.obscura.crypto.keys.ViewerPublicKey#fingerprint()}) and name, the
   * camera's or the recovery key's fingerprint, else the signing key's id.
   */
  static String actor(java.util.List<Roster> chain, VerifyingKey key) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      Roster r = chain.get(i);
      for (Roster.Member m : r.members()) {
        if (m.verifyingKey().equals(key)) {
          return m.fingerprint() + (m.name().isEmpty() ? "" : " (" + m.name() + ")");
        }
      }
      if (r.camera().isPresent() && r.camera().get().equals(key)) {
        return "camera " + key.fingerprint();
      }
      if (r.recovery().isPresent() && r.recovery().get().verifyingKey().equals(key)) {
        return "recovery " + r.recovery().get().fingerprint();
      }
    }
    return "key " + key.keyIdHex();
  }
}
