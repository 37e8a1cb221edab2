package dev.obscura.crypto.chunked;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every vector of Wycheproof {@code aes_gcm_test.json} through {@link AesGcm}, the one JCA path
 * the chunked layer uses. Valid vectors must seal to the expected ciphertext and open; invalid
 * ones must be refused (a JCA refusal of the parameters counts as a rejection). Run on the
 * platform's default provider and on Bouncy Castle, as a sealer configured with either would.
 */
class AesGcmWycheproofTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default", "BouncyCastle"})
  void allVectors(String which) throws Exception {
    Provider provider = which.equals("default") ? null : new BouncyCastleProvider();
    List<TestVectors.Case> cases = TestVectors.cases(TestVectors.wycheproof("aes_gcm_test.json"));
    int run = 0;
    int valid = 0;
    int invalid = 0;
    int invalidRefusedByJca = 0;
    for (TestVectors.Case c : cases) {
      run++;
      String id = "tcId " + c.tcId() + " " + c.flags();
      byte[] key = c.hex("key");
      byte[] iv = c.hex("iv");
      byte[] aad = c.hex("aad");
      byte[] msg = c.hex("msg");
      byte[] ctTag = concat(c.hex("ct"), c.hex("tag"));
      AesGcm gcm = new AesGcm(provider);
      SecretKeySpec k = new SecretKeySpec(key, "AES");
      if (c.result().equals("valid")) {
        valid++;
        byte[] out = new byte[msg.length + 16];
        try {
          gcm.seal(k, iv, aad, msg, 0, msg.length, out, 0);
          assertArrayEquals(ctTag, out, id);
          byte[] pt = new byte[msg.length];
          assertEquals(msg.length, new AesGcm(provider).open(k, iv, aad, ctTag, 0, ctTag.length, pt, 0));
          assertArrayEquals(msg, pt, id);
        } catch (GeneralSecurityException e) {
          fail("valid vector refused: " + id + ": " + e);
        }
      } else {
        assertEquals("invalid", c.result(), id);
        invalid++;
        byte[] pt = new byte[Math.max(0, ctTag.length - 16)];
        try {
          gcm.open(k, iv, aad, ctTag, 0, ctTag.length, pt, 0);
          fail("invalid vector accepted: " + id);
        } catch (javax.crypto.AEADBadTagException e) {
          assertArrayEquals(new byte[pt.length], pt, id + ": output not wiped");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
          invalidRefusedByJca++;
        }
      }
    }
    assertEquals(316, run, "vectors run");
    assertEquals(229, valid);
    assertEquals(87, invalid);
    // invalid vectors whose parameters both providers refuse before any tag check; the other
    // 81 invalid vectors fail authentication with the output wiped
    assertEquals(6, invalidRefusedByJca, "invalid vectors refused by JCA parameter checks");
    System.out.printf("aes_gcm_test.json (%s): %d vectors run (%d valid, %d invalid, of which %d"
        + " refused by JCA parameter checks)%n", which, run, valid, invalid, invalidRefusedByJca);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return org.bouncycastle.util.Arrays.concatenate(a, b);
  }
}
