package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.MalformedDataException;
import java.util.Arrays;

/**
 * Fuzzes {@link SFrameHeader#decode} with arbitrary bytes. The RFC 9605 header is canonical (the
 * minimum number of bytes is required and enforced), so when a header decodes, its encoding is
 * byte for byte the prefix of the input it was read from, and decoding that encoding gives the
 * same (KID, CTR). Only {@link MalformedDataException} may escape. Corpus: {@code
 * SFrameHeaderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SFrameHeaderFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void headerRoundTrip(byte[] data) throws MalformedDataException {
    SFrameHeader h;
    try {
      h = SFrameHeader.decode(data, 0, data.length);
    } catch (MalformedDataException expected) {
      return;
    }
    int len = h.encodedLength();
    if (len < 1 || len > SFrameHeader.MAX_LENGTH || len > data.length) {
      throw new AssertionError("encoded length " + len + " for a header read from " + data.length + " bytes");
    }
    byte[] enc = h.encode();
    assertEquals(len, enc.length);
    assertArrayEquals(Arrays.copyOf(data, len), enc, "the header is canonical: re-encoding gives the input");
    long[] kidCtr = new long[2];
    assertEquals(len, SFrameHeader.parse(data, 0, data.length, kidCtr));
    assertEquals(h, new SFrameHeader(kidCtr[0], kidCtr[1]));
    assertEquals(h, SFrameHeader.decode(enc, 0, enc.length));
    byte[] shifted = new byte[len + 3];
    assertEquals(len, SFrameHeader.encodeInto(h.kid(), h.counter(), shifted, 2));
    assertEquals(h, SFrameHeader.decode(shifted, 2, len));
    if (len > 1) {
      try {
        SFrameHeader.decode(enc, 0, len - 1);
        throw new AssertionError("a header cut by one byte decoded");
      } catch (MalformedDataException expected) {
        // cut short
      }
    }
  }
}
