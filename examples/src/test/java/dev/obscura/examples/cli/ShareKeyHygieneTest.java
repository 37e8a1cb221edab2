package dev.obscura.examples.cli;

import dev.obscura.crypto.keys.Argon2idParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EpochId;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.chain.ChainVerifier;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.SealingSuite;
import dev.obscura.crypto.segment.SegmentKeys;
import dev.obscura.crypto.segment.SegmentOpener;
import dev.obscura.crypto.share.ShareGrant;
import dev.obscura.crypto.share.ShareVerifier;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.transport.FileSystemSegmentStore;
import dev.obscura.transport.testing.SecretScan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs keygen, record, export, share (to a key and to a passphrase), verify-share, audit, and
 * their failure paths in-process with SLF4J at TRACE, then checks with {@link SecretScan} that no
 * 8-byte window of any key (as hex, base64 or base64url at any alignment, decimal or raw
 * characters) appears in any log line, command output, exception message or {@code toString()} of
 * a key-bearing object. A control case shows the scan finds a planted key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShareKeyHygieneTest {
  Path dir;

  final StringBuilder text = new StringBuilder(); // everything the user or a log could see
  final SecretScan keys = new SecretScan();
  final List<SigningKey> cameraKeys = new ArrayList<>();
  final ByteArrayOutputStream errCapture = new ByteArrayOutputStream();
  PrintStream originalErr;
  Path store;

  /** Every random byte the tool drew for the keys it made (record's per-recording camera key). */
  final List<byte[]> cliDraws = new ArrayList<>();

  int cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    EntropySource system = EntropySource.system();
    EntropySource recording = b -> {
      system.nextBytes(b);
      cliDraws.add(b.clone());
    };
    int code = ObscuraCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), recording);
    text.append(out).append(err);
    return code;
  }

  @BeforeAll
  void flow(@TempDir Path tmp) throws Exception {
    dir = tmp;
    originalErr = System.err;
    System.setErr(new PrintStream(errCapture, true, StandardCharsets.UTF_8));
    store = dir.resolve("store");
    String s = store.toString();
    // keygen's output is scanned too; the two identities used below are made in-process from a
    // recording entropy source, because key files are now encrypted and the test needs the keys
    assertEquals(0, cli("keygen", "--out", dir.resolve("spare").toString()));
    makeIdentity("owner");
    makeIdentity("lawyer");
    String ownerKey = dir.resolve("owner/viewer.key").toString();
    String lawyerKey = dir.resolve("lawyer/viewer.key").toString();
    assertEquals(0, cli("record", "--store", s, "--recipient", dir.resolve("owner/viewer.pub").toString(),
        "--duration", "4s", "--segment-seconds", "1", "--width", "320", "--height", "240", "--fps", "15"));
    assertEquals(0, cli("export", "--store", s, "--identity", ownerKey, "--out", dir.resolve("all.mp4").toString()));
    Path pass = dir.resolve("pass.txt");
    Files.writeString(pass, "tangerine submarine 1987\n");
    Path wrong = dir.resolve("wrong.txt");
    Files.writeString(wrong, "tangerine submarine 1988\n");
    String g1 = dir.resolve("g1.grant").toString();
    String g2 = dir.resolve("g2.grant").toString();
    assertEquals(0, cli("share", "--store", s, "--identity", ownerKey, "--from", "+1", "--to", "+3",
        "--recipient", dir.resolve("lawyer/viewer.pub").toString(), "--reason", "burglary, for the police",
        "--out", g1), text.toString());
    assertEquals(0, cli("share", "--store", s, "--identity", ownerKey, "--from", "+0", "--to", "+2",
        "--passphrase-file", pass.toString(), "--reason", "for the neighbour", "--out", g2,
        "--argon2-memory-kib", "19456", "--argon2-iterations", "2"), text.toString()); // the cheapest a reader accepts
    assertEquals(1, cli("share", "--store", s, "--identity", ownerKey, "--from", "+0", "--to", "+2",
        "--passphrase-file", pass.toString(), "--reason", "again", "--out", g2)); // exists
    assertEquals(0, cli("verify-share", "--grant", g1, "--identity", lawyerKey,
        "--out", dir.resolve("clip.mp4").toString()), text.toString());
    assertTrue(Files.size(dir.resolve("clip.mp4")) > 1000);
    assertEquals(0, cli("verify-share", "--grant", g2, "--passphrase-file", pass.toString()));
    assertEquals(0, cli("audit", "--store", s), text.toString());
    // failure paths: their messages are scanned too
    assertEquals(4, cli("verify-share", "--grant", g1, "--identity", ownerKey)); // not for the owner
    assertEquals(4, cli("verify-share", "--grant", g2, "--passphrase-file", wrong.toString()));
    assertEquals(4, cli("verify-share", "--grant", g2, "--identity", lawyerKey));
    byte[] grant = Files.readAllBytes(Path.of(g1));
    byte[] tampered = grant.clone();
    tampered[tampered.length - 100] ^= 1; // inside the last sealed segment
    Path t = dir.resolve("tampered.grant");
    Files.write(t, tampered);
    assertEquals(3, cli("verify-share", "--grant", t.toString(), "--identity", lawyerKey,
        "--out", dir.resolve("bad.mp4").toString()));
    assertFalse(Files.exists(dir.resolve("bad.mp4")));
    Files.write(t, java.util.Arrays.copyOf(grant, 100));
    assertEquals(5, cli("verify-share", "--grant", t.toString(), "--identity", lawyerKey));
    assertEquals(2, cli("share", "--store", s, "--identity", ownerKey, "--from", "+0", "--to", "+2",
        "--reason", "no recipient", "--out", dir.resolve("g3").toString()));
    // the audit log, tampered: exit 3
    Path entry = store.resolve(AuditLog.objectName(0));
    byte[] e = Files.readAllBytes(entry);
    byte[] te = e.clone();
    te[30] ^= 1;
    Files.write(entry, te);
    assertEquals(3, cli("audit", "--store", s));
    Files.write(entry, e);
    assertEquals(0, cli("audit", "--store", s));

    collectKeys(ownerKey, lawyerKey, pass);
    collectToStringsAndExceptions(ownerKey, lawyerKey, grant);
  }

  @AfterAll
  void restore() {
    System.setErr(originalErr);
  }

  /** Writes DIR/name/viewer.key (platform-key protected) and viewer.pub; keeps the key bytes. */
  void makeIdentity(String name) throws Exception {
    List<byte[]> drawn = new ArrayList<>();
    EntropySource system = EntropySource.system();
    EntropySource recording = b -> {
      system.nextBytes(b);
      drawn.add(b.clone());
    };
    ViewerIdentity id = ViewerIdentity.generate(recording);
    byte[] scalar = drawn.get(0).clone(); // RFC 7748 clamping, as ViewerIdentity does
    scalar[0] &= (byte) 248;
    scalar[31] &= 127;
    scalar[31] |= 64;
    keys.put(name + " HPKE private key", scalar);
    keys.put(name + " signing seed", drawn.get(1).clone());
    assertEquals(id.signingKey().orElseThrow().verifyingKey(),
        SigningKey.fromSeed(SecretBytes.copyFrom(drawn.get(1), InsecureSecretAccess.get())).verifyingKey());
    Files.createDirectories(dir.resolve(name));
    id.writeTo(dir.resolve(name).resolve("viewer.key"), Secrets.protection(null));
    id.publicKey().writeTo(dir.resolve(name).resolve("viewer.pub"));
  }

  void collectKeys(String ownerKey, String lawyerKey, Path pass) throws Exception {
    // the camera key record made: the one draw whose Ed25519 key is the one the store publishes
    FileSystemSegmentStore published = new FileSystemSegmentStore(store);
    var cameraPublic = dev.obscura.crypto.trust.TrustOnFirstUseKeys.cameraKeys(published, StreamId.of("camera"));
    for (byte[] d : cliDraws) {
      if (d.length == 32) {
        SigningKey k = SigningKey.fromSeed(SecretBytes.copyFrom(d, InsecureSecretAccess.get()));
        if (cameraPublic.contains(k.verifyingKey())) {
          cameraKeys.add(k);
        }
      }
    }
    assertEquals(1, cameraKeys.size(), "the camera key the store publishes was not among the tool's draws");
    keys.put("camera signing seed", cameraKeys.get(0).seed().toByteArray(InsecureSecretAccess.get()));
    keys.putText("passphrase", Files.readString(pass).trim());
    FileSystemSegmentStore fs = new FileSystemSegmentStore(store);
    ViewerIdentity owner = ViewerIdentity.readFrom(Path.of(ownerKey), Secrets.protection(null));
    EnvelopeKeyResolver resolver = new EnvelopeKeyResolver(fs, owner);
    StreamId cam = StreamId.of("camera");
    int segments = 0;
    for (StoredObject o : fs.list(ObjectNames.segmentPrefix(cam))) {
      SegmentId id = ObjectNames.parseSegment(o.name()).orElseThrow();
      byte[] sealed = fs.readAll(o.name(), 1 << 26);
      var header = dev.obscura.crypto.segment.SegmentFormat.parseHeader(sealed);
      EpochKey ek = resolver.resolve(cam, header.epoch());
      keys.put("epoch key " + header.epoch().value(), ek.secret().toByteArray(InsecureSecretAccess.get()));
      SecretBytes sk = SegmentKeys.derive(ek, id, SealingSuite.fromId(header.suite()));
      keys.put("segment key " + id.sequence(), sk.toByteArray(InsecureSecretAccess.get()));
      new SegmentOpener().openWithSegmentKey(sealed, sk); // the key is real
      segments++;
    }
    assertEquals(4, segments);
  }

  void collectToStringsAndExceptions(String ownerKey, String lawyerKey, byte[] grant) throws Exception {
    FileSystemSegmentStore fs = new FileSystemSegmentStore(store);
    ViewerIdentity owner = ViewerIdentity.readFrom(Path.of(ownerKey), Secrets.protection(null));
    ViewerIdentity lawyer = ViewerIdentity.readFrom(Path.of(lawyerKey), Secrets.protection(null));
    SigningKey ownerSigning = owner.signingKey().orElseThrow();
    StreamId cam = StreamId.of("camera");
    EpochKey ek = new EnvelopeKeyResolver(fs, owner).resolve(cam, EpochId.of(0));
    ShareGrant g = ShareGrant.parse(grant);
    List<Object> objects = List.of(owner, lawyer, owner.publicKey(), ownerSigning,
        ownerSigning.seed(), cameraKeys.get(0), ek, ek.secret(), g, g.record(),
        new ShareVerifier().verify(grant, lawyer), new EnvelopeKeyResolver(fs, owner),
        ChainVerifier.load(fs, cam, dev.obscura.crypto.trust.TrustOnFirstUseKeys.cameraKeys(fs, cam)),
        AuditLog.verify(fs, List.of()), Argon2idParams.DEFAULT,
        SegmentKeys.derive(ek, new SegmentId(cam, 1), SealingSuite.AES_256_GCM));
    for (Object o : objects) {
      text.append(o).append('\n');
    }
    text.append(g.record().describe()).append('\n');
    // exception messages from the library directly
    List<ThrowingRunnable> failing = List.of(
        () -> new ShareVerifier().verify(grant, owner),
        () -> new EnvelopeKeyResolver(fs, lawyer).resolve(cam, EpochId.of(0)),
        () -> new SegmentOpener().openWithSegmentKey(fs.readAll(ObjectNames.segment(new SegmentId(cam, 0)), 1 << 26),
            SegmentKeys.derive(ek, new SegmentId(cam, 1), SealingSuite.AES_256_GCM)),
        () -> ShareGrant.parse(java.util.Arrays.copyOf(grant, 300)),
        () -> {
          byte[] t = grant.clone();
          t[t.length - 100] ^= 1;
          new ShareVerifier().verify(t, lawyer);
        });
    for (ThrowingRunnable r : failing) {
      try {
        r.run();
        throw new AssertionError("expected a failure");
      } catch (ObscuraException ex) {
        for (Throwable c = ex; c != null; c = c.getCause()) {
          text.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
        }
      }
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Every key found in {@code hay} (the tests' one secret scan, every 8-byte window). */
  List<String> leaks(String hay) {
    return keys.leaks(hay);
  }

  String everything() {
    return text + "\n" + errCapture.toString(StandardCharsets.UTF_8);
  }

  @Test
  void loggingWasAtTraceAndCaptured() {
    Logger log = LoggerFactory.getLogger(ShareKeyHygieneTest.class);
    assertTrue(log.isTraceEnabled(), "SLF4J simple logger is not at TRACE: the scan would prove little");
    log.trace("hygiene probe");
    assertTrue(errCapture.toString(StandardCharsets.UTF_8).contains("hygiene probe"));
    // the library logged something during the flow (recorder, chain signer, share, audit)
    String err = errCapture.toString(StandardCharsets.UTF_8);
    assertTrue(err.contains("signed chain manifest"), err);
    assertTrue(err.contains("created share grant"), err);
  }

  @Test
  void noKeyAppearsInLogsOutputMessagesOrToString() {
    assertTrue(keys.size() >= 4 + 1 + 1 + 1 + 4, keys.names().toString()); // 2 HPKE, 2 seeds, passphrase, epoch, 4 segments
    String hay = everything();
    assertTrue(hay.length() > 2000, "too little was captured to mean anything");
    List<String> leaks = leaks(hay);
    assertTrue(leaks.isEmpty(), "key material found: " + leaks);
  }

  @Test
  void theScanFindsAPlantedKey() {
    Logger log = LoggerFactory.getLogger("planted");
    byte[] epoch = keys.get("epoch key 0");
    log.trace("control: {}", HexFormat.of().withUpperCase().formatHex(epoch));
    List<String> found = leaks(everything());
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("epoch key 0 as "));
    // and every form is detected
    for (String form : SecretScan.forms(keys.get("segment key 2"))) {
      assertFalse(leaks("x" + form + "y").isEmpty(), form);
    }
    // an 8-byte window from the middle of a key, alone, is found too
    byte[] seg = keys.get("segment key 2");
    assertFalse(leaks("x" + HexFormat.of().formatHex(seg, 9, 17) + "y").isEmpty(), "an 8-byte hex window");
    assertFalse(leaks("x" + Base64.getEncoder().withoutPadding()
        .encodeToString(java.util.Arrays.copyOfRange(seg, 5, 13)) + "y").isEmpty(), "an 8-byte base64 window");
    assertTrue(leaks("x" + HexFormat.of().formatHex(seg, 9, 16) + "y").isEmpty(), "7 bytes are not a window");
    // remove the planted line again so the order of tests does not matter
    String cleaned = errCapture.toString(StandardCharsets.UTF_8)
        .replace(HexFormat.of().withUpperCase().formatHex(epoch), "");
    errCapture.reset();
    errCapture.writeBytes(cleaned.getBytes(StandardCharsets.UTF_8));
  }
}
