package dev.obscura.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.hybrid.HpkePrivateKey;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewerKeysTest {
  @TempDir Path dir;

  private static final StreamId STREAM = StreamId.of("front-door");
  private static final EnvelopeHeader HEADER =
      new EnvelopeHeader(STREAM, EpochId.of(7), Instant.parse("2026-11-26T12:00:00Z"));

  /** The platform key these tests write identities under. */
  private KeyProtection prot() {
    return KeyProtection.platformKey(dir.resolve("platform.key"));
  }

  /**
   * The unwrapped keyset inside a (v3) identity file written under the platform key beside it,
   * read with Tink (test only).
   */
  static KeysetHandle decryptedKeyset(Path identityFile) throws Exception {
    String text = Files.readString(identityFile);
    return ProtectedKeysets.open(identityFile, text, ViewerIdentity.FILE_HEADER_V3,
        KeyProtection.platformKey(identityFile.resolveSibling("platform.key")));
  }

  /** The same identity as a version-1 (cleartext) file text. */
  static String v1Text(Path identityFile) throws Exception {
    return "obscura-viewer-identity v1\n" + TinkJsonProtoKeysetFormat.serializeKeyset(
        decryptedKeyset(identityFile), com.google.crypto.tink.RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
  }

  /** The raw X25519 private key inside an identity file, read with Tink (test only). */
  static byte[] rawPrivateKey(Path identityFile) throws Exception {
    KeysetHandle h = decryptedKeyset(identityFile);
    HpkePrivateKey k = (HpkePrivateKey) h.getPrimary().getKey();
    return k.getPrivateKeyBytes().toByteArray(InsecureSecretKeyAccess.get());
  }

  /** Fails if {@code text} shows any 8-byte window of {@code secret} (the tests' one secret scan). */
  static void assertNoLeak(String text, byte[] secret) {
    dev.obscura.transport.testing.SecretScan.assertNoLeak(text, secret);
  }

  static String fullText(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return t.toString() + "\n" + w;
  }

  @Test
  void generatedKeysWrapAndUnwrap() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate();
    EpochKey key = EpochKey.generate(STREAM, EpochId.of(7), EntropySource.system());
    Stanza s = id.publicKey().wrap(key, HEADER.toBytes());
    assertEquals(Stanza.TYPE_HPKE_X25519, s.type());
    assertEquals(96, s.bodyLength());
    assertArrayEquals(id.publicKey().keyId(), Arrays.copyOf(s.body(), 16));
    Optional<EpochKey> back = id.unwrap(List.of(s), HEADER);
    assertTrue(back.isPresent());
    assertTrue(back.get().secret().equalsSecretBytes(key.secret()));
    assertEquals(STREAM, back.get().stream());
    assertEquals(EpochId.of(7), back.get().epoch());
    // wrapping is randomized
    assertNotEquals(s, id.publicKey().wrap(key, HEADER.toBytes()));
    assertEquals(Optional.empty(), ViewerIdentity.generate().unwrap(List.of(s), HEADER));
  }

  @Test
  void keyIdAndFingerprintAreDerivedFromThePublicKey() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1));
    byte[] pub = id.publicKey().rawBytes();
    assertEquals(32, pub.length);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(pub);
    assertArrayEquals(Arrays.copyOf(digest, 16), id.publicKey().keyId());
    assertEquals(HexFormat.of().formatHex(digest, 0, 16), id.publicKey().keyIdHex());
    String fp = id.fingerprint();
    assertTrue(fp.matches("\\d{5}( \\d{5}){5}"), fp);
    assertEquals(fp, ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1)).fingerprint());
    assertNotEquals(fp, ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(2)).fingerprint());
    assertEquals("ViewerIdentity[" + fp + "]", id.toString());
    assertEquals("ViewerPublicKey[" + fp + "]", id.publicKey().toString());
    assertEquals(id.publicKey(), ViewerPublicKey.fromRawBytes(pub, id.publicKey().verifyingKey().orElseThrow()));
    assertThrows(IllegalArgumentException.class, () -> ViewerPublicKey.fromRawBytes(new byte[31]));
    // small-order points (RFC 7748 / Tink's list): 0, 1, and an order-8 point
    assertThrows(IllegalArgumentException.class, () -> ViewerPublicKey.fromRawBytes(new byte[32]));
    byte[] one = new byte[32];
    one[0] = 1;
    assertThrows(IllegalArgumentException.class, () -> ViewerPublicKey.fromRawBytes(one));
    byte[] order8 =
        HexFormat.of().parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
    assertThrows(IllegalArgumentException.class, () -> ViewerPublicKey.fromRawBytes(order8));
  }

  @Test
  void identityFileIsCreatedWithMode0600AndRoundTrips() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate();
    Path file = dir.resolve("phone.key");
    id.writeTo(file, prot());
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
    String text = Files.readString(file);
    assertTrue(text.startsWith("obscura-viewer-identity v3\n"), text);
    ViewerIdentity back = ViewerIdentity.readFrom(file, prot());
    assertEquals(id.publicKey(), back.publicKey());
    EpochKey key = EpochKey.generate(STREAM, EpochId.of(7), EntropySource.system());
    Stanza s = id.publicKey().wrap(key, HEADER.toBytes());
    assertTrue(back.unwrap(List.of(s), HEADER).orElseThrow().secret().equalsSecretBytes(key.secret()));
    assertThrows(FileAlreadyExistsException.class, () -> ViewerIdentity.generate().writeTo(file, prot()));
    assertEquals(id.publicKey(), ViewerIdentity.readFrom(file, prot()).publicKey(), "not overwritten");
  }

  @Test
  void publicKeyFileRoundTripsAndIsDocumentedText() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate();
    Path file = dir.resolve("phone.pub");
    id.publicKey().writeTo(file);
    List<String> lines = Files.readAllLines(file);
    assertEquals("obscura-viewer-public-key v1", lines.get(0));
    assertEquals("# fingerprint " + id.fingerprint(), lines.get(1));
    assertEquals("hpke-x25519 " + Base64.getEncoder().encodeToString(id.publicKey().rawBytes()), lines.get(2));
    assertEquals(id.publicKey(), ViewerPublicKey.readFrom(file));
    // unknown keywords and comments are ignored; CRLF is accepted
    Path grown = dir.resolve("grown.pub");
    Files.writeString(grown, "obscura-viewer-public-key v1\r\n\r\n# hi\r\nfuture-key AAAA\r\n" + lines.get(2) + "\r\n");
    assertArrayEquals(id.publicKey().rawBytes(), ViewerPublicKey.readFrom(grown).rawBytes());
  }

  @Test
  void badMissingAndWrongKindFilesAreTypedErrors() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate();
    Path key = dir.resolve("id.key");
    Path pub = dir.resolve("id.pub");
    id.writeTo(key, prot());
    id.publicKey().writeTo(pub);
    byte[] secret = rawPrivateKey(key);

    assertReason(KeyFileException.Reason.WRONG_KIND, () -> ViewerIdentity.readFrom(pub, prot()), secret);
    assertReason(KeyFileException.Reason.WRONG_KIND, () -> ViewerPublicKey.readFrom(key), secret);
    assertReason(KeyFileException.Reason.MISSING, () -> ViewerIdentity.readFrom(dir.resolve("nope"), prot()), secret);
    assertReason(KeyFileException.Reason.MISSING, () -> ViewerPublicKey.readFrom(dir.resolve("nope")), secret);

    String keyText = v1Text(key);
    List<String> badIdentities =
        List.of(
            "",
            "hello",
            "obscura-viewer-identity v2\n{}",
            "obscura-viewer-identity v1\n",
            "obscura-viewer-identity v1\n{not json",
            keyText.substring(0, keyText.length() / 2),
            keyText.replace("\"value\":\"", "\"value\":\"AA"),
            "obscura-viewer-identity v1\n" + "x".repeat(70_000));
    int i = 0;
    for (String bad : badIdentities) {
      Path f = dir.resolve("bad" + i++ + ".key");
      Files.writeString(f, bad);
      try {
        assertReason(KeyFileException.Reason.MALFORMED, () -> ViewerIdentity.readFrom(f, prot()), secret);
      } catch (AssertionError e) {
        throw new AssertionError("bad identity #" + (i - 1) + ": " + e.getMessage(), e);
      }
    }
    Path binary = dir.resolve("binary.key");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    assertReason(KeyFileException.Reason.MALFORMED, () -> ViewerIdentity.readFrom(binary, prot()), secret);

    String pubText = Files.readString(pub);
    for (String bad :
        List.of(
            "obscura-viewer-public-key v1\n",
            "obscura-viewer-public-key v1\nhpke-x25519 AAAA\n",
            "obscura-viewer-public-key v1\nhpke-x25519 !!!\n",
            "obscura-viewer-public-key v1\nnospace\n",
            "obscura-viewer-public-key v1\nhpke-x25519 " + Base64.getEncoder().encodeToString(new byte[32]) + "\n",
            pubText + pubText.substring(pubText.indexOf("hpke-x25519")),
            "obscura-viewer-public-key v9\n")) {
      Path f = dir.resolve("bad" + i++ + ".pub");
      Files.writeString(f, bad);
      assertReason(KeyFileException.Reason.MALFORMED, () -> ViewerPublicKey.readFrom(f), secret);
    }
  }

  @Test
  void keysetOfAnotherKindIsWrongKind() throws Exception {
    com.google.crypto.tink.aead.AeadConfig.register();
    KeysetHandle aead =
        KeysetHandle.newBuilder()
            .addEntry(
                KeysetHandle.generateEntryFromParameters(
                        com.google.crypto.tink.aead.PredefinedAeadParameters.AES256_GCM)
                    .withRandomId()
                    .makePrimary())
            .build();
    Path f = dir.resolve("aead.key");
    Files.writeString(
        f, "obscura-viewer-identity v1\n" + TinkJsonProtoKeysetFormat.serializeKeyset(aead, com.google.crypto.tink.RegistryConfiguration.get(), InsecureSecretKeyAccess.get()));
    assertReason(KeyFileException.Reason.WRONG_KIND, () -> ViewerIdentity.readFrom(f, prot()), new byte[32]);
  }

  interface Call {
    void run() throws Exception;
  }

  private static void assertReason(KeyFileException.Reason reason, Call call, byte[] secret) {
    KeyFileException e = assertThrows(KeyFileException.class, call::run);
    assertEquals(reason, e.reason(), e.getMessage());
    assertNoLeak(fullText(e), secret);
  }

  @Test
  void toStringAndErrorsNeverContainPrivateKeyBytes() throws Exception {
    ViewerIdentity id = ViewerIdentity.generate();
    Path key = dir.resolve("leak.key");
    id.writeTo(key, prot());
    byte[] secret = rawPrivateKey(key);
    assertEquals(32, secret.length);
    assertNoLeak(id.toString(), secret);
    assertNoLeak(id.publicKey().toString(), secret);
    EpochKey epochKey = EpochKey.generate(STREAM, EpochId.of(7), EntropySource.system());
    byte[] epochBytes = epochKey.secret().toByteArray(InsecureSecretAccess.get());
    Stanza s = id.publicKey().wrap(epochKey, HEADER.toBytes());
    assertNoLeak(s.toString(), epochBytes);
    assertNoLeak(epochKey.toString(), epochBytes);
    byte[] body = s.body();
    body[50] ^= 1;
    Exception e =
        assertThrows(
            dev.obscura.core.IntegrityException.class,
            () -> id.unwrap(List.of(new Stanza(1, body)), HEADER));
    assertNoLeak(fullText(e), secret);
    assertNoLeak(fullText(e), epochBytes);
  }
}
