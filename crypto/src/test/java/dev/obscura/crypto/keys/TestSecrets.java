package dev.obscura.crypto.keys;


import java.nio.file.Path;

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

  /**
   * Fails if {@code text} shows any 8-byte window of {@code secret} as hex, base64, base64url,
   * decimal or ISO-8859-1 ({@link dev.obscura.transport.testing.SecretScan}).
   */
  public static void assertNoLeak(String text, byte[] secret) {
    ViewerKeysTest.assertNoLeak(text, secret);
  }

  public static String fullText(Throwable t) {
    return ViewerKeysTest.fullText(t);
  }

}
