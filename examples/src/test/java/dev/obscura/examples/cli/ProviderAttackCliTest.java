package dev.obscura.examples.cli;

import static dev.obscura.examples.cli.RosterCliTest.cli;
import static dev.obscura.examples.cli.RosterCliTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.Mp4Probe;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.crypto.trust.PairingRecord;
import dev.obscura.examples.cli.RosterCliTest.Run;
import dev.obscura.transport.FileSystemSegmentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider attacks the household through the command-line tool: it holds every stored byte
 * and may delete, roll back, fork, replace, plant and withhold. Each test names one attack and
 * asserts the exit code, the one line that names it, and that no forged frame reaches a file.
 * Run alone with {@code mvn -pl examples test -Dtest=ProviderAttackCliTest}; the library-level
 * twin is {@code ProviderAttackTest} in crypto.
 */
class ProviderAttackCliTest {
  static final String[] SMALL = {"--segment-seconds", "1", "--width", "320", "--height", "240", "--fps", "15"};

  @TempDir Path tmp;
  String store;
  String cam;
  FileSystemSegmentStore fs;

  static Run refused(int code, String fragment, String... args) {
    Run r = cli(args);
    assertEquals(code, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
    assertTrue(r.line().contains(fragment), "expected '" + fragment + "' in: " + r.err());
    return r;
  }

  String p(String name) {
    return tmp.resolve(name).toString();
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  Run record(String camera, String duration, String... more) {
    return ok(concat(concat(new String[] {"record", "--store", store, "--camera", camera, "--duration", duration}, SMALL),
        more));
  }

  String enrolmentCode(Run deviceAdd) {
    Matcher m = Pattern.compile("enrolment code: (\\S+)").matcher(deviceAdd.out());
    assertTrue(m.find(), deviceAdd.out());
    return m.group(1);
  }

  /** Phone (owner) paired with the camera, tablet enrolled and first-contacted with its code. */
  @BeforeEach
  void household() throws Exception {
    store = p("store");
    cam = p("cam");
    for (String d : List.of("phone", "tablet", "stranger")) {
      ok("keygen", "--out", p(d));
    }
    ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("phone/viewer.pub"),
        "--name", "phone", "--pair", RosterCliTest.pairingCode(cam, store));
    Run add = ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device",
        p("tablet/viewer.pub"), "--name", "tablet");
    ok("device", "list", "--store", store, "--identity", p("tablet/viewer.key"), "--trust", enrolmentCode(add));
    fs = new FileSystemSegmentStore(Path.of(store));
  }

  void assertNoFile(String file) {
    assertFalse(Files.exists(Path.of(file)), "nothing written at " + file);
  }

  Path rosterFile(long version) {
    return Path.of(store).resolve(RosterStore.objectName(version));
  }

  /** A stream sealed to the phone's public key by someone who is not the camera (unsigned). */
  void plantStrangerStream() throws Exception {
    ok(concat(new String[] {"record", "--store", store, "--recipient", p("phone/viewer.pub"), "--stream", "forged",
        "--duration", "2s"}, SMALL));
  }

  String[] export(String who, String out, String... more) {
    return concat(new String[] {"export", "--store", store, "--identity", p(who + "/viewer.key"), "--out", out}, more);
  }

  @Test
  void allRosterVersionsDeletedAndAForgedStreamPlanted() throws Exception {
    record(cam, "2s");
    for (long v = 1; v <= 2; v++) {
      Files.delete(rosterFile(v));
    }
    plantStrangerStream();
    refused(3, "the store shows no roster, but this device verified roster version 2",
        export("phone", p("forged.mp4"), "--stream", "forged"));
    assertNoFile(p("forged.mp4"));
    refused(3, "no roster", "device", "list", "--store", store, "--identity", p("phone/viewer.key"));
    refused(3, "no roster", "audit", "--store", store, "--identity", p("tablet/viewer.key"));
    refused(3, "no roster", "share", "--store", store, "--identity", p("phone/viewer.key"), "--stream", "forged",
        "--from", "+0", "--to", "+1", "--recipient", p("stranger/viewer.pub"), "--reason", "x", "--out", p("g"));
    assertNoFile(p("g"));
  }

