package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.MalformedDataException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SFrameHeaderTest {
  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest
  @ValueSource(strings = {"", "80", "f0", "f001020304050607", "08", "0f01020304050607", "8809"})
  void cutShortInputsAreMalformed(String hex) {
    byte[] b = HEX.parseHex(hex);
    MalformedDataException e =
        assertThrows(MalformedDataException.class, () -> SFrameHeader.decode(b, 0, b.length));
    assertTrue(e.getMessage().contains("cut short") || e.getMessage().contains("empty"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "8005", // KID 5 in an extra byte: it belongs in the config byte
      "0805", // CTR 5 in an extra byte
      "09000f", // CTR 15 in two bytes
      "0f00000000000000ff", // CTR 255 in eight bytes
      "900012", // KID 0x12 in two bytes
  })
  void nonMinimalEncodingsAreRefused(String hex) {
    byte[] b = HEX.parseHex(hex);
    MalformedDataException e =
        assertThrows(MalformedDataException.class, () -> SFrameHeader.decode(b, 0, b.length));
    assertTrue(e.getMessage().contains("minimally"), e.getMessage());
  }

  @Test
  void decodeReadsOnlyItsRangeAndIgnoresTrailingBytes() throws Exception {
    byte[] b = HEX.parseHex("ff99" + "80ff" + "1234");
    SFrameHeader h = SFrameHeader.decode(b, 2, 2);
    assertEquals(255, h.kid());
    assertEquals(0, h.counter());
    assertThrows(MalformedDataException.class, () -> SFrameHeader.decode(b, 2, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> SFrameHeader.decode(b, 4, 3));
  }

  @Test
  void seededRoundTripOverAllLengths() throws Exception {
    SplittableRandom r = new SplittableRandom(9605);
    for (int i = 0; i < 20_000; i++) {
      long kid = r.nextLong() >>> r.nextInt(64);
      long ctr = r.nextLong() >>> r.nextInt(64);
      SFrameHeader h = new SFrameHeader(kid, ctr);
      byte[] enc = h.encode();
      assertEquals(enc.length, h.encodedLength());
      assertTrue(enc.length >= 1 && enc.length <= SFrameHeader.MAX_LENGTH);
      assertEquals(h, SFrameHeader.decode(enc, 0, enc.length));
      byte[] again = new byte[enc.length + 2];
      assertEquals(enc.length, SFrameHeader.encodeInto(kid, ctr, again, 1));
      assertArrayEquals(enc, java.util.Arrays.copyOfRange(again, 1, 1 + enc.length));
    }
  }

  @Test
  void seededRandomBytesEitherParseCanonicallyOrAreMalformed() {
    SplittableRandom r = new SplittableRandom(4303);
    int parsed = 0;
    for (int i = 0; i < 50_000; i++) {
      byte[] b = new byte[r.nextInt(0, 20)];
      r.nextBytes(b);
      try {
        SFrameHeader h = SFrameHeader.decode(b, 0, b.length);
        byte[] enc = h.encode();
        assertArrayEquals(enc, java.util.Arrays.copyOf(b, enc.length), "decode is not canonical");
        parsed++;
      } catch (MalformedDataException expected) {
        // fine: typed failure only
      }
    }
    assertTrue(parsed > 1000, "the seeded inputs should include many valid headers");
  }

  @Test
  void toStringPrintsUnsignedValues() {
    assertEquals("SFrameHeader[kid=18446744073709551615, ctr=7]", new SFrameHeader(-1L, 7).toString());
  }
}
