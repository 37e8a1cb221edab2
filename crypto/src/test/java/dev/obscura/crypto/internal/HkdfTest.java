package dev.obscura.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;

/**
 * The SDK's one HKDF by hand; every Wycheproof case runs in {@link HkdfWycheproofTest}.
 */
class HkdfTest {
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
