package dev.obscura.transport.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import io.nats.client.support.JwtUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Minting, files and chain verification of NATS credentials, without a server. */
class NatsCredentialsTest {
  @TempDir Path dir;

  static String body(String jwt) {
    return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
  }

  @Test
  void accountKeysAreDerivedStablyFromTheOperatorKey() throws Exception {
    NatsCredentials op = NatsCredentials.createOperator("vendor");
    Path key = dir.resolve("op.nk");
    op.writeOperatorKey(key);
    NatsCredentials again = NatsCredentials.readOperatorKey(key, "vendor");
    assertEquals(op.operatorPublicKey(), again.operatorPublicKey());
    assertEquals(op.accountPublicKey("h1"), again.accountPublicKey("h1"));
    assertNotEquals(op.accountPublicKey("h1"), op.accountPublicKey("h2"));
    assertTrue(op.accountPublicKey("h1").startsWith("A"));
    assertNotEquals(op.accountPublicKey("h1"),
        NatsCredentials.createOperator("vendor").accountPublicKey("h1"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertThrows(FileAlreadyExistsException.class, () -> op.writeOperatorKey(key));
  }

  @Test
  void cameraAndViewerJwtsAllowOnlyTheirSubjects() throws Exception {
    NatsCredentials op = NatsCredentials.createOperator("vendor");
    StreamId cam = StreamId.of("front.door");
    NatsUserCreds camera = op.camera("h1", cam);
    String cb = body(camera.jwt());
    assertTrue(cb.contains("\"obscura.live.h1.front~door.f\""), cb);
    assertTrue(cb.contains("\"$JS.API.STREAM.CREATE.OBSCURA_LIVE_h1\""), cb);
    assertTrue(cb.contains("\"_INBOX_camera-front~door.>\""), cb);
    assertFalse(cb.contains("obscura.live.h1.*"), cb);
    assertEquals("h1", camera.household().orElseThrow());
    assertEquals(op.accountPublicKey("h1"), camera.accountPublicKey());

    NatsUserCreds viewer = op.viewer("h1", "phone", cam);
    String vb = body(viewer.jwt());
    assertTrue(vb.contains("\"obscura.live.h1.front~door.*\""), vb);
    assertTrue(vb.contains("\"$JS.API.DIRECT.GET.OBSCURA_LIVE_h1.obscura.live.h1.front~door.*\""), vb);
    assertFalse(vb.contains("obscura.live.h1.front~door.f\""), "a viewer publishes no frame: " + vb);
    NatsUserCreds household = op.viewer("h1", "tablet");
    assertTrue(body(household.jwt()).contains("\"obscura.live.h1.*.*\""));

    // events: the camera publishes its own events subject and may create the events stream
    assertTrue(cb.contains("\"obscura.events.h1.front~door\""), cb);
    assertTrue(cb.contains("\"$JS.API.STREAM.CREATE.OBSCURA_EVENTS_h1\""), cb);
    assertFalse(cb.contains("obscura.events.h1.*"), cb);
    // a viewer creates consumers filtered to its cameras' events only, and pulls and acks them
    assertTrue(vb.contains("\"$JS.API.CONSUMER.CREATE.OBSCURA_EVENTS_h1.*.obscura.events.h1.front~door\""), vb);
    assertTrue(vb.contains("\"$JS.API.CONSUMER.MSG.NEXT.OBSCURA_EVENTS_h1.*\""), vb);
    assertTrue(vb.contains("\"$JS.ACK.OBSCURA_EVENTS_h1.>\""), vb);
    assertFalse(vb.contains("obscura.events.h1.front~door\",\"obscura"), "no publish of events: " + vb);
    assertFalse(vb.contains("STREAM.CREATE"), "a viewer creates no stream: " + vb);
    assertTrue(body(household.jwt()).contains("\"$JS.API.CONSUMER.CREATE.OBSCURA_EVENTS_h1.*.obscura.events.h1.*\""));
  }

  @Test
  void credsFilesRoundTripAndNeverPrintTheSeed() throws Exception {
    NatsCredentials op = NatsCredentials.createOperator("vendor");
    NatsUserCreds c = op.viewer("h1", "phone");
    Path f = dir.resolve("phone.creds");
    c.write(f);
    String text = Files.readString(f);
    String seed = text.lines().filter(l -> l.startsWith("SU")).findFirst().orElseThrow();
    assertTrue(text.contains(c.jwt()));
    NatsUserCreds back = NatsUserCreds.read(f);
    assertEquals(c.jwt(), back.jwt());
    assertEquals(c.publicKey(), back.publicKey());
    assertEquals("viewer-phone", back.userName());
    for (Object o : List.of(c, back, op, NatsLiveConfig.builder(
        List.of(java.net.URI.create("nats://127.0.0.1:4222")), back).build())) {
      assertFalse(o.toString().contains(seed), o.getClass().getSimpleName());
      assertFalse(o.toString().contains(c.jwt()), o.getClass().getSimpleName());
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertThrows(MalformedDataException.class, () -> NatsUserCreds.parse("not a creds file"));
  }

  @Test
  void verifyChainAcceptsTheRealChainAndRefusesAForgedLink() throws Exception {
    NatsCredentials op = NatsCredentials.createOperator("vendor");
    NatsUserCreds c = op.camera("h1", StreamId.of("cam"));
    String acc = op.accountJwt("h1");
    String opJwt = op.operatorJwt();
    NatsCredentials.verifyChain(c.jwt(), acc, opJwt, op.operatorPublicKey());
    assertTrue(body(acc).contains("\"mem_storage\":"), "JetStream enabled for the account");
    assertTrue(body(acc).contains("\"disk_storage\":1073741824"), "file storage for the events stream: " + body(acc));

    // another household's account did not sign this user
    assertThrows(IntegrityException.class,
        () -> NatsCredentials.verifyChain(c.jwt(), op.accountJwt("h2"), opJwt, op.operatorPublicKey()));
    // another operator's chain
    NatsCredentials other = NatsCredentials.createOperator("vendor");
    assertThrows(IntegrityException.class, () -> NatsCredentials.verifyChain(c.jwt(),
        other.accountJwt("h1"), other.operatorJwt(), op.operatorPublicKey()));
    // a user JWT with a permission widened after signing
    String[] parts = c.jwt().split("\\.");
    String widened = body(c.jwt()).replace("obscura.live.h1.cam.f", "obscura.live.>");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(widened.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    IntegrityException e = assertThrows(IntegrityException.class,
        () -> NatsCredentials.verifyChain(forged, acc, opJwt, op.operatorPublicKey()));
    assertTrue(e.getMessage().contains("bad signature"), e.getMessage());
    // the types are checked
    assertThrows(MalformedDataException.class,
        () -> NatsCredentials.verifyChain(acc, acc, opJwt, op.operatorPublicKey()));
    assertTrue(JwtUtils.getClaimBody(c.jwt()).contains("\"type\":\"user\""));
  }
}
