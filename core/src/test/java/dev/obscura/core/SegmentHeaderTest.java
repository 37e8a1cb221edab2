package dev.obscura.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SegmentHeaderTest {
  private static final Instant START = Instant.parse("2026-11-26T15:00:00.123456Z");

  private static SegmentHeader sample(String stream, long seq) {
    byte[] prev = new byte[32];
    Arrays.fill(prev, (byte) 7);
    return new SegmentHeader(1, new SegmentId(StreamId.of(stream), seq), EpochId.of(3), START, prev);
  }

  @Test
  void roundTripsEveryField() throws Exception {
    SegmentHeader h = sample("front-door", 42);
    byte[] bytes = h.toBytes();
    assertEquals(7 + "front-door".length() + 24 + 32, bytes.length);
    SegmentHeader back = SegmentHeader.parse(bytes);
    assertEquals(h, back);
    assertEquals(StreamId.of("front-door"), back.stream());
    assertEquals(42, back.sequence());
    assertEquals(EpochId.of(3), back.epoch());
    assertEquals(START, back.startTime());
    assertArrayEquals(h.previousDigest(), back.previousDigest());
  }

  @Test
  void readConsumesExactlyTheHeader() throws Exception {
    byte[] h = sample("cam", 1).toBytes();
    byte[] withBody = Arrays.copyOf(h, h.length + 10);
    InputStream in = new ByteArrayInputStream(withBody);
    SegmentHeader.read(in);
    assertEquals(10, in.available());
  }

  @Test
  void rejectsBadMagicVersionAndLengths() {
    byte[] good = sample("cam", 1).toBytes();
    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    assertThrows(MalformedDataException.class, () -> SegmentHeader.parse(badMagic));
    byte[] badVersion = good.clone();
    badVersion[4] = 2;
    assertThrows(MalformedDataException.class, () -> SegmentHeader.parse(badVersion));
    byte[] zeroLength = good.clone();
    zeroLength[6] = 0;
    assertThrows(MalformedDataException.class, () -> SegmentHeader.parse(zeroLength));
    byte[] hugeLength = good.clone();
    hugeLength[6] = (byte) 0xff;
    assertThrows(MalformedDataException.class, () -> SegmentHeader.parse(hugeLength));
    byte[] badStream = good.clone();
    badStream[7] = '/';
    assertThrows(MalformedDataException.class, () -> SegmentHeader.parse(badStream));
    byte[] negativeSeq = good.clone();
    negativeSeq[7 + 3] = (byte) 0x80;
    assertThrows(MalformedDataException.class, () -> SegmentHeader.parse(negativeSeq));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void everyTruncationIsMalformed(long seed) {
    byte[] good = sample("stream-" + seed, seed).toBytes();
    int cut = new SplittableRandom(seed).nextInt(good.length);
    assertThrows(MalformedDataException.class, () -> SegmentHeader.parse(Arrays.copyOf(good, cut)));
  }

  @Test
  void neverReadsMoreThanMaxLength() throws Exception {
    // An endless stream of 0xff after a plausible prefix must not be read past MAX_LENGTH.
    byte[] prefix = {'O', 'B', 'S', 'G', 1, 1, 64};
    int[] consumed = {0};
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        int i = consumed[0]++;
        return i < prefix.length ? prefix[i] & 0xff : 'a';
      }
    };
    try {
      SegmentHeader.read(endless);
    } catch (MalformedDataException | IOException expected) {
      // the digest bytes are 'a', which is fine; any outcome is acceptable but the bound
    }
    assertEquals(SegmentHeader.MAX_LENGTH, consumed[0]);
  }

  @Test
  void extremeStartTimesAreMalformedNotArithmeticErrors() {
    for (long micros : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE}) {
      byte[] bytes = sample("cam", 1).toBytes();
      int at = 7 + 3 + 16;
      for (int i = 0; i < 8; i++) {
        bytes[at + i] = (byte) (micros >>> (56 - 8 * i));
      }
      try {
        SegmentHeader h = SegmentHeader.parse(bytes);
        assertArrayEquals(bytes, h.toBytes());
      } catch (MalformedDataException expected) {
        // refusing is fine; an unchecked ArithmeticException is not
      }
    }
  }

  @Test
  void envelopeHeaderRoundTripsAndRejectsGarbage() throws Exception {
    EnvelopeHeader h = new EnvelopeHeader(StreamId.of("cam"), EpochId.of(9), START);
    EnvelopeHeader back = EnvelopeHeader.read(new ByteArrayInputStream(h.toBytes()));
    assertEquals(h, back);
    assertEquals(START, back.created());
    byte[] bad = h.toBytes();
    bad[5] = 0;
    assertThrows(MalformedDataException.class, () -> EnvelopeHeader.read(new ByteArrayInputStream(bad)));
    byte[] cut = Arrays.copyOf(h.toBytes(), 8);
    assertThrows(MalformedDataException.class, () -> EnvelopeHeader.read(new ByteArrayInputStream(cut)));
  }
}