  @Test
  void newestRosterVersionsDeletedIsARollback() throws Exception {
    ok("device", "revoke", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("tablet/viewer.pub"));
    Files.delete(rosterFile(3));
    refused(3, "older than version 3 this device verified", export("phone", p("x.mp4")));
    refused(3, "rolled back", "device", "list", "--store", store, "--identity", p("phone/viewer.key"));
    assertNoFile(p("x.mp4"));
  }

  @Test
  void aForgedStreamOnAStoreWithARosterIsRefusedEvenOnFirstContact() throws Exception {
    record(cam, "2s");
    plantStrangerStream();
    // the phone pinned the store; a device with no pins (trust on first use) refuses it all the same
    // its chain manifests are signed by a key that is not the paired camera's (and its envelopes
    // name no roster): refused before a frame is read
    refused(3, "signed by an unknown camera key", export("phone", p("forged.mp4"), "--stream", "forged"));
    ok("keygen", "--out", p("fresh"));
    Files.copy(Path.of(p("phone/viewer.key")), Path.of(p("fresh/viewer.key")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    refused(3, "signed by an unknown camera key", export("fresh", p("forged2.mp4"), "--stream", "forged"));
    // without its manifests, the envelopes alone are refused
    try (Stream<Path> files = Files.list(Path.of(store, "forged", "manifests"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    refused(3, "names no roster", export("phone", p("forged3.mp4"), "--stream", "forged"));
    assertNoFile(p("forged3.mp4"));
    assertNoFile(p("forged.mp4"));
    assertNoFile(p("forged2.mp4"));
    // the camera's own stream still exports
    ok(export("phone", p("real.mp4"), "--stream", "camera"));
  }

  @Test
  void aForkAtThePinnedVersionIsRefused() throws Exception {
    // a second owner, then the phone signs version 4; the store shows the other owner's version 4
    ok("keygen", "--out", p("owner2"));
    ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("owner2/viewer.pub"), "--owner");
    ok("device", "renew", "--store", store, "--identity", p("phone/viewer.key"));
    Roster v3 = RosterStore.read(fs, 3);
    ViewerIdentity owner2 = ViewerIdentity.readFrom(Path.of(p("owner2/viewer.key")), Secrets.protection(null));
    Roster fork = v3.next().add(ViewerIdentity.generate().publicKey(), Roster.Role.VIEWER, "ghost")
        .sign(owner2.signingKey().orElseThrow());
    fork.verifySuccessorOf(v3); // a valid successor: only the pin tells the fork
    Files.write(rosterFile(4), fork.encoded());
    refused(3, "is not the one this device verified (a fork)", export("phone", p("x.mp4")));
    refused(3, "fork", "audit", "--store", store, "--identity", p("phone/viewer.key"));
  }

  @Test
  void versionOneReplacedByAGhostChainIsRefused() throws Exception {
    record(cam, "1s"); // the camera pins version 2
    ViewerIdentity ghost = ViewerIdentity.generate();
    SigningKey ghostCamera = SigningKey.generate(EntropySource.system());
    Roster g1 = Roster.genesis().add(ghost.publicKey(), Roster.Role.OWNER, "ghost")
        .add(ViewerPublicKey.readFrom(Path.of(p("phone/viewer.pub"))), Roster.Role.VIEWER, "phone")
        .camera(ghostCamera.verifyingKey()).sign(ghost.signingKey().orElseThrow());
    Roster g2 = g1.next().sign(ghost.signingKey().orElseThrow());
    Files.write(rosterFile(1), g1.encoded());
    Files.write(rosterFile(2), g2.encoded());
    refused(3, "(a fork)", export("phone", p("x.mp4")));
    refused(3, "(a fork)", "device", "list", "--store", store, "--identity", p("tablet/viewer.key"));
    // the paired camera keeps its pin and refuses the ghost chain (it does not fork with the store)
    record(cam, "1s");
  }

  @Test
  void ghostGenesisIsRefusedByAFreshCamera() throws Exception {
    // the provider sets up a store of its own before the owner does, with a pairing record it made
    // without the camera's secret, for a camera whose published key it read
    String fresh = p("fresh-store");
    String freshCam = p("fresh-cam");
    String code = RosterCliTest.pairingCode(freshCam, fresh);
    FileSystemSegmentStore other = new FileSystemSegmentStore(Path.of(fresh));
    CameraState state = CameraState.open(Path.of(freshCam), Secrets.protection(null), EntropySource.system());
    ViewerIdentity ghost = ViewerIdentity.generate();
    Roster g1 = Roster.genesis().add(ghost.publicKey(), Roster.Role.OWNER, "ghost")
        .camera(state.identity().publicKey()).sign(ghost.signingKey().orElseThrow());
    PairingCode guessed = PairingCode.generate(state.identity().publicKey(), EntropySource.system());
    RosterStore.publish(other, g1);
    other.put(PairingRecord.objectName(1), PairingRecord.create(g1, guessed).encode());
    Run r = refused(3, "not paired", concat(new String[] {"record", "--store", fresh, "--camera", freshCam,
        "--duration", "1s"}, SMALL));
    assertTrue(r.line().contains("ghost"), r.err());
    // without any pairing record at all
    Files.delete(Path.of(fresh).resolve(PairingRecord.objectName(1)));
    refused(3, "not paired", concat(new String[] {"record", "--store", fresh, "--camera", freshCam, "--duration", "1s"},
        SMALL));
    assertTrue(Files.notExists(Path.of(freshCam, "roster.pinned")), "nothing pinned");
    assertTrue(code.length() > 40);
  }

  @Test
  void aResetCameraRefusesToRecordUntilPairedAgain() throws Exception {
    record(cam, "1s");
    Files.delete(Path.of(cam, "roster.pinned")); // the folder lost its pin (reset, or tampered with)
    refused(4, "not paired", concat(new String[] {"record", "--store", store, "--camera", cam, "--duration", "1s"}, SMALL));
    // the old pairing record in the store does not pair it again: its secret was used once
    ok("camera", "init", "--camera", cam);
    refused(3, "not paired", concat(new String[] {"record", "--store", store, "--camera", cam, "--duration", "1s"}, SMALL));
    Files.delete(Path.of(cam, "pairing.secret"));
    String code = RosterCliTest.pairingCode(cam, store);
    Run pair = ok("camera", "pair", "--store", store, "--identity", p("phone/viewer.key"), "--pair", code);
    assertTrue(pair.out().contains("paired camera"), pair.out());
    Run again = record(cam, "1s");
    assertTrue(again.out().contains("roster version 3 accepted"), again.out());
    ok(export("tablet", p("t.mp4")));
  }

  @Test
  void aWrongPairingCodeIsRefusedByDeviceAdd() throws Exception {
    String newStore = p("store-b");
    String code = RosterCliTest.pairingCode(p("cam-b"), newStore);
    char c = code.charAt(5);
    String typo = code.substring(0, 5) + (c == 'A' ? 'B' : 'A') + code.substring(6);
    refused(2, "mistyped", "device", "add", "--store", newStore, "--identity", p("phone/viewer.key"),
        "--device", p("phone/viewer.pub"), "--pair", typo);
    // a well-formed code of another camera: no key in this store matches it
    String otherCode = RosterCliTest.pairingCode(p("cam-c"), p("store-c"));
    refused(3, "matches the pairing code", "device", "add", "--store", newStore, "--identity", p("phone/viewer.key"),
        "--device", p("phone/viewer.pub"), "--pair", otherCode);
    assertFalse(Files.exists(Path.of(newStore).resolve(RosterStore.objectName(1))), "no roster made");
  }

  @Test
  void aCameraKeySwappedInTheStoreIsRefusedByDeviceAdd() throws Exception {
    String newStore = p("store-b");
    String code = RosterCliTest.pairingCode(p("cam-b"), newStore);
    // the store replaces the camera's published key with its own
    FileSystemSegmentStore b = new FileSystemSegmentStore(Path.of(newStore));
    try (Stream<Path> files = Files.list(Path.of(newStore, "pairing"))) {
      for (Path f : files.toList()) {
        Files.write(f, SigningKey.generate(EntropySource.system()).verifyingKey().rawBytes());
      }
    }
    refused(3, "matches the pairing code", "device", "add", "--store", newStore, "--identity", p("phone/viewer.key"),
        "--device", p("phone/viewer.pub"), "--pair", code);
    // given the wrong key as a file, the code refuses it too
    Files.writeString(tmp.resolve("wrong-camera.pub"), "obscura-camera-public-key v1\ned25519 "
        + SigningKey.generate(EntropySource.system()).verifyingKey().toBase64() + "\n");
    refused(3, "is not the one the pairing code names", "device", "add", "--store", newStore, "--identity",
        p("phone/viewer.key"), "--device", p("phone/viewer.pub"), "--pair", code, "--camera-key", p("wrong-camera.pub"));
    assertTrue(b.list("roster/").isEmpty(), "no roster made");
  }

  @Test
  void aRetiredCameraKeyIsRefusedForNewEpochs() throws Exception {
    record(cam, "1s");
    CameraState stolen = CameraState.open(Path.of(cam), Secrets.protection(null), EntropySource.system());
    // the owner replaces the camera (the old one was stolen)
    String cam2 = p("cam2");
    ok("camera", "pair", "--store", store, "--identity", p("phone/viewer.key"), "--pair",
        RosterCliTest.pairingCode(cam2, store));
    // the old camera itself stops: the roster retired it
    refused(3, "pins another camera key", concat(new String[] {"record", "--store", store, "--camera", cam,
        "--duration", "1s"}, SMALL));
    // the thief signs a new epoch of the stream with the stolen key, for the roster it was in force in
    Roster v2 = RosterStore.read(fs, 2);
    Roster v3 = RosterStore.read(fs, 3);
    assertEquals(3, v3.cameraSince());
    StreamId camera = StreamId.of("camera");
    EpochId epoch = EpochId.of(50);
    EpochKey key = EpochKey.generate(camera, epoch, EntropySource.system());
    Instant later = v3.created().plusSeconds(120);
    fs.put(ObjectNames.envelope(camera, epoch), KeyEnvelope.seal(new EnvelopeHeader(camera, epoch, later), key,
        v2.recipients(), stolen.identity().signingKey(), v2.ref()));
    refused(3, "retired", "audit", "--store", store, "--identity", p("phone/viewer.key"));
    // the new camera records (a stream of its own: it continues no chain it did not seal), and
    // the footage of the old camera before the theft still exports
    refused(2, "did not seal", concat(new String[] {"record", "--store", store, "--camera", cam2,
        "--duration", "1s"}, SMALL));
    record(cam2, "1s", "--stream", "porch");
    Files.delete(Path.of(store).resolve(ObjectNames.envelope(camera, epoch)));
    ok(export("tablet", p("t.mp4"), "--stream", "camera"));
    ok(export("tablet", p("t2.mp4"), "--stream", "porch"));
  }

  @Test
  void aWithheldRevocationIsReportedByTheAudit() throws Exception {
    record(cam, "1s");
    ok("device", "revoke", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("tablet/viewer.pub"));
    // the store hides version 3 from the camera while it records, past the grace period
    Path v3 = rosterFile(3);
    Path hidden = tmp.resolve("hidden.roster");
    Files.move(v3, hidden);
    Thread.sleep(1200); // ordering of signed times, not a timing assertion
    record(cam, "1s");
    Files.move(hidden, v3);
    // the revoked tablet could read that epoch; the audit sees it for what it is
    Run audit = refused(3, "stale epoch", "audit", "--store", store, "--identity", p("phone/viewer.key"),
        "--grace", "1s");
    assertTrue(audit.out().contains("wrapped for roster version 2") || audit.out().contains("for roster version 2"),
        audit.out());
    // export of the owner says so too, and still writes the owner's footage
    Run export = ok(export("phone", p("p.mp4")));
    assertTrue(Mp4Probe.probe(Path.of(p("p.mp4"))).frames() > 0);
    assertTrue(export.code() == 0);
  }

  @Test
  void theCameraBoundsAStaleRosterToOwnersOnly() throws Exception {
    record(cam, "1s");
    Thread.sleep(1500); // the roster is older than the bound below
    Run bounded = record(cam, "2s", "--max-roster-age", "1s");
    assertTrue(bounded.code() == 0, bounded.out());
    // the tablet (a viewer) gets nothing of that epoch, the phone (an owner) everything
    refused(4, "no key", export("tablet", p("t.mp4")));
    assertNoFile(p("t.mp4"));
    ok(export("phone", p("p.mp4")));
    // an owner renews the roster: the camera wraps for viewers again
    ok("device", "renew", "--store", store, "--identity", p("phone/viewer.key"));
    record(cam, "1s", "--max-roster-age", "1h", "--stream", "porch");
    ok(export("tablet", p("t2.mp4"), "--stream", "porch"));
  }

  @Test
  void aWrongEnrolmentCodeIsRefusedOnFirstContact() throws Exception {
    ok("keygen", "--out", p("laptop"));
    Run add = ok("device", "add", "--store", store, "--identity", p("phone/viewer.key"), "--device",
        p("laptop/viewer.pub"), "--name", "laptop");
    String code = enrolmentCode(add);
    String wrong = "2" + code.substring(1);
    refused(3, "does not match the enrolment code", "device", "list", "--store", store, "--identity",
        p("laptop/viewer.key"), "--trust", wrong);
    refused(2, "invalid --trust", "device", "list", "--store", store, "--identity", p("laptop/viewer.key"), "--trust",
        "not-a-code");
    Run first = ok("device", "list", "--store", store, "--identity", p("laptop/viewer.key"), "--trust", code);
    assertFalse(first.out().contains("trust on first use") || first.out().contains("on first use"), first.out());
    // without a code, the first contact says it trusts on first use
    ok("keygen", "--out", p("other"));
    Run tofu = ok("device", "list", "--store", store, "--identity", p("other/viewer.key"));
    assertTrue(tofu.out().contains("on first use"), tofu.out());
  }

  @Test
  void theTailDroppedIsRefusedByExportAndShare() throws Exception {
    record(cam, "3s");
    Path segments = Path.of(store, "camera", "segments");
    List<Path> all;
    try (Stream<Path> files = Files.list(segments)) {
      all = files.sorted().toList();
    }
    assertTrue(all.size() >= 3, all.toString());
    Files.delete(all.get(all.size() - 1)); // the newest segment, which the camera's manifest lists
    refused(3, "listed in the camera's signed manifest but missing", export("phone", p("x.mp4")));
    assertNoFile(p("x.mp4"));
    refused(3, "listed in the camera's signed manifest but missing", "share", "--store", store, "--identity",
        p("phone/viewer.key"), "--from", "+0", "--to", "+1", "--recipient", p("stranger/viewer.pub"),
        "--reason", "x", "--out", p("g"));
    assertNoFile(p("g"));
  }

  @Test
  void segmentsAfterTheNewestManifestAreNamedInOneLine() throws Exception {
    record(cam, "3s");
    try (Stream<Path> files = Files.list(Path.of(store, "camera", "manifests"))) {
      for (Path f : files.toList()) {
        Files.delete(f); // as if the camera stopped before its first manifest
      }
    }
    Run r = ok(export("phone", p("x.mp4")));
    assertTrue(r.out().contains("segment(s) after the newest signed manifest"), r.out());
    assertTrue(Mp4Probe.probe(Path.of(p("x.mp4"))).frames() > 0);
  }

  @Test
  void aKeyHoldersContentSwapIsRefused() throws Exception {
    record(cam, "2s");
    // the tablet holds the epoch key: with the store, it re-encrypts segment 0 with other content
    // under the same segment key, header and salt (so the same key commitment)
    ViewerIdentity tablet = ViewerIdentity.readFrom(Path.of(p("tablet/viewer.key")), Secrets.protection(null));
    StreamId camera = StreamId.of("camera");
    Path seg0 = Path.of(store).resolve(ObjectNames.segment(new dev.obscura.core.SegmentId(camera, 0)));
    byte[] sealed = Files.readAllBytes(seg0);
    dev.obscura.core.SegmentHeader h = dev.obscura.crypto.segment.SegmentFormat.parseHeader(sealed);
    int headerLength = h.toBytes().length;
    EpochKey key = new dev.obscura.crypto.envelope.EnvelopeKeyResolver(fs, tablet).resolve(camera, h.epoch());
    dev.obscura.crypto.segment.SealingSuite suite = dev.obscura.crypto.segment.SealingSuite.fromId(h.suite());
    byte[] salt = java.util.Arrays.copyOfRange(sealed, headerLength, headerLength + 24);
    byte[] other = new byte[5000];
    java.util.Arrays.fill(other, (byte) 0x42);
    byte[] ct = dev.obscura.crypto.chunked.ChunkedEncryption.encrypt(suite.chunkedSuite(),
        dev.obscura.crypto.segment.SegmentKeys.derive(key, h.segmentId(), suite), h.toBytes(), other,
        out -> System.arraycopy(salt, 0, out, 0, out.length));
    byte[] swapped = java.util.Arrays.copyOf(h.toBytes(), headerLength + ct.length);
    System.arraycopy(ct, 0, swapped, headerLength, ct.length);
    assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(sealed, headerLength, headerLength + 56),
        java.util.Arrays.copyOfRange(swapped, headerLength, headerLength + 56)), "same salt and commitment");
    Files.write(seg0, swapped);
    Run r = cli(export("phone", p("x.mp4")));
    assertEquals(3, r.code(), r.out() + r.err());
    assertNoFile(p("x.mp4"));
    Run share = cli("share", "--store", store, "--identity", p("phone/viewer.key"), "--from", "+0", "--to", "+1",
        "--recipient", p("stranger/viewer.pub"), "--reason", "x", "--out", p("g"));
    assertEquals(3, share.code(), share.out() + share.err());
    assertNoFile(p("g"));
  }

  @Test
  void aPlantedEpochNearTheTopOfTheRangeIsNoBase() throws Exception {
    record(cam, "1s");
    Path planted = Path.of(store).resolve("camera/epochs/" + String.format("%019d", Long.MAX_VALUE - 1) + ".env");
    Files.write(planted, new byte[] {1, 2, 3});
    record(cam, "1s");
    record(cam, "1s");
    ok(export("phone", p("x.mp4")));
    ok("audit", "--store", store, "--identity", p("phone/viewer.key"));
    String epochs = Files.readString(Path.of(cam, "epochs"));
    assertTrue(epochs.contains("camera 3"), "the camera's own record: three epochs, " + epochs);
  }

  @Test
  void aRangeWithNoFootageIsOneLine() throws Exception {
    record(cam, "2s");
    refused(1, "no footage", export("phone", p("x.mp4"), "--from", "+100", "--to", "+200"));
    assertNoFile(p("x.mp4"));
    refused(1, "no footage", "share", "--store", store, "--identity", p("phone/viewer.key"), "--from", "+100",
        "--to", "+200", "--recipient", p("stranger/viewer.pub"), "--reason", "x", "--out", p("g"));
    assertNoFile(p("g"));
  }

  @Test
  void watchRefusesTheStoresExportRefuses() throws Exception {
    ok("device", "revoke", "--store", store, "--identity", p("phone/viewer.key"), "--device", p("tablet/viewer.pub"));
    Files.delete(rosterFile(3));
    refused(3, "rolled back", "watch", "--relay", "ws://127.0.0.1:1", "--stream", "camera", "--token",
        "watch-secret-0123456789", "--store", store, "--identity", p("phone/viewer.key"), "--out", p("w.mp4"));
    assertNoFile(p("w.mp4"));
  }
}
