package dev.obscura.crypto.scheme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.MalformedDataException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameFramingTest {
  @Test
  void roundTrips() throws Exception {
    List<EncodedFrame> frames = SchemeFixtures.segments(1, 1, 30, 10_000).get(0);
    byte[] framed = FrameFraming.encode(frames);
    assertEquals(FrameFraming.encodedLength(frames), framed.length);
    assertEquals(frames, FrameFraming.decode(framed));
    assertTrue(FrameFraming.decode(new byte[0]).isEmpty());
  }

  @Test
  void layoutIsAsDocumented() {
    byte[] framed = FrameFraming.encode(Collections.singletonList(
        new EncodedFrame(0x0102030405060708L, true, new byte[] {9, 10})));
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 1, 0, 0, 0, 2, 9, 10}, framed);
  }

  @Test
  void refusesALengthPastTheEndWithoutAllocatingIt() {
    byte[] framed = new byte[FrameFraming.HEADER_BYTES];
    framed[9] = (byte) 0x7f; // 2 GiB claimed
    framed[10] = (byte) 0xff;
    assertThrows(MalformedDataException.class, () -> FrameFraming.decode(framed));
    framed[9] = (byte) 0xff; // 4 GiB - 1: not a negative int either
    assertThrows(MalformedDataException.class, () -> FrameFraming.decode(framed));
  }

  @Test
  void refusesAPartialHeaderOrUnknownFlags() {
    byte[] ok = FrameFraming.encode(Collections.singletonList(new EncodedFrame(5, false, new byte[3])));
    for (int cut = 1; cut < ok.length; cut++) {
      byte[] c = Arrays.copyOf(ok, cut);
      assertThrows(MalformedDataException.class, () -> FrameFraming.decode(c), "cut at " + cut);
    }
    byte[] flags = ok.clone();
    flags[8] = 2;
    assertThrows(MalformedDataException.class, () -> FrameFraming.decode(flags));
  }

  @Test
  void decodesARange() throws Exception {
    List<EncodedFrame> one = Collections.singletonList(new EncodedFrame(1, true, new byte[] {7}));
    byte[] f = FrameFraming.encode(one);
    byte[] padded = new byte[f.length + 4];
    System.arraycopy(f, 0, padded, 2, f.length);
    assertEquals(one, FrameFraming.decode(padded, 2, f.length));
  }
}
