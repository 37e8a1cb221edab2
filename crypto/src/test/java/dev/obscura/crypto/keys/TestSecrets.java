package dev.obscura.crypto.keys;


import java.nio.file.Path;
import java.util.List;

/** Test helpers to get at raw secrets and to scan text for them. */
public final class TestSecrets {
  private TestSecrets() {}

  /** The raw X25519 private key inside an identity file. */
  public static byte[] rawPrivateKey(Path identityFile) throws Exception {
    return ViewerKeysTest.rawPrivateKey(identityFile);
  }

  public static byte[] raw(EpochKey key) {
    return key.secret().toByteArray(InsecureSecretAccess.get());
  }

  public static List<String> encodings(byte[] secret) {
    return ViewerKeysTest.encodings(secret);
  }

  /** Fails if {@code text} contains {@code secret} in hex, base64, or an 8-byte hex window. */
  public static void assertNoLeak(String text, byte[] secret) {
    ViewerKeysTest.assertNoLeak(text, secret);
  }

  public static String fullText(Throwable t) {
    return ViewerKeysTest.fullText(t);
  }

}
