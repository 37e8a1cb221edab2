package dev.obscura.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.Mp4Probe;
import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.transport.FileSystemSegmentStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new commands end to end: camera setup, three devices, revocation, a ghost roster planted
 * by the store, recovery with every device deleted, and the exit codes.
 */
class RosterCliTest {
  @TempDir Path tmp;

  /** What one in-process run of the tool printed; the other tests of this package use it too. */
  record Run(int code, String out, String err) {
    /** The one error line (checked to be one line, no stack trace). */
    String line() {
      String e = err.strip();
      assertFalse(e.contains("\n") || e.contains("\tat "), "one line expected: " + err);
      return e;
    }
  }

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ObscuraCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  static Run ok(String... args) {
    Run r = cli(args);
    assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
    return r;
  }

  static void assertExit(int code, Run r) {
    assertEquals(code, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("obscura: "), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  String p(String name) {
    return tmp.resolve(name).toString();
  }

  /** {@code camera init} with the store: the camera's pairing code. */
  static String pairingCode(String camera, String store) {
    Run init = ok("camera", "init", "--camera", camera, "--store", store);
    Matcher m = Pattern.compile("pairing code: ([A-Z2-7-]+)").matcher(init.out());
    assertTrue(m.find(), init.out());
    return m.group(1);
  }

  Run record(String store, String camera) {
    return ok("record", "--store", store, "--camera", camera, "--duration", "2s", "--segment-seconds", "1",
        "--width", "320", "--height", "240", "--fps", "15");
  }

  int exportFrames(String store, String key, String out) throws Exception {
    ok("export", "--store", store, "--identity", key, "--out", out);
    return Mp4Probe.probe(Path.of(out)).frames();
  }

  @Test
  void threeDevicesRevocationAndAGhostRoster() throws Exception {
    String store = p("store");
    String cam = p("camera");
    for (String d : List.of("phone", "tablet", "laptop")) {
      ok("keygen", "--out", p(d));
    }
    Run setup = ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("phone/viewer.pub"),
        "--name", "phone", "--pair", pairingCode(cam, store));
    assertTrue(setup.out().contains("roster version 1"), setup.out());
    assertTrue(setup.out().contains("owner fingerprint"), setup.out());
    ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("tablet/viewer.pub"), "--name", "tablet");
    ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("laptop/viewer.pub"), "--name", "laptop");
    Run list = ok("device", "list", "--store", store, "--identity", p("phone/viewer.key"));
    assertTrue(list.out().contains("roster version 3"), list.out());
    assertTrue(list.out().contains("signed by phone"), list.out());
    String laptopFp = ViewerIdentity.readFrom(Path.of(p("laptop/viewer.key")), Secrets.protection(null)).fingerprint();
    assertTrue(list.out().contains(laptopFp), list.out());

    // the camera was paired with version 1; on its first recording it follows the chain to version 3
    long started = System.currentTimeMillis();
    Run first = record(store, cam);
    assertTrue(first.out().contains("roster version 3 accepted"), first.out());
    assertTrue(Files.exists(Path.of(cam, "camera.pub")));
    // three enrolled devices export the same footage
    int frames = exportFrames(store, p("phone/viewer.key"), p("phone1.mp4"));
    assertTrue(frames > 0);
    assertEquals(frames, exportFrames(store, p("tablet/viewer.key"), p("tablet1.mp4")));
    assertEquals(frames, exportFrames(store, p("laptop/viewer.key"), p("laptop1.mp4")));
    assertEquals(Files.size(Path.of(p("phone1.mp4"))), Files.size(Path.of(p("laptop1.mp4"))));

    // revoke the laptop by fingerprint
    Run revoke = ok("device", "revoke", "--store", store, "--identity", p("phone/viewer.key"), "--device", laptopFp);
    assertTrue(revoke.out().contains("roster version 4"), revoke.out());
    // segments are stamped with the wall clock: let the first recording's 2 s of media time pass, so
    // that a time range can tell the recordings apart (ordering, not a timing assertion)
    Thread.sleep(Math.max(0, started + 2500 - System.currentTimeMillis()));
    Run second = record(store, cam);
    assertTrue(second.out().contains("roster version 4 accepted"), second.out());
    int all = exportFrames(store, p("phone/viewer.key"), p("phone2.mp4"));
    assertTrue(all > frames);
    assertEquals(all, exportFrames(store, p("tablet/viewer.key"), p("tablet2.mp4")));
    // the revoked laptop fails on the footage sealed after, and still reads what came before
    assertExit(ObscuraCli.EXIT_NO_KEY, cli("export", "--store", store, "--identity", p("laptop/viewer.key"), "--out", p("l.mp4")));
    assertFalse(Files.exists(Path.of(p("l.mp4"))));
    ok("export", "--store", store, "--identity", p("laptop/viewer.key"), "--out", p("l0.mp4"), "--to", "+2");
    assertEquals(frames, Mp4Probe.probe(Path.of(p("l0.mp4"))).frames());

