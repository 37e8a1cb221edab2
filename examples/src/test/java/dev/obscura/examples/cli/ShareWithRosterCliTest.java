package dev.obscura.examples.cli;

import static dev.obscura.examples.cli.RosterCliTest.cli;
import static dev.obscura.examples.cli.RosterCliTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.examples.cli.RosterCliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharing on a store with a roster (after the roster merge): the camera identity signs the chain,
 * the roster pins the camera key the share trusts, only an owner may share, and enrolments,
 * revocations and shares are all in the audit log, which verifies against the roster's keys.
 */
class ShareWithRosterCliTest {
  @TempDir Path tmp;

  String p(String name) {
    return tmp.resolve(name).toString();
  }

  @Test
  void ownerSharesARangeAndTheAuditLogShowsEverything() throws Exception {
    String store = p("store");
    java.util.Map<String, String> fingerprints = new java.util.HashMap<>();
    for (String d : new String[] {"phone", "tablet", "lawyer"}) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("fingerprint: (\\d{5}( \\d{5}){5})")
          .matcher(ok("keygen", "--out", p(d)).out());
      assertTrue(m.find());
      fingerprints.put(d, m.group(1));
    }
    // the natural flow: pairing pins the camera key in version 1, so sharing needs no manual step
    ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("phone/viewer.pub"),
        "--pair", RosterCliTest.pairingCode(p("camera"), store));
    ok("record", "--store", store, "--camera", p("camera"), "--duration", "3s", "--segment-seconds", "1",
        "--width", "320", "--height", "240", "--fps", "15");
    ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("tablet/viewer.pub"));
    // revoking the tablet is recorded too
    ok("device", "revoke", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("tablet/viewer.pub"));
    Run share = ok("share", "--store", store, "--identity", p("phone/viewer.key"), "--from", "+1", "--to", "+2",
        "--recipient", p("lawyer/viewer.pub"), "--reason", "insurance claim", "--out", p("g.grant"));
    assertTrue(share.out().contains("segments 1..1"), share.out());
    Run verify = ok("verify-share", "--grant", p("g.grant"), "--identity", p("lawyer/viewer.key"),
        "--out", p("clip.mp4"));
    // the grant names the owner by the fingerprint keygen printed and device list shows
    String phone = fingerprints.get("phone");
    assertTrue(ok("device", "list", "--store", store).out().contains(phone));
    assertTrue(share.out().contains("who:    owner " + phone + " "), share.out());
    assertTrue(verify.out().contains("who:    owner " + phone + " "), verify.out());
    assertTrue(Files.size(Path.of(p("clip.mp4"))) > 1000);
    Run audit = ok("audit", "--store", store, "--identity", p("phone/viewer.key"));
    assertTrue(audit.out().contains("ENROL") && audit.out().contains("REVOKE") && audit.out().contains("SHARE"),
        audit.out());
    assertTrue(audit.out().contains("verified 4 entries"), audit.out());
    // the lawyer is no owner: the roster refuses it as a sharer (exit 4)
    Run notOwner = cli("share", "--store", store, "--identity", p("lawyer/viewer.key"), "--from", "+0", "--to", "+1",
        "--recipient", p("lawyer/viewer.pub"), "--reason", "x", "--out", p("h.grant"));
    assertEquals(ObscuraCli.EXIT_NO_KEY, notOwner.code(), notOwner.out() + notOwner.err());
    // an entry signed by a key outside the roster is refused
    dev.obscura.transport.FileSystemSegmentStore fs = new dev.obscura.transport.FileSystemSegmentStore(Path.of(store));
    dev.obscura.crypto.audit.AuditLog.append(fs,
        dev.obscura.crypto.sign.SigningKey.generate(dev.obscura.core.EntropySource.system()),
        dev.obscura.crypto.audit.AuditEntry.Type.ENROL, new byte[0]);
    assertEquals(ObscuraCli.EXIT_INTEGRITY, cli("audit", "--store", store).code());
    assertTrue(verify.out().contains("insurance claim"));
  }

  @Test
  void recoveryInitAndRecoverAreInTheAuditLog() throws Exception {
    String store = p("store");
    ok("keygen", "--out", p("phone"));
    ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("phone/viewer.pub"),
        "--pair", RosterCliTest.pairingCode(p("camera"), store));
    Files.writeString(tmp.resolve("recovery.txt"), "a long family passphrase\n");
    ok("recovery", "init", "--store", store, "--identity", p("phone/viewer.key"),
        "--passphrase-file", p("recovery.txt"), "--argon2-memory-kib", "19456", "--argon2-iterations", "2");
    ok("recover", "--store", store, "--passphrase-file", p("recovery.txt"), "--out", p("restored"));
    Run audit = ok("audit", "--store", store);
    // ENROL by the phone, RECOVERY (init) by the phone, RECOVERY (recover) by the recovery key
    assertTrue(audit.out().contains("verified 3 entries"), audit.out());
    assertEquals(2, audit.out().lines().filter(l -> l.contains("RECOVERY")).count(), audit.out());
    assertTrue(audit.out().contains("roster version 2, key id "), audit.out());
    assertFalse(audit.out().contains("note: the store has no roster"), audit.out());
  }

  @Test
  void withoutARosterShareSaysItTrustsKeysPublishedInTheStore() throws Exception {
    String store = p("store");
    ok("keygen", "--out", p("phone"));
    ok("keygen", "--out", p("lawyer"));
    ok("record", "--store", store, "--recipient", p("phone/viewer.pub"), "--duration", "2s", "--segment-seconds", "1",
        "--width", "320", "--height", "240", "--fps", "15");
    Run share = ok("share", "--store", store, "--identity", p("phone/viewer.key"), "--from", "+0", "--to", "+1",
        "--recipient", p("lawyer/viewer.pub"), "--reason", "r", "--out", p("g.grant"));
    assertTrue(share.out().contains("note: the store has no roster"), share.out());
    Run audit = ok("audit", "--store", store);
    assertTrue(audit.out().contains("note: the store has no roster"), audit.out());
    assertTrue(audit.out().contains("verified 1 entry "), audit.out());
  }
}
