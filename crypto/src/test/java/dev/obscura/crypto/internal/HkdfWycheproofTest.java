package dev.obscura.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.crypto.chunked.TestVectors;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every case of Wycheproof {@code hkdf_sha256_test.json} (its first cases are RFC 5869 Appendix
 * A) and {@code hkdf_sha512_test.json} through the SDK's one {@link Hkdf}, the one the key
 * schedules use: through the allocating and the into-a-buffer expand of one reused instance, as
 * the hot path uses it, and through the one-shots. Valid cases must give the expected OKM;
 * invalid ones (output size above 255 HashLen) must be refused with an
 * {@link IllegalArgumentException} naming the length. The counts are pinned, so a truncated file
 * fails.
 */
class HkdfWycheproofTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"hkdf_sha256_test.json, HmacSHA256, 83, 3", "hkdf_sha512_test.json, HmacSHA512, 80, 3"})
  void everyCase(String file, String hmac, int expectedValid, int expectedInvalid) throws Exception {
    List<TestVectors.Case> cases = TestVectors.allCases(file);
    Hkdf reused = new Hkdf(hmac);
    int valid = 0;
    int invalid = 0;
    for (TestVectors.Case c : cases) {
      byte[] ikm = c.hex("ikm");
      byte[] salt = c.hex("salt");
      byte[] info = c.hex("info");
      int size = (int) c.num("size");
      String id = file + " tcId " + c.tcId() + " " + c.flags();
      byte[] prk = reused.extract(salt, ikm);
      if (c.result().equals("valid")) {
        byte[] okm = c.hex("okm");
        assertEquals(size, okm.length, id);
        assertArrayEquals(okm, reused.expand(prk, info, size), id);
        byte[] into = new byte[size + 7];
        reused.expand(prk, info, info.length, into, 3, size);
        assertArrayEquals(okm, Arrays.copyOfRange(into, 3, 3 + size), id + " (into a buffer)");
        assertArrayEquals(okm, Hkdf.expand(hmac, Hkdf.extract(hmac, salt, ikm), info, size),
            id + " (one-shot)");
        valid++;
      } else {
        assertEquals("invalid", c.result(), id);
        assertTrue(c.flags().contains("SizeTooLarge"), id);
        assertTrue(size > 255 * reused.hashLength(), id);
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> reused.expand(prk, info, size), id);
        assertEquals("HKDF-Expand length " + size + " is out of range", e.getMessage(), id);
        assertThrows(IllegalArgumentException.class,
            () -> reused.expand(prk, info, info.length, new byte[size], 0, size), id + " (into)");
        invalid++;
      }
    }
    assertEquals(expectedValid, valid, "valid cases in " + file);
    assertEquals(expectedInvalid, invalid, "invalid cases in " + file);
    System.out.printf("%s (%s): %d cases run (%d valid, %d invalid)%n", file, hmac, valid + invalid,
        valid, invalid);
  }
}
