package dev.obscura.crypto.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.audit.AuditHead;
import dev.obscura.crypto.roster.RosterRef;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTrustStoreTest {
  @TempDir Path tmp;
  final VerifyingKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(1)).verifyingKey();

  static byte[] filled(int n, int b) {
    byte[] out = new byte[n];
    Arrays.fill(out, (byte) b);
    return out;
  }

  static void assertSamePin(StorePin expected, StorePin actual) {
    assertEquals(expected.rosterRef(), actual.rosterRef());
    assertEquals(expected.cameraKey(), actual.cameraKey());
    assertEquals(expected.auditHead(), actual.auditHead());
  }

  @Test
  void roundTripsAPin() throws Exception {
    FileTrustStore t = new FileTrustStore(tmp.resolve("viewer.trust"));
    assertEquals(Optional.empty(), t.load("s3://bucket/home"), "no file: nothing pinned");
    StorePin pin = new StorePin(new RosterRef(7, filled(32, 0xab)), camera, new AuditHead(12, filled(32, 0xcd)));
    t.save("s3://bucket/home", pin);
    assertSamePin(pin, t.load("s3://bucket/home").orElseThrow());
    assertSamePin(pin, new FileTrustStore(t.file()).load("s3://bucket/home").orElseThrow());
    assertEquals(Optional.empty(), t.load("s3://bucket/other"));
    String text = Files.readString(t.file(), StandardCharsets.UTF_8);
    assertTrue(text.startsWith("obscura-trust v1\n"), text);
    assertFalse(text.contains("bucket"), "store names are hashed: " + text);
    // a pin with nothing but an audit head (a store without a roster)
    StorePin auditOnly = new StorePin(null, null, new AuditHead(0, filled(32, 1)));
    t.save("/srv/footage", auditOnly);
    StorePin back = t.load("/srv/footage").orElseThrow();
    assertNull(back.roster());
    assertNull(back.camera());
    assertSamePin(auditOnly, back);
    StorePin empty = new StorePin(new RosterRef(1, filled(32, 2)), null, null);
    t.save("/srv/empty", empty);
    assertSamePin(empty, t.load("/srv/empty").orElseThrow());
  }

  @Test
  void twoStoresInOneFileAreKeptApart() throws Exception {
    FileTrustStore t = new FileTrustStore(tmp.resolve("phone.trust"));
    StorePin a = new StorePin(new RosterRef(2, filled(32, 1)), camera, null);
    StorePin b = new StorePin(new RosterRef(5, filled(32, 2)), null, new AuditHead(3, filled(32, 3)));
    t.save("store-a", a);
    t.save("store-b", b);
    assertSamePin(a, t.load("store-a").orElseThrow());
    assertSamePin(b, t.load("store-b").orElseThrow());
    StorePin a2 = a.withRoster(new RosterRef(3, filled(32, 4)), camera);
    t.save("store-a", a2);
    assertSamePin(a2, t.load("store-a").orElseThrow());
    assertSamePin(b, t.load("store-b").orElseThrow(), "the other store's pin is untouched");
    List<String> lines = Files.readAllLines(t.file(), StandardCharsets.UTF_8);
    assertEquals(2, lines.stream().filter(l -> l.startsWith("store ")).count(), lines.toString());
  }

  static void assertSamePin(StorePin expected, StorePin actual, String message) {
    assertEquals(expected.rosterRef(), actual.rosterRef(), message);
    assertEquals(expected.auditHead(), actual.auditHead(), message);
  }

  @Test
  void aDamagedFileIsAClearIOException() throws Exception {
    FileTrustStore t = new FileTrustStore(tmp.resolve("viewer.trust"));
    t.save("store", new StorePin(new RosterRef(2, filled(32, 1)), camera, null));
    String good = Files.readString(t.file(), StandardCharsets.UTF_8);

    Files.writeString(t.file(), "something else\n" + good);
    IOException header = assertThrows(IOException.class, () -> t.load("store"));
    assertTrue(header.getMessage().contains("is not an Obscura trust file"), header.getMessage());

    String[] damaged = {
        good.replace(" roster 2 ", " roster two "),
        good.replace(" camera ", " kamera "),
        good.replaceFirst("store [0-9a-f]{32}", "store 1234"),
        good.replace(" audit - -", " audit -"),
        good.replace(" audit - -", " audit 1 zz"),
        good.replaceFirst("roster 2 ([0-9a-f]{64})", "roster 2 abcd"),
        good.replace("\n#", "\nstore\n#"),
    };
    for (String text : damaged) {
      Files.writeString(t.file(), text);
      IOException e = assertThrows(IOException.class, () -> t.load("store"), text);
      assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
      assertTrue(e.getMessage().matches(".*line \\d+ is damaged.*"), e.getMessage());
      // saving over a damaged file fails too, rather than silently dropping the other pins
      assertThrows(IOException.class, () -> t.save("other", new StorePin(null, null, new AuditHead(0, filled(32, 0)))));
    }

    Files.write(t.file(), new byte[(int) FileTrustStore.MAX_BYTES + 1]);
    IOException big = assertThrows(IOException.class, () -> t.load("store"));
    assertTrue(big.getMessage().contains("too large"), big.getMessage());
  }

  @Test
  void theTrustFileLivesBesideTheKeyFile() {
    Path dir = tmp.resolve("keys");
    assertEquals(dir.resolve("viewer.trust").toAbsolutePath(), FileTrustStore.besideKeyFile(dir.resolve("viewer.key")).file());
    assertEquals(dir.resolve("phone.trust").toAbsolutePath(), FileTrustStore.besideKeyFile(dir.resolve("phone.key")).file());
    assertEquals(dir.resolve("identity.trust").toAbsolutePath(), FileTrustStore.besideKeyFile(dir.resolve("identity")).file());
  }
}
