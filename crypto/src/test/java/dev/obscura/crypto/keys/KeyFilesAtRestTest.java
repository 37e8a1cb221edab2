package dev.obscura.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.ObscuraException;
import dev.obscura.transport.testing.SecretScan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private keys at rest are encrypted: no raw key bytes in the file; a wrong secret is a typed error. */
class KeyFilesAtRestTest {
  /** Cheap costs so tests run fast: below the floor, so read only with {@link #TEST_FLOOR}. */
  static final Argon2idParams FAST = Argon2idParams.of(1024, 1, 1);
  static final Argon2idParams.Floor TEST_FLOOR = Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS;

  @TempDir Path dir;

  static byte[] x25519(ViewerIdentity id, Path file, KeyProtection p) throws Exception {
    String text = Files.readString(file);
    var handle = ProtectedKeysets.open(file, text, ViewerIdentity.FILE_HEADER_V3, p);
    var k = (com.google.crypto.tink.hybrid.HpkePrivateKey) handle.getPrimary().getKey();
    return k.getPrivateKeyBytes().toByteArray(com.google.crypto.tink.InsecureSecretKeyAccess.get());
  }

  private static void assertNoRawSecret(Path file, byte[]... secrets) throws Exception {
    String text = Files.readString(file, StandardCharsets.ISO_8859_1);
    for (byte[] s : secrets) {
      ViewerKeysTest.assertNoLeak(text, s);
    }
  }

