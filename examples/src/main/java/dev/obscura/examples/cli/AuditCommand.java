package dev.obscura.examples.cli;

import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.audit.AuditReport;
import dev.obscura.crypto.share.ShareGrant;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterStore;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "audit",
    description = {
      "Print the store's audit log (enrolments, revocations, rotations, recoveries, shares) and verify it:",
      "every entry signed by a known key, hash-chained to the one before, none missing or out of order.",
      "Exits with 3 if it does not verify."
    })
final class AuditCommand implements Callable<Integer> {
  @CommandLine.Mixin StoreOptions store;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    SegmentStore segmentStore = Stores.open(store, false);
    // Trusted writers: every device, camera and recovery key of every verified roster version
    // (an entry stays valid after its writer is revoked), and, for stores without a roster,
    // the TEMPORARY keys published in the store (see TemporaryKeyShims).
    RosterStore.Chain rosters = Rosters.chain(segmentStore, spec.commandLine().getErr());
    List<VerifyingKey> trusted = new ArrayList<>();
    for (Roster r : rosters.verified()) {
      for (Roster.Member m : r.members()) {
        trusted.add(m.verifyingKey());
      }
      r.camera().ifPresent(trusted::add);
      r.recovery().ifPresent(k -> trusted.add(k.verifyingKey()));
    }
    if (rosters.verified().isEmpty()) {
      trusted.addAll(TemporaryKeyShims.publishedKeys(segmentStore));
      if (!trusted.isEmpty()) {
        log.println("note: the store has no roster, so the signers trusted are the keys published in the"
            + " store (not verified)");
      }
    }
    AuditReport report = AuditLog.verify(segmentStore, trusted);
    if (report.entries().isEmpty() && report.verified()) {
      log.println("the audit log is empty");
      return 0;
    }
    for (AuditEntry e : report.entries()) {
      log.printf("#%d  %s  %-8s by %s  %s%n", e.sequence(), e.time(), e.type(),
          e.actor().keyIdHex(), describe(e));
    }
    for (String p : report.problems()) {
      log.println("PROBLEM: " + p);
    }
    report.head().ifPresent(h -> log.println("head: " + h.toText()
        + "  (remember it: deleting entries after it is detectable only against it)"));
    log.flush();
    if (!report.verified()) {
      throw new CliException(ObscuraCli.EXIT_INTEGRITY, "the audit log does not verify: "
          + report.problems().size() + " problem(s), first: " + report.problems().get(0));
    }
    log.printf("verified %d entries%n", report.entries().size());
    return 0;
  }

  private static String describe(AuditEntry e) {
    byte[] p = e.payload();
    if (e.type() == AuditEntry.Type.SHARE) {
      return ShareGrant.describeAuditPayload(p);
    }
    if ((e.type() == AuditEntry.Type.ENROL || e.type() == AuditEntry.Type.REVOKE
        || e.type() == AuditEntry.Type.RECOVERY) && p.length == AuditTrail.ROSTER_CHANGE_BYTES) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(p);
      long version = b.getLong();
      return "roster version " + version + ", key id " + HexFormat.of().formatHex(p, 8, p.length);
    }
    return p.length == 0 ? "" : "payload " + HexFormat.of().formatHex(p, 0, Math.min(p.length, 16))
        + (p.length > 16 ? "..." : "");
  }
}
