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
    return new SegmentHeader(1, new SegmentId(StreamId.of(stream), seq), EpochId.of(3), START, 2_000_000, prev);
  }

  @Test
  void roundTripsEveryField() throws Exception {
    SegmentHeader h = sample("front-door", 42);
    byte[] bytes = h.toBytes();
    assertEquals(7 + "front-door".length() + 32 + 32, bytes.length);
    SegmentHeader back = SegmentHeader.parse(bytes);
    assertEquals(h, back);
    assertEquals(StreamId.of("front-door"), back.stream());
    assertEquals(42, back.sequence());
    assertEquals(EpochId.of(3), back.epoch());
    assertEquals(START, back.startTime());
    assertEquals(2_000_000, back.durationMicros());
    assertEquals(START.plusSeconds(2), back.endTime());
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
    badVersion[4] = 3;
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
    byte[] prefix = {'O', 'B', 'S', 'G', 2, 1, 64};
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

  private static byte[] withLong(byte[] bytes, int at, long v) {
    byte[] b = bytes.clone();
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (56 - 8 * i));
    }
    return b;
  }

  @Test
  void versionOneIsRefusedWithAClearMessage() {
    byte[] v1 = sample("cam", 1).toBytes();
    v1[4] = 1;
    MalformedDataException e =
        assertThrows(MalformedDataException.class, () -> SegmentHeader.parse(v1));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("version 1"), e.getMessage());
  }

  @Test
  void plantedNumbersNearTheTopAreMalformed() throws Exception {
    byte[] good = sample("cam", 1).toBytes();
    int seqAt = 7 + 3;
    int epochAt = seqAt + 8;
    int durationAt = seqAt + 24;
    // a planted header with sequence 2^63-1, or epoch 2^63-2: refused, never used as a base
    assertThrows(MalformedDataException.class,
        () -> SegmentHeader.parse(withLong(good, seqAt, Long.MAX_VALUE)));
    assertThrows(MalformedDataException.class,
        () -> SegmentHeader.parse(withLong(good, epochAt, Long.MAX_VALUE - 1)));
    assertThrows(MalformedDataException.class,
        () -> SegmentHeader.parse(withLong(good, seqAt, SegmentId.MAX_SEQUENCE + 1)));
    assertThrows(MalformedDataException.class,
        () -> SegmentHeader.parse(withLong(good, durationAt, SegmentHeader.MAX_DURATION_MICROS + 1)));
    assertThrows(MalformedDataException.class,
        () -> SegmentHeader.parse(withLong(good, durationAt, -1)));
    // the ceiling itself is still a number
    assertEquals(SegmentId.MAX_SEQUENCE,
        SegmentHeader.parse(withLong(good, seqAt, SegmentId.MAX_SEQUENCE)).sequence());
    assertEquals(EpochId.MAX_VALUE,
        SegmentHeader.parse(withLong(good, epochAt, EpochId.MAX_VALUE)).epoch().value());
  }

  @Test
  void countersRefuseToPassTheCeiling() {
    assertThrows(CounterExhaustedException.class, () -> EpochId.of(EpochId.MAX_VALUE).next());
    assertThrows(ArithmeticException.class,
        () -> new SegmentId(StreamId.of("cam"), SegmentId.MAX_SEQUENCE).next());
    assertThrows(IllegalArgumentException.class, () -> EpochId.of(Long.MAX_VALUE - 1));
    assertThrows(IllegalArgumentException.class,
        () -> new SegmentId(StreamId.of("cam"), Long.MAX_VALUE));
  }

  @Test
  void plantedObjectNamesAboveTheCeilingAreNotNames() {
    StreamId cam = StreamId.of("cam");
    assertEquals(java.util.Optional.empty(),
        ObjectNames.parseEnvelope("cam/epochs/9223372036854775806.env"));
    assertEquals(java.util.Optional.empty(),
        ObjectNames.parseEnvelopeStream("cam/epochs/9223372036854775806.env"));
    assertEquals(java.util.Optional.empty(),
        ObjectNames.parseEnvelope("cam/epochs/9999999999999999999.env"));
    assertEquals(java.util.Optional.empty(),
        ObjectNames.parseSegment("cam/segments/9223372036854775807.seg"));
    assertEquals(java.util.Optional.empty(),
        ObjectNames.parseSegment("cam/segments/9999999999999999999.seg"));
    assertEquals(new ObjectNames.EnvelopeName(cam, EpochId.of(7)),
        ObjectNames.parseEnvelope(ObjectNames.envelope(cam, EpochId.of(7))).orElseThrow());
    SegmentId top = new SegmentId(cam, SegmentId.MAX_SEQUENCE);
    assertEquals(top, ObjectNames.parseSegment(ObjectNames.segment(top)).orElseThrow());
  }
}
