package dev.obscura.crypto.cenc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.core.Hex;
import dev.obscura.core.MalformedDataException;
import org.junit.jupiter.api.Test;

/** What stays clear in an H.264 sample: framing and NAL headers, and every non-slice NAL unit. */
class SubsamplesTest {
  @Test
  void lengthPrefixedKeyframeKeepsParameterSetsClearAndProtectsSlicePayloads() throws Exception {
    byte[] s = Hex.parse(
        "00000002" + "0910"            // AUD (type 9): clear, 6 bytes
        + "00000004" + "06aabbcc"      // SEI (type 6): clear, 8 bytes
        + "00000005" + "6500112233"    // IDR slice: 4+1 clear, 4 protected
        + "00000003" + "41ffee");      // non-IDR slice: 4+1 clear, 2 protected
    Subsamples m = Subsamples.forLengthPrefixed(s, 0, s.length, 4);
    assertEquals(Subsamples.of(new int[] {6 + 8 + 5, 5}, new int[] {4, 2}), m);
    assertEquals(s.length, m.totalBytes());
  }

  @Test
  void trailingClearUnitsGetAPairWithoutProtectedBytes() throws Exception {
    byte[] s = Hex.parse("0003" + "65aabb" + "0002" + "0c00"); // slice, then filler (type 12)
    assertEquals(Subsamples.of(new int[] {3, 4}, new int[] {2, 0}), Subsamples.forLengthPrefixed(s, 0, s.length, 2));
  }

  @Test
  void annexBKeepsStartCodesAndHeadersClear() {
    byte[] f = Hex.parse("0000000167aa" + "00000168bb" + "0000000165112233" + "00000141ff");
    Subsamples m = Subsamples.forAnnexB(f, 0, f.length);
    // SPS 6 + PPS 5 + start code 4 + header 1 = 16 clear, 3 protected; then 3 + 1 clear, 1 protected
    assertEquals(Subsamples.of(new int[] {16, 4}, new int[] {3, 1}), m);
    assertEquals(f.length, m.totalBytes());
  }

  @Test
  void longClearRunsSplitAt65535() throws Exception {
    int sei = 70_000;
    byte[] s = new byte[4 + sei + 4 + 3];
    s[1] = (byte) (sei >>> 16);
    s[2] = (byte) (sei >>> 8);
    s[3] = (byte) sei;
    s[4] = 0x06;
    int p = 4 + sei;
    s[p + 3] = 3;
    s[p + 4] = 0x65;
    Subsamples m = Subsamples.forLengthPrefixed(s, 0, s.length, 4);
    assertEquals(Subsamples.of(new int[] {65535, 4 + sei + 5 - 65535}, new int[] {0, 2}), m);
  }

  @Test
  void malformedSamplesAreRefused() {
    byte[] cut = Hex.parse("00000009" + "6500");
    assertThrows(MalformedDataException.class, () -> Subsamples.forLengthPrefixed(cut, 0, cut.length, 4));
    byte[] shortPrefix = Hex.parse("0000");
    assertThrows(MalformedDataException.class, () -> Subsamples.forLengthPrefixed(shortPrefix, 0, 2, 4));
    byte[] map = new byte[] {0, 5, 0, 0};
    assertThrows(MalformedDataException.class, () -> Subsamples.decode(map, 0, map.length));
  }

  @Test
  void encodeDecodeRoundTrips() throws Exception {
    Subsamples m = Subsamples.of(new int[] {1, 65535, 0}, new int[] {7, 0, 1 << 20});
    byte[] b = new byte[m.encodedSize()];
    m.encodeTo(b, 0);
    assertEquals(m, Subsamples.decode(b, 0, b.length));
  }
}
