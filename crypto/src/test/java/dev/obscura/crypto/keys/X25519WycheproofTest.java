package dev.obscura.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.crypto.tink.subtle.X25519;
import dev.obscura.crypto.chunked.TestVectors;
import java.security.InvalidKeyException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every case of Wycheproof {@code x25519_test.json} through Tink's {@code subtle.X25519}, the raw
 * X25519 the SDK relies on: {@link ViewerIdentity} derives its public key with it, {@link
 * ViewerPublicKey} checks keys for small order with it, and on the JVM Tink's HPKE KEM
 * ({@code X25519HpkeKem.X25519Java}) computes DH(skR, enc) with it when a stanza is opened. (The
 * SDK never uses the JCA's XDH.)
 *
 * <p>Valid cases must give the expected shared secret. Acceptable ones (twist points,
 * non-canonical and special public keys) must give it too, except those whose shared secret is
 * all-zero (the public key has small order): those must be refused, since RFC 9180 section 7.1.4
 * requires the KEM to refuse a zero DH output, and {@link ViewerPublicKey#fromRawBytes(byte[])}
 * must refuse their public key. Every other public key in the file is accepted as a viewer key.
 */
class X25519WycheproofTest {
  private static final int VALID = 264;
  private static final int ACCEPTABLE = 254;
  private static final int ZERO_SHARED = 31;

  @Test
  void everyCase() throws Exception {
    List<TestVectors.Case> cases = TestVectors.allCases("x25519_test.json");
    int valid = 0;
    int acceptable = 0;
    int zeroShared = 0;
    for (TestVectors.Case c : cases) {
      String id = "tcId " + c.tcId() + " " + c.flags();
      byte[] priv = c.hex("private");
      byte[] pub = c.hex("public");
      byte[] shared = c.hex("shared");
      if (isZero(shared)) {
        assertEquals("acceptable", c.result(), id);
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
            () -> X25519.computeSharedSecret(priv, pub), id + ": zero shared secret not refused");
        assertThrows(IllegalArgumentException.class, () -> ViewerPublicKey.fromRawBytes(pub),
            id + ": small-order viewer key accepted");
        zeroShared++;
        acceptable++;
        continue;
      }
      if (c.result().equals("valid")) {
        valid++;
      } else {
        assertEquals("acceptable", c.result(), id);
        acceptable++;
      }
      byte[] got;
      try {
        got = X25519.computeSharedSecret(priv, pub);
      } catch (InvalidKeyException e) {
        fail(c.result() + " case refused: " + id + ": " + e.getMessage());
        return;
      }
      assertArrayEquals(shared, got, id);
      ViewerPublicKey.fromRawBytes(pub);
    }
    assertEquals(VALID, valid, "valid cases");
    assertEquals(ACCEPTABLE, acceptable, "acceptable cases");
    assertEquals(ZERO_SHARED, zeroShared, "acceptable cases with an all-zero shared secret");
    System.out.printf("x25519_test.json (Tink subtle.X25519): %d cases run (%d valid, %d"
        + " acceptable, of which %d with a zero shared secret, refused)%n", cases.size(), valid,
        acceptable, zeroShared);
  }

  private static boolean isZero(byte[] b) {
    int acc = 0;
    for (byte x : b) {
      acc |= x;
    }
    return acc == 0;
  }
}
