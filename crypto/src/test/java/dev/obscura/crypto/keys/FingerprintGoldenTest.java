package dev.obscura.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.crypto.sign.VerifyingKey;
import org.junit.jupiter.api.Test;

/**
 * Golden safety numbers and key ids of fixed raw keys, computed outside Java (Python's hashlib:
 * SHA-256 of label || key, six groups of five digits): a change here is a format change.
 */
class FingerprintGoldenTest {
  private static byte[] bytes(int from) {
    byte[] b = new byte[32];
    for (int i = 0; i < 32; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  @Test
  void ed25519Key() {
    VerifyingKey k = VerifyingKey.fromRawBytes(bytes(1));
    assertEquals("58257 26275 69299 68130 47671 94086", k.fingerprint());
    assertEquals("ae216c2ef5247a3782c135efa279a3e4", k.keyIdHex());
  }

  @Test
  void x25519KeyOfVersion1() {
    ViewerPublicKey k = ViewerPublicKey.fromRawBytes(bytes(1));
    assertEquals("75712 85260 71415 21838 70288 21464", k.fingerprint());
    assertEquals("ae216c2ef5247a3782c135efa279a3e4", k.keyIdHex());
  }

  @Test
  void deviceKey() {
    ViewerPublicKey k = ViewerPublicKey.fromRawBytes(bytes(1), VerifyingKey.fromRawBytes(bytes(33)));
    assertEquals("32148 80864 19336 48937 50857 35421", k.fingerprint());
  }
}
