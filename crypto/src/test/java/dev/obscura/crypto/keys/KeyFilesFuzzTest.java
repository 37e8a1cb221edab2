package dev.obscura.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EntropySource;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes every reader of key files a user is handed with the same arbitrary bytes: the viewer
 * public key file, the camera public key file, the viewer and camera identity files (v1, v2 and
 * v3; platform-key and passphrase protection) and the platform key file itself. Only the
 * documented {@link KeyFileException} and {@link WrongPassphraseException} may escape (and for
 * the platform key file, whose reader reports damage as {@link IOException}, that); what parses
 * is written back and read again to an equal key.
 *
 * <p>Argon2id stays cheap here: the fuzzer's file may name costs up to the bounds (256 MiB, 16
 * passes), which {@link Argon2idParams} checks before any derivation; running a 256 MiB KDF per
 * input would measure Argon2, not the parser. So when an input names costs above 64 KiB or 2
 * passes, the target asserts that they are within the bounds and reads the file with a
 * protection that has no passphrase (the reader must then refuse it typed, without deriving).
 */
class KeyFilesFuzzTest {
  private static final Path DIR;
  private static final Path PUB;
  private static final PlatformKeyFile PLATFORM;
  private static final KeyProtection WITH_PASSPHRASE;
  private static final KeyProtection PLATFORM_ONLY;
  private static final Pattern V2_COSTS = Pattern.compile("m=(\\d{1,9}) t=(\\d{1,9}) p=(\\d{1,9})");
  private static int written;

  static {
    try {
      DIR = Files.createTempDirectory("keyfiles-fuzz");
      DIR.toFile().deleteOnExit();
      PUB = DIR.resolve("fuzzed");
      // a fixed platform key (deterministic entropy): the committed seeds are wrapped under it
      PLATFORM = PlatformKeyFile.at(DIR.resolve("platform.key"))
          .withEntropy(EntropySource.insecureDeterministicForTests(4242));
      byte[] k = PLATFORM.readKey(true);
      java.util.Arrays.fill(k, (byte) 0);
      WITH_PASSPHRASE = KeyProtection.firstOf(PLATFORM,
          PassphraseProtection.of("fuzz".toCharArray()).withArgon2id(Argon2idParams.of(8, 1, 1))
              .withArgon2idFloor(Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS)
              .withEntropy(EntropySource.insecureDeterministicForTests(1)));
      PLATFORM_ONLY = PLATFORM;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void readKeyFiles(byte[] data) throws IOException {
    Path f = PUB.resolveSibling("in-" + (written++ % 2));
    Files.deleteIfExists(f);
    Files.write(f, data);
    viewerPublicKey(f);
    cameraPublicKey(f);
    KeyProtection protection = cheapArgon2(data) ? WITH_PASSPHRASE : PLATFORM_ONLY;
    viewerIdentity(data, protection);
    cameraIdentity(data, protection);
    platformKey(f);
  }

  private static void viewerPublicKey(Path f) throws IOException {
    ViewerPublicKey k;
    try {
      k = ViewerPublicKey.readFrom(f);
    } catch (KeyFileException expected) {
      return;
    }
    Path again = fresh("vpub");
    k.writeTo(again);
    try {
      ViewerPublicKey back = ViewerPublicKey.readFrom(again);
      assertEquals(k, back);
      assertEquals(k.fingerprint(), back.fingerprint());
    } catch (KeyFileException e) {
      throw new AssertionError("a written viewer public key does not read back", e);
    }
  }

  private static void cameraPublicKey(Path f) throws IOException {
    VerifyingKey k;
    try {
      k = CameraIdentity.readPublicKey(f);
    } catch (KeyFileException expected) {
      return;
    }
    Path again = fresh("cpub");
    CameraIdentity.writePublicKey(k, again);
    try {
      assertEquals(k, CameraIdentity.readPublicKey(again));
    } catch (KeyFileException e) {
      throw new AssertionError("a written camera public key does not read back", e);
    }
  }

  private static void viewerIdentity(byte[] data, KeyProtection protection) throws IOException {
    ViewerIdentity id;
    try {
      id = ViewerIdentity.fromProtectedBytes(data, protection);
    } catch (KeyFileException | WrongPassphraseException expected) {
      // the stream reader must agree
      try {
        ViewerIdentity.readFrom(new ByteArrayInputStream(data), protection);
        throw new AssertionError("the stream reader accepted what the bytes reader refused");
      } catch (KeyFileException | WrongPassphraseException also) {
        return;
      }
    }
    byte[] again = id.toProtectedBytes(PLATFORM);
    try {
      ViewerIdentity back = ViewerIdentity.fromProtectedBytes(again, PLATFORM);
      assertEquals(id.publicKey(), back.publicKey());
      assertEquals(id.signingKey().isPresent(), back.signingKey().isPresent());
      if (id.signingKey().isPresent()) {
        assertArrayEquals(id.signingKey().get().verifyingKey().rawBytes(),
            back.signingKey().get().verifyingKey().rawBytes());
      }
    } catch (KeyFileException | WrongPassphraseException e) {
      throw new AssertionError("a written viewer identity does not read back", e);
    }
  }

  private static void cameraIdentity(byte[] data, KeyProtection protection) throws IOException {
    CameraIdentity id;
    try {
      id = CameraIdentity.fromProtectedBytes(data, protection);
    } catch (KeyFileException | WrongPassphraseException expected) {
      return;
    }
    try {
      assertEquals(id, CameraIdentity.fromProtectedBytes(id.toProtectedBytes(PLATFORM), PLATFORM));
    } catch (KeyFileException | WrongPassphraseException e) {
      throw new AssertionError("a written camera identity does not read back", e);
    }
  }

  /** The platform key file reader reports a damaged file as a plain IOException (documented). */
  private static void platformKey(Path f) {
    try {
      byte[] k = PlatformKeyFile.at(f).readKey(false);
      assertEquals(32, k.length);
    } catch (IOException expected) {
      // damaged
    }
  }

  private static Path fresh(String name) throws IOException {
    Path p = DIR.resolve(name);
    Files.deleteIfExists(p);
    return p;
  }

  /**
   * Whether every Argon2id cost the input could name is cheap (at most 64 KiB and 2 passes). Costs
   * above that must still be within the structural bounds whenever {@link Argon2idParams#of}
   * accepts them.
   */
  private static boolean cheapArgon2(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    if (!text.contains("argon2id")) {
      return true;
    }
    Matcher m = V2_COSTS.matcher(text);
    while (m.find()) {
      if (!cheap(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)))) {
        return false;
      }
    }
    for (String line : text.split("\r?\n")) {
      byte[] b;
      try {
        b = Base64.getDecoder().decode(line.trim());
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (b.length >= 13) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, 1, 12);
        if (!cheap(buf.getInt() & 0xffffffffL, buf.getInt() & 0xffffffffL, buf.getInt() & 0xffffffffL)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean cheap(long m, long t, long p) {
    if (m <= 64 && t <= 2) {
      return true;
    }
    try {
      Argon2idParams a = Argon2idParams.read(m, t, p, Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS);
      if (a.memoryKib() > Argon2idParams.MAX_MEMORY_KIB || a.iterations() > Argon2idParams.MAX_ITERATIONS
          || a.parallelism() > Argon2idParams.MAX_PARALLELISM) {
        throw new AssertionError("Argon2id costs beyond the bounds accepted: " + a);
      }
    } catch (IllegalArgumentException refused) {
      // out of bounds: refused before any derivation
    }
    return false;
  }
}
