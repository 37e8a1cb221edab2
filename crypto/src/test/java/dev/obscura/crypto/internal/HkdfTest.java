package dev.obscura.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.crypto.chunked.TestVectors;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SDK's one HKDF against the published vectors: Wycheproof's HKDF-SHA256 (its first cases are
 * RFC 5869 Appendix A) and HKDF-SHA512, every case, through both the allocating and the
 * into-a-buffer expand, with one reused instance as the hot path uses it.
 */
class HkdfTest {
  @ParameterizedTest
  @CsvSource({"hkdf_sha256_test.json, HmacSHA256, 86", "hkdf_sha512_test.json, HmacSHA512, 83"})
  @SuppressWarnings("unchecked")
  void everyWycheproofCase(String file, String hmac, int expected) throws Exception {
    Map<String, Object> doc = TestVectors.wycheproof(file);
    Hkdf reused = new Hkdf(hmac);
    HexFormat hex = HexFormat.of();
    int valid = 0;
    int invalid = 0;
    for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("testGroups")) {
      for (Map<String, Object> t : (List<Map<String, Object>>) group.get("tests")) {
        byte[] ikm = hex.parseHex((String) t.get("ikm"));
        byte[] salt = hex.parseHex((String) t.get("salt"));
        byte[] info = hex.parseHex((String) t.get("info"));
        int size = ((Number) t.get("size")).intValue();
        String id = file + " case " + t.get("tcId");
        byte[] prk = reused.extract(salt, ikm);
        if ("valid".equals(t.get("result"))) {
          byte[] okm = hex.parseHex((String) t.get("okm"));
          assertArrayEquals(okm, reused.expand(prk, info, size), id);
          byte[] into = new byte[size + 7];
          reused.expand(prk, info, info.length, into, 3, size);
          assertArrayEquals(okm, java.util.Arrays.copyOfRange(into, 3, 3 + size), id + " (into a buffer)");
          assertArrayEquals(okm, Hkdf.expand(hmac, Hkdf.extract(hmac, salt, ikm), info, size), id + " (one-shot)");
          valid++;
        } else {
          assertThrows(IllegalArgumentException.class, () -> reused.expand(prk, info, size), id);
          invalid++;
        }
      }
    }
    assertEquals(expected, valid + invalid, "cases in " + file);
    assertEquals(3, invalid, "invalid (too large) cases in " + file);
  }

  @org.junit.jupiter.api.Test
  void rfc5869TestCase1ByHand() {
    // RFC 5869 Appendix A.1, independent of the Wycheproof file
    HexFormat hex = HexFormat.of();
    byte[] prk = Hkdf.extract("HmacSHA256", hex.parseHex("000102030405060708090a0b0c"),
        hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
    assertEquals("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", hex.formatHex(prk));
    assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        hex.formatHex(Hkdf.expand("HmacSHA256", prk, hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42)));
  }
}