  @Test
  void passphraseProtectedIdentity() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(7));
    PassphraseProtection right = KeyProtection.passphrase("tr0ub4dor".toCharArray()).withArgon2id(FAST)
        .withArgon2idFloor(TEST_FLOOR);
    Path f = dir.resolve("phone.key");
    id.writeTo(f, right);
    byte[] seed = id.signingKey().orElseThrow().seed().toByteArray(InsecureSecretAccess.get());
    assertNoRawSecret(f, x25519(id, f, right), seed);
    assertTrue(Files.readString(f).startsWith("obscura-viewer-identity v3\n"));
    assertTrue(Files.readString(f).contains("\nprotection argon2id\n"));
    if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
    ViewerIdentity back = ViewerIdentity.readFrom(f,
        KeyProtection.passphrase("tr0ub4dor".toCharArray()).withArgon2idFloor(TEST_FLOOR));
    assertEquals(id.publicKey(), back.publicKey());
    assertArrayEquals(seed, back.signingKey().orElseThrow().seed().toByteArray(InsecureSecretAccess.get()));

    WrongPassphraseException wrong = assertThrows(WrongPassphraseException.class,
        () -> ViewerIdentity.readFrom(f,
            KeyProtection.passphrase("tr0ub4dor!".toCharArray()).withArgon2idFloor(TEST_FLOOR)));
    assertFalse(wrong.getMessage().contains("tr0ub4dor"));
    assertThrows(WrongPassphraseException.class,
        () -> ViewerIdentity.readFrom(f, KeyProtection.platformKey(dir.resolve("p.key"))));
  }

  @Test
  void passphraseCostsBelowTheFloorAreRefusedWhenReading() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(10));
    char[] pw = "tr0ub4dor".toCharArray();
    Path cheap = dir.resolve("cheap.key");
    id.writeTo(cheap, KeyProtection.passphrase(pw).withArgon2id(FAST)); // tests may write them
    // the default reader refuses the file, naming the field, before any derivation (so before
    // it even notices that no passphrase was given)
    for (KeyProtection reader : new KeyProtection[] {KeyProtection.passphrase(pw),
        KeyProtection.firstOf(KeyProtection.platformKey(dir.resolve("p.key")), KeyProtection.passphrase(pw))}) {
      KeyFileException e = assertThrows(KeyFileException.class, () -> ViewerIdentity.readFrom(cheap, reader));
      assertEquals(KeyFileException.Reason.MALFORMED, e.reason());
      assertTrue(e.getMessage().contains("Argon2id memory m=1024 KiB is below the floor of 19456 KiB"),
          e.getMessage());
    }
    assertEquals(Argon2idParams.Floor.DEFAULT, KeyProtection.passphrase(pw).argon2idFloor());
    // only an explicit test floor reads it
    assertEquals(id.publicKey(),
        ViewerIdentity.readFrom(cheap, KeyProtection.passphrase(pw).withArgon2idFloor(TEST_FLOOR)).publicKey());
    // each field on its own, and the floor itself is accepted by the default reader
    String text = Files.readString(cheap);
    int[][] costs = {{19455, 2, 1}, {19456, 1, 1}};
    String[] problems = {
      "Argon2id memory m=19455 KiB is below the floor of 19456 KiB",
      "Argon2id iterations t=1 is below the floor of 2",
    };
    for (int i = 0; i < costs.length; i++) {
      Path b = dir.resolve("weak.key");
      Files.writeString(b, withCosts(text, costs[i]));
      KeyFileException e = assertThrows(KeyFileException.class,
          () -> ViewerIdentity.readFrom(b, KeyProtection.passphrase(pw)));
      assertTrue(e.getMessage().contains(problems[i]), e.getMessage());
      Files.delete(b);
    }
    Path atFloor = dir.resolve("floor.key");
    id.writeTo(atFloor, KeyProtection.passphrase(pw).withArgon2id(Argon2idParams.of(19456, 2, 1)));
    assertEquals(id.publicKey(), ViewerIdentity.readFrom(atFloor, KeyProtection.passphrase(pw)).publicKey());
    // the maxima still apply, with any floor
    Files.writeString(dir.resolve("huge.key"), withCosts(text, new int[] {19456, 65, 1}));
    KeyFileException huge = assertThrows(KeyFileException.class, () -> ViewerIdentity.readFrom(
        dir.resolve("huge.key"), KeyProtection.passphrase(pw).withArgon2idFloor(TEST_FLOOR)));
    assertTrue(huge.getMessage().contains("bad argon2id parameters"), huge.getMessage());
    // a stronger floor may be asked for; a floor below the structural minimum may not
    assertThrows(KeyFileException.class, () -> ViewerIdentity.readFrom(atFloor,
        KeyProtection.passphrase(pw).withArgon2idFloor(new Argon2idParams.Floor(65536, 3, 1))));
    assertThrows(IllegalArgumentException.class, () -> new Argon2idParams.Floor(4, 1, 1));
    assertEquals("Argon2id iterations t=1 is below the floor of 2",
        Argon2idParams.Floor.DEFAULT.problem(Argon2idParams.of(65536, 1, 1)));
    assertEquals(null, Argon2idParams.Floor.DEFAULT.problem(Argon2idParams.DEFAULT));
  }

  @Test
  void platformKeyProtectedIdentityAndCamera() throws Exception {
    Path pk = dir.resolve("cfg/obscura/platform.key");
    KeyProtection platform = KeyProtection.platformKey(pk);
    ViewerIdentity id = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(8));
    Path f = dir.resolve("phone.key");
    id.writeTo(f, platform);
    assertTrue(Files.exists(pk));
    if (pk.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pk)));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pk.getParent())));
    }
    byte[] seed = id.signingKey().orElseThrow().seed().toByteArray(InsecureSecretAccess.get());
    assertNoRawSecret(f, x25519(id, f, platform), seed);
    assertEquals(id.publicKey(), ViewerIdentity.readFrom(f, platform).publicKey());
    Path otherKey = dir.resolve("other.key");
    KeyProtection other = KeyProtection.platformKey(otherKey);
    ViewerIdentity.generate().writeTo(dir.resolve("x.key"), other); // creates the other platform key
    assertThrows(WrongPassphraseException.class, () -> ViewerIdentity.readFrom(f, other));
    // a file protected by a passphrase, read without one
    Path g = dir.resolve("pass.key");
    id.writeTo(g, KeyProtection.passphrase("pw".toCharArray()).withArgon2id(FAST));
    assertThrows(WrongPassphraseException.class, () -> ViewerIdentity.readFrom(g, platform));

    CameraIdentity cam = CameraIdentity.generate(EntropySource.insecureDeterministicForTests(9));
    Path c = dir.resolve("camera.key");
    cam.writeTo(c, platform);
    assertNoRawSecret(c, cam.signingKey().seed().toByteArray(InsecureSecretAccess.get()));
    assertEquals(cam, CameraIdentity.readFrom(c, platform));
    assertThrows(WrongPassphraseException.class, () -> CameraIdentity.readFrom(c, other));
    SecretScan.assertNoLeak(cam + "\n" + cam.signingKey(), cam.signingKey().seed().toByteArray(InsecureSecretAccess.get()));
  }

  @Test
  void damagedEncryptedFilesAreTypedErrors() throws Exception {
    KeyProtection platform = KeyProtection.platformKey(dir.resolve("platform.key"));
    ViewerIdentity id = ViewerIdentity.generate();
    Path f = dir.resolve("id.key");
    id.writeTo(f, platform);
    String text = Files.readString(f);
    String[] bad = {
      text.substring(0, text.length() / 2),
      text.replace("protection platform-key", "protection platform-kex"),
      text.replace("protection platform-key", "protection argon2id"),
      text.replace("protection platform-key", "protection Platform_Key"),
      text.replaceAll("(?m)^protection .*$", "protection argon2id m=1024 t=1 p=1 salt=AAAAAAAAAAAAAAAAAAAAAA=="),
      text.replaceAll("(?m)^([A-Za-z0-9+/=]{20,})$", "AAAA$1"),
      text.replaceAll("(?m)^([A-Za-z0-9+/=]{20,})$", "$1!"),
    };
    for (int i = 0; i < bad.length; i++) {
      Path b = dir.resolve("bad" + i + ".key");
      Files.writeString(b, bad[i]);
      ObscuraException e = assertThrows(ObscuraException.class,
          () -> ViewerIdentity.readFrom(b, KeyProtection.passphrase("x".toCharArray())));
      assertTrue(e instanceof KeyFileException || e instanceof WrongPassphraseException, e.toString());
    }
  }

  /** {@code text} (a v3 argon2id file) with other Argon2id costs in its wrapped bytes. */
  static String withCosts(String text, int[] mtp) {
    String[] lines = text.split("\n");
    int last = lines.length - 1;
    byte[] w = java.util.Base64.getDecoder().decode(lines[last]);
    java.nio.ByteBuffer.wrap(w, 1, 12).putInt(mtp[0]).putInt(mtp[1]).putInt(mtp[2]);
    lines[last] = java.util.Base64.getEncoder().encodeToString(w);
    return String.join("\n", lines) + "\n";
  }
}