    // the store plants a ghost roster version 5, signed by the revoked laptop
    ViewerIdentity laptop = ViewerIdentity.readFrom(Path.of(p("laptop/viewer.key")), Secrets.protection(null));
    ViewerIdentity ghost = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(5));
    FileSystemSegmentStore fs = new FileSystemSegmentStore(Path.of(store));
    Roster v4 = RosterStore.read(fs, 4);
    Roster forged = v4.next().add(ghost.publicKey(), Roster.Role.VIEWER, "ghost")
        .add(laptop.publicKey(), Roster.Role.OWNER, "laptop").sign(laptop.signingKey().orElseThrow());
    fs.put(RosterStore.objectName(5), forged.encoded());
    Run third = record(store, cam);
    assertTrue(third.err().contains("roster version 5 refused (signer revoked)"), third.err());
    assertEquals(0, third.code());
    assertExit(ObscuraCli.EXIT_NO_KEY, cli("export", "--store", store, "--identity", p("laptop/viewer.key"), "--out", p("l.mp4")));
    Run inspect = ok("inspect", "--store", store);
    assertTrue(inspect.out().contains("roster"), inspect.out());
    Run warn = ok("device", "list", "--store", store, "--identity", p("phone/viewer.key"));
    assertTrue(warn.err().contains("warning: roster version 5 refused"), warn.err());
    assertTrue(warn.out().contains("roster version 4"), warn.out());

    // the camera is pinned: an unsigned envelope planted by the store is refused by the viewer
    byte[] env = Files.readAllBytes(newestEnvelope(Path.of(store)));
    Path planted = newestEnvelope(Path.of(store));
    byte[] unsigned = Arrays.copyOf(env, env.length - 83);
    unsigned[unsigned.length - 43 - 99 * countRecipients(env) - 1] -= 1; // one stanza fewer
    Files.write(planted, unsigned);
    Run refused = cli("export", "--store", store, "--identity", p("phone/viewer.key"), "--out", p("x.mp4"));
    assertEquals(ObscuraCli.EXIT_INTEGRITY, refused.code(), refused.out() + refused.err());
    assertTrue(refused.err().contains("not signed by the camera"), refused.err());
  }

  private static Path newestEnvelope(Path store) throws Exception {
    try (var s = Files.walk(store)) {
      return s.filter(f -> f.toString().endsWith(".env")).sorted().reduce((a, b) -> b).orElseThrow();
    }
  }

  /** HPKE stanzas in a signed envelope with a 6-byte stream id ("camera") and a roster stanza (43). */
  private static int countRecipients(byte[] env) {
    return (env.length - 28 - 2 - 83 - 43) / 99;
  }

  @Test
  void recoveryWithEveryDeviceDeletedAndExitCodes() throws Exception {
    String store = p("store");
    String cam = p("camera");
    ok("keygen", "--out", p("phone"));
    ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("phone/viewer.pub"),
        "--pair", pairingCode(cam, store));
    Files.writeString(tmp.resolve("recovery.txt"), "a long family passphrase\n");
    Run init = ok("recovery", "init", "--store", store, "--identity", p("phone/viewer.key"),
        "--passphrase-file", p("recovery.txt"), "--argon2-memory-kib", "19456", "--argon2-iterations", "2");
    assertTrue(init.out().contains("roster version 2"), init.out());
    assertFalse(init.out().contains("family"), init.out());
    record(store, cam);
    record(store, cam);
    int phoneFrames = exportFrames(store, p("phone/viewer.key"), p("phone.mp4"));

    // every device is lost
    Files.delete(tmp.resolve("phone/viewer.key"));
    Files.writeString(tmp.resolve("wrong.txt"), "a long family passphrase!\n");
    Run wrong = cli("recover", "--store", store, "--passphrase-file", p("wrong.txt"), "--out", p("restored"));
    assertExit(ObscuraCli.EXIT_NO_KEY, wrong);
    assertTrue(wrong.err().contains("wrong passphrase"), wrong.err());
    assertFalse(wrong.err().contains("family"), wrong.err());
    ok("recover", "--store", store, "--passphrase-file", p("recovery.txt"), "--out", p("restored"));
    // no provider involved: the restored identity reads the whole archive
    assertEquals(phoneFrames, exportFrames(store, p("restored/viewer.key"), p("r.mp4")));

    // the restored identity signs a new roster: a printed recovery code replaces the passphrase
    Run code = ok("recovery", "init", "--store", store, "--identity", p("restored/viewer.key"),
        "--argon2-memory-kib", "19456", "--argon2-iterations", "2");
    Matcher m = Pattern.compile("recovery code \\(shown once, write it down\\): ([A-Z2-7-]{29})").matcher(code.out());
    assertTrue(m.find(), code.out());
    Files.writeString(tmp.resolve("code.txt"), m.group(1).toLowerCase(java.util.Locale.ROOT).replace('-', ' ') + "\n");
    ok("recover", "--store", store, "--passphrase-file", p("code.txt"), "--out", p("restored2"));
    ok("keygen", "--out", p("newphone"));
    ok("device", "add", "--store", store, "--identity", p("restored2/viewer.key"), "--device", p("newphone/viewer.pub"), "--owner");

    // exit codes of the new commands
    assertExit(ObscuraCli.EXIT_USAGE, cli("device", "add", "--store", store));
    assertExit(ObscuraCli.EXIT_USAGE, cli("device"));
    assertExit(ObscuraCli.EXIT_USAGE, cli("recover", "--store", store));
    assertExit(ObscuraCli.EXIT_USAGE, cli("record", "--store", p("empty"), "--duration", "1s"));
    Run unpaired = cli("record", "--store", p("empty"), "--camera", p("cam2"), "--duration", "1s");
    assertExit(ObscuraCli.EXIT_NO_KEY, unpaired);
    assertTrue(unpaired.err().contains("not paired"), unpaired.err());
    ok("keygen", "--out", p("stranger"));
    assertExit(ObscuraCli.EXIT_NO_KEY, cli("device", "add", "--store", store, "--identity", p("stranger/viewer.key"),
        "--device", p("stranger/viewer.pub")));
    assertExit(ObscuraCli.EXIT_FAILURE, cli("device", "revoke", "--store", store, "--identity", p("newphone/viewer.key"),
        "--device", "12345 12345 12345 12345 12345 12345"));
    assertExit(ObscuraCli.EXIT_FAILURE, cli("device", "list", "--store", p("nostore")));
    Files.writeString(tmp.resolve("bad.pub"), "obscura-viewer-public-key v1\nhpke-x25519 !!\n");
    assertExit(ObscuraCli.EXIT_MALFORMED, cli("device", "add", "--store", store, "--identity", p("newphone/viewer.key"),
        "--device", p("bad.pub")));
    // a passphrase-protected key file: the right one works, a wrong one is exit 4
    Files.writeString(tmp.resolve("pw.txt"), "pw\n");
    ok("keygen", "--out", p("pwdev"), "--passphrase-file", p("pw.txt"));
    String code2 = pairingCode(p("cam3"), p("store2"));
    Run badPw = cli("device", "add", "--store", p("store2"), "--identity", p("pwdev/viewer.key"),
        "--passphrase-file", p("wrong.txt"), "--device", p("pwdev/viewer.pub"), "--pair", code2);
    assertExit(ObscuraCli.EXIT_NO_KEY, badPw);
    assertTrue(badPw.err().contains("wrong passphrase"), badPw.err());
    ok("device", "add", "--store", p("store2"), "--identity", p("pwdev/viewer.key"), "--passphrase-file", p("pw.txt"),
        "--device", p("pwdev/viewer.pub"), "--pair", code2);
    // camera setup must be signed by the device being added
    assertExit(ObscuraCli.EXIT_USAGE, cli("device", "add", "--store", p("store3"), "--identity", p("newphone/viewer.key"),
        "--device", p("stranger/viewer.pub"), "--pair", pairingCode(p("cam4"), p("store3"))));
    // a store with no roster: device add without --pair says what to do
    Run noPair = cli("device", "add", "--store", p("store4"), "--identity", p("newphone/viewer.key"),
        "--device", p("newphone/viewer.pub"));
    assertExit(ObscuraCli.EXIT_FAILURE, noPair);
    assertTrue(noPair.err().contains("--pair"), noPair.err());
  }
}
