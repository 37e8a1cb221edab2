package dev.obscura.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.hybrid.HpkePrivateKey;
import com.google.crypto.tink.subtle.AesGcmJce;
import dev.obscura.core.EntropySource;
import dev.obscura.core.ObscuraException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@link KeyProtection} round-trips an identity through bytes, streams and files; each
 * other protection fails with a typed exception that names no key byte; a tampered wrapped key
 * fails closed. Runs on {@code tink} and on {@code tink-android} (crypto's POM).
 */
class KeyProtectionTest {
  static final Argon2idParams FAST = Argon2idParams.of(1024, 1, 1);

  @TempDir Path dir;

  static Aead keystoreStandIn() throws Exception {
    return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
        .getPrimitive(RegistryConfiguration.get(), Aead.class);
  }

  @BeforeAll
  static void tink() throws Exception {
    AeadConfig.register();
  }

  /** One of each protection, by name; each has its own secret. */
  private Map<String, KeyProtection> protections() throws Exception {
    Map<String, KeyProtection> m = new LinkedHashMap<>();
    m.put("passphrase", KeyProtection.passphrase("correct horse".toCharArray()).withArgon2id(FAST)
        .withArgon2idFloor(Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS));
    m.put("platform-key", KeyProtection.platformKey(dir.resolve("platform.key")));
    m.put("aead", KeyProtection.aead("android-keystore", keystoreStandIn()));
    return m;
  }

  private static byte[] hpkeKey(ViewerIdentity id, KeyProtection p) throws Exception {
    byte[] file = id.toProtectedBytes(p);
    String text = new String(file, StandardCharsets.UTF_8);
    KeysetHandle h = ProtectedKeysets.open(null, text, ViewerIdentity.FILE_HEADER_V3, p);
    for (int i = 0; i < h.size(); i++) {
      if (h.getAt(i).getKey() instanceof HpkePrivateKey k) {
        return k.getPrivateKeyBytes().toByteArray(InsecureSecretKeyAccess.get());
      }
    }
    throw new AssertionError("no HPKE key");
  }

  @Test
  void eachProtectionRoundTripsThroughBytesStreamsAndFiles() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(31));
    CameraIdentity cam = CameraIdentity.generate(EntropySource.insecureDeterministicForTests(32));
    for (Map.Entry<String, KeyProtection> e : protections().entrySet()) {
      KeyProtection p = e.getValue();
      byte[] file = id.toProtectedBytes(p);
      String text = new String(file, StandardCharsets.UTF_8);
      assertTrue(text.startsWith("obscura-viewer-identity v3\n"), e.getKey());
      assertTrue(text.contains("\nprotection " + p.scheme() + "\n"), e.getKey());
      ViewerKeysTest.assertNoLeak(text, hpkeKey(id, p));
      assertEquals(id.publicKey(), ViewerIdentity.fromProtectedBytes(file, p).publicKey(), e.getKey());
      assertArrayEquals(id.signingKey().get().seed().toByteArray(InsecureSecretAccess.get()),
          ViewerIdentity.fromProtectedBytes(file, p).signingKey().get().seed().toByteArray(InsecureSecretAccess.get()));

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      id.writeTo(out, p);
      assertEquals(id.publicKey(), ViewerIdentity.readFrom(new ByteArrayInputStream(out.toByteArray()), p).publicKey());

      Path f = dir.resolve(e.getKey() + ".key");
      id.writeTo(f, p);
      assertEquals(id.publicKey(), ViewerIdentity.readFrom(f, p).publicKey());

      byte[] camFile = cam.toProtectedBytes(p);
      assertEquals(cam, CameraIdentity.fromProtectedBytes(camFile, p));
      Path c = dir.resolve(e.getKey() + ".camera.key");
      cam.writeTo(c, p);
      assertEquals(cam, CameraIdentity.readFrom(c, p));
    }
  }

  @Test
  void theWrongProtectionIsATypedErrorThatNamesNoKeyByte() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(33));
    Map<String, KeyProtection> right = protections();
    List<KeyProtection> wrong = new ArrayList<>(right.values());
    // the same schemes with other secrets
    wrong.add(KeyProtection.passphrase("correct horsf".toCharArray())
        .withArgon2idFloor(Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS));
    wrong.add(KeyProtection.platformKey(dir.resolve("other-platform.key")));
    wrong.get(wrong.size() - 1).wrap(new byte[1], new byte[0]); // creates the other platform key
    wrong.add(KeyProtection.aead("android-keystore", keystoreStandIn()));
    for (Map.Entry<String, KeyProtection> e : right.entrySet()) {
      byte[] file = id.toProtectedBytes(e.getValue());
      byte[] secret = hpkeKey(id, e.getValue());
      for (KeyProtection w : wrong) {
        if (w == e.getValue()) {
          continue;
        }
        WrongPassphraseException x = assertThrows(WrongPassphraseException.class,
            () -> ViewerIdentity.fromProtectedBytes(file, w), e.getKey() + " opened with " + w);
        ViewerKeysTest.assertNoLeak(ViewerKeysTest.fullText(x), secret);
        assertTrue(!x.getMessage().contains("correct horse"), x.getMessage());
      }
    }
  }

  @Test
  void aTamperedWrappedKeyFailsClosed() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(34));
    for (Map.Entry<String, KeyProtection> e : protections().entrySet()) {
      KeyProtection p = e.getValue();
      String text = new String(id.toProtectedBytes(p), StandardCharsets.UTF_8);
      String[] lines = text.split("\n");
      byte[] wrapped = Base64.getDecoder().decode(lines[lines.length - 1]);
      byte[] secret = hpkeKey(id, p);
      // every byte of the header region, and a spread of the rest
      for (int i = 0; i < wrapped.length; i += i < 40 ? 1 : 7) {
        byte[] bad = wrapped.clone();
        bad[i] ^= 0x01;
        lines[lines.length - 1] = Base64.getEncoder().encodeToString(bad);
        byte[] file = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
          ViewerIdentity.fromProtectedBytes(file, p);
          fail(e.getKey() + ": accepted a wrapped key with byte " + i + " flipped");
        } catch (WrongPassphraseException | KeyFileException x) {
          ViewerKeysTest.assertNoLeak(ViewerKeysTest.fullText(x), secret);
        }
      }
      // cut short, and moved into another kind of key file (the associated data names the kind)
      lines[lines.length - 1] = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(wrapped, wrapped.length - 1));
      byte[] cut = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
      assertThrows(WrongPassphraseException.class, () -> ViewerIdentity.fromProtectedBytes(cut, p), e.getKey());
      byte[] moved = text.replace("obscura-viewer-identity v3", "obscura-camera-identity v3").getBytes(StandardCharsets.UTF_8);
      assertThrows(WrongPassphraseException.class, () -> CameraIdentity.fromProtectedBytes(moved, p), e.getKey());
    }
  }

  @Test
  void aCombinationWritesWithTheFirstAndReadsWhicheverTheFileNames() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(35));
    Map<String, KeyProtection> p = protections();
    KeyProtection both = KeyProtection.firstOf(p.get("passphrase"), p.get("platform-key"));
    assertEquals("argon2id", both.scheme());
    byte[] underPlatform = id.toProtectedBytes(p.get("platform-key"));
    assertEquals(id.publicKey(), ViewerIdentity.fromProtectedBytes(underPlatform, both).publicKey());
    byte[] underBoth = id.toProtectedBytes(both);
    assertTrue(new String(underBoth, StandardCharsets.UTF_8).contains("\nprotection argon2id\n"));
    assertEquals(id.publicKey(), ViewerIdentity.fromProtectedBytes(underBoth, p.get("passphrase")).publicKey());
    WrongPassphraseException x = assertThrows(WrongPassphraseException.class,
        () -> ViewerIdentity.fromProtectedBytes(id.toProtectedBytes(p.get("aead")), both));
    assertTrue(x.getMessage().contains("protected by android-keystore"), x.getMessage());
  }

  @Test
  void schemeNamesAreChecked() throws Exception {
    Aead aead = keystoreStandIn();
    for (String bad : new String[] {"", "Android", "a b", "-x", "x".repeat(33), "key\nprotection"}) {
      assertThrows(IllegalArgumentException.class, () -> KeyProtection.aead(bad, aead), bad);
    }
    KeyProtection lying = new KeyProtection() {
      @Override
      public String scheme() {
        return "two words";
      }

      @Override
      public byte[] wrap(byte[] secret, byte[] associatedData) {
        return secret.clone();
      }

      @Override
      public byte[] unwrap(byte[] wrapped, byte[] associatedData) {
        return wrapped.clone();
      }
    };
    assertThrows(IllegalArgumentException.class, () -> ViewerIdentity.generate().toProtectedBytes(lying));
  }

  /** Version-2 files (issue 7's platform-key format) still open. */
  @Test
  void version2PlatformKeyFilesStillOpen() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(36));
    PlatformKeyFile platform = KeyProtection.platformKey(dir.resolve("platform.key"));
    platform.wrap(new byte[1], new byte[0]); // creates the platform key
    byte[] key = platform.readKey(false);
    String header = ViewerIdentity.FILE_HEADER_V2;
    String line = "protection platform-key id=" + PlatformKeyFile.legacyId(key);
    KeysetHandle handle = ProtectedKeysets.open(null, new String(id.toProtectedBytes(platform), StandardCharsets.UTF_8),
        ViewerIdentity.FILE_HEADER_V3, platform);
    String json = TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(handle, new AesGcmJce(key),
        (header + "\n" + line).getBytes(StandardCharsets.UTF_8), RegistryConfiguration.get());
    Path f = dir.resolve("v2.key");
    Files.writeString(f, header + "\n# fingerprint\n" + line + "\n" + json + "\n");
    assertEquals(id.publicKey(), ViewerIdentity.readFrom(f, platform).publicKey());
    PlatformKeyFile other = KeyProtection.platformKey(dir.resolve("other.key"));
    other.wrap(new byte[1], new byte[0]);
    ObscuraException x = assertThrows(WrongPassphraseException.class, () -> ViewerIdentity.readFrom(f, other));
    ViewerKeysTest.assertNoLeak(ViewerKeysTest.fullText(x), key);
  }
}
