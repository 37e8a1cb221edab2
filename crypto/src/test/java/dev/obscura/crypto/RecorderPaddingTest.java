package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.MediaSegment;
import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.padding.PaddingPolicy;
import dev.obscura.crypto.segment.MalformedPaddingException;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.segment.SegmentInputStream;
import dev.obscura.crypto.segment.SegmentOpener;
import dev.obscura.crypto.segment.SegmentPadding;
import dev.obscura.crypto.segment.SegmentReader;
import dev.obscura.crypto.testing.SentinelReads;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored segments padded inside their sealed plaintext: every reader returns exactly the segment,
 * the store sees only the policy's sizes, and the padding is authenticated and strictly checked.
 */
class RecorderPaddingTest {
  @TempDir Path tmp;

  /** Segment sizes around the chunk boundaries and far apart (idle and motion). */
  static final int[] SIZES = {0, 1, 23, 3000, 16_359, 16_360, 16_383, 16_384, 16_400, 32_768, 51_234, 99_999, 250_000};

  static MediaSegment segment(int i, int size) {
    byte[] b = new byte[size];
    new SplittableRandom(i).nextBytes(b);
    return new MediaSegment(i, Household.T0.plusSeconds(2 * i), i * 2_000_000L, 2_000_000L, 30, b);
  }

  private static Recorder recorder(Household h, PaddingPolicy policy) throws Exception {
    return Recorder.builder().store(h.store).stream(Household.STREAM).camera(h.camera).clock(h.clock)
        .entropy(EntropySource.insecureDeterministicForTests(77)).padding(policy).build();
  }

  private List<SealedSegmentInfo> record(Household h, PaddingPolicy policy) throws Exception {
    List<SealedSegmentInfo> out = new ArrayList<>();
    try (Recorder r = recorder(h, policy)) {
      for (int i = 0; i < SIZES.length; i++) {
        MediaSegment s = segment(i, SIZES[i]);
        out.add(i % 2 == 0 ? r.seal(s) : RecorderFrameTest.writeInFrames(r, s, 1000 + i));
      }
      long video = 0;
      for (int size : SIZES) {
        video += size;
      }
      assertEquals(video, r.plaintextBytes(), "the recorder counts video bytes, not padding");
    }
    return out;
  }

  private void assertReadsBack(Household h) throws Exception {
    List<byte[]> read = h.read(h.owner, 0, SIZES.length);
    assertEquals(SIZES.length, read.size());
    for (int i = 0; i < SIZES.length; i++) {
      assertArrayEquals(segment(i, SIZES[i]).data(), read.get(i), "segment " + i + " exactly");
    }
  }

  @Test
  void bucketsMakeEveryStoredSizeABucketAndEveryReaderStripsThePadding() throws Exception {
    Household h = new Household(tmp, 31);
    PaddingPolicy buckets = PaddingPolicies.buckets(1.25, 1024);
    List<SealedSegmentInfo> infos = record(h, buckets);
    Map<String, byte[]> stored = RecorderFrameTest.segments(h.store);
    assertEquals(SIZES.length, stored.size());
    for (byte[] sealed : stored.values()) {
      assertEquals(sealed.length, buckets.paddedSize(sealed.length), sealed.length + " is a bucket");
    }
    for (SealedSegmentInfo info : infos) {
      assertEquals(info.sealedSizeBytes(), buckets.paddedSize((int) info.sealedSizeBytes()));
    }
    // verified reads (VerifiedStore + StreamReader, the export path)
    assertReadsBack(h);
    // the streaming and buffer readers strip too
    VerifiedStore view = h.open(h.owner);
    SegmentOpener opener = new SegmentOpener();
    SegmentReader reader = opener.newReader();
    int i = 0;
    for (byte[] sealed : stored.values()) {
      byte[] want = segment(i, SIZES[i]).data();
      try (SegmentInputStream in = opener.openStream(new ByteArrayInputStream(sealed), view.epochKeys(h.owner))) {
        assertArrayEquals(want, in.readAllBytes(), "stream " + i);
      }
      reader.start(sealed, 0, sealed.length, view.epochKeys(h.owner));
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[i % 2 == 0 ? 777 : 40_000];
      for (int n; (n = reader.read(buf, 0, buf.length)) != -1; ) {
        got.write(buf, 0, n);
      }
      assertArrayEquals(want, got.toByteArray(), "reader " + i);
      assertArrayEquals(want, opener.open(sealed, view.epochKeys(h.owner)).plaintext(), "opener " + i);
      i++;
    }
  }

  /**
   * cbr on stored segments: each 2-second segment carries the bytes of its duration at the rate,
   * whatever its video (idle or motion), and one larger than that budget a whole multiple of it.
   */
  @Test
  void cbrGivesEverySegmentTheBytesOfItsDurationAtTheRate() throws Exception {
    Household h = new Household(tmp, 33);
    long rate = 100_003; // B/s: 2 s carry 200,006 B, an odd size no video here lands on
    record(h, PaddingPolicies.cbr(rate));
    long budget = 2 * rate;
    java.util.TreeSet<Integer> sizes = new java.util.TreeSet<>();
    for (byte[] sealed : RecorderFrameTest.segments(h.store).values()) {
      assertEquals(0, sealed.length % budget, sealed.length + " is a whole number of 2-second budgets");
      sizes.add(sealed.length);
    }
    // twelve segments of 0 B to 99,999 B all look alike; only the 250,000 B one overflows
    assertEquals(java.util.Arrays.asList((int) budget, (int) (2 * budget)), new ArrayList<>(sizes));
    assertReadsBack(h);
  }

  @Test
  void intervalPadsToWholeUploads() throws Exception {
    Household h = new Household(tmp, 32);
    record(h, PaddingPolicies.interval(Duration.ofSeconds(2), 65_536));
    for (byte[] sealed : RecorderFrameTest.segments(h.store).values()) {
      assertEquals(0, sealed.length % 65_536, sealed.length + " is a whole number of uploads");
    }
    assertReadsBack(h);
  }

  @Test
  void noneStoresExactlyWhatARecorderWithoutPaddingStores() throws Exception {
    Household a = new Household(Files.createDirectories(tmp.resolve("a")), 33);
    Household b = new Household(Files.createDirectories(tmp.resolve("b")), 33);
    record(a, PaddingPolicies.none());
    try (Recorder r = Recorder.builder().store(b.store).stream(Household.STREAM).camera(b.camera)
        .clock(b.clock).entropy(EntropySource.insecureDeterministicForTests(77)).build()) {
      for (int i = 0; i < SIZES.length; i++) {
        MediaSegment s = segment(i, SIZES[i]);
        if (i % 2 == 0) {
          r.seal(s);
        } else {
          RecorderFrameTest.writeInFrames(r, s, 1000 + i);
        }
      }
    }
    Map<String, byte[]> sa = RecorderFrameTest.segments(a.store);
    Map<String, byte[]> sb = RecorderFrameTest.segments(b.store);
    assertEquals(sb.keySet(), sa.keySet());
    sb.forEach((name, bytes) -> assertArrayEquals(bytes, sa.get(name), name + " byte-identical"));
  }

  @Test
  void aFlippedBitInThePaddingIsRefused() throws Exception {
    Household h = new Household(tmp, 34);
    try (Recorder r = recorder(h, PaddingPolicies.buckets(2, 65_536))) {
      r.seal(segment(0, 5000)); // padded by about 60 KiB: plaintext bytes 24..60000 are padding
    }
    String name = RecorderFrameTest.segments(h.store).keySet().iterator().next();
    byte[] sealed = h.store.objects.get(name);
    assertEquals(65_536, sealed.length);
    sealed[sealed.length / 2] ^= 0x01; // in chunk 1: padding
    h.store.objects.put(name, sealed);
    assertThrows(IntegrityException.class, () -> h.read(h.owner, 0, 0));
  }

  @Test
  void aPaddingBoxLargerThanThePlaintextOrNotZeroIsMalformedAndReleasesNothing() throws Exception {
    Household h = new Household(tmp, 35);
    // a (faulty) camera seals plaintexts that start with a padding box that does not fit, or is not zero
    byte[] video = segment(9, 3000).data();
    byte[] tooLong = box(100_000, video);
    byte[] nonzero = box(24 + 64, video);
    nonzero[24 + 10] = 1;
    byte[] tooShort = box(23, video);
    try (Recorder r = recorder(h, PaddingPolicies.none())) {
      r.seal(new MediaSegment(0, Household.T0, 0, 2_000_000L, 30, tooLong));
      r.seal(new MediaSegment(1, Household.T0.plusSeconds(2), 2_000_000L, 2_000_000L, 30, nonzero));
      r.seal(new MediaSegment(2, Household.T0.plusSeconds(4), 4_000_000L, 2_000_000L, 30, tooShort));
    }
    VerifiedStore view = h.open(h.owner);
    SegmentOpener opener = new SegmentOpener();
    long seq = 0;
    for (byte[] sealed : RecorderFrameTest.segments(h.store).values()) {
      long s = seq++;
      MalformedDataException e = assertThrows(MalformedDataException.class, () -> h.read(h.owner, s, s));
      assertTrue(e.getMessage().contains("padding"), e.getMessage());
      assertThrows(MalformedDataException.class, () -> opener.open(sealed, view.epochKeys(h.owner)));
      SegmentReader reader = opener.newReader();
      reader.start(sealed, 0, sealed.length, view.epochKeys(h.owner));
      // nothing may come out, and the caller's buffer is left as it was
      SentinelReads.Result r = SentinelReads.drainToFailure(reader::read, 200_000,
          MalformedPaddingException.class, "segment " + s);
      assertEquals(0, r.released().length, "no plaintext released");
    }
  }

  /** A plaintext starting with a padding box header of {@code size}, then zeros, then {@code video}. */
  private static byte[] box(long size, byte[] video) {
    int zeros = (int) Math.max(0, Math.min(size, 100) - 24);
    byte[] out = new byte[24 + zeros + video.length];
    out[0] = (byte) (size >>> 24);
    out[1] = (byte) (size >>> 16);
    out[2] = (byte) (size >>> 8);
    out[3] = (byte) size;
    System.arraycopy("free".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, out, 4, 4);
    System.arraycopy("obscura.padding\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, out, 8, 16);
    System.arraycopy(video, 0, out, 24 + zeros, video.length);
    assertEquals(SegmentPadding.BOX_HEADER_BYTES, 24);
    return out;
  }

  @Test
  void aSegmentThatFitsOnlyWithoutItsPaddingBoxIsRefusedUpFrontAndTheRecorderGoesOn() throws Exception {
    Household h = new Household(tmp, 37);
    long max = dev.obscura.crypto.segment.SegmentSealer.DEFAULT_MAX_SEGMENT_BYTES;
    byte[] nearMax = new byte[(int) max - 10]; // fits the maximum, its padding box does not
    try (Recorder r = Recorder.builder().store(h.store).stream(Household.STREAM).camera(h.camera).clock(h.clock)
        .entropy(EntropySource.insecureDeterministicForTests(78)).padding(PaddingPolicies.buckets(1.25, 1024))
        .segmentsPerEpoch(1).build()) {
      r.seal(segment(0, 3000));
      int epochs = r.epochsStarted();
      MediaSegment big = new MediaSegment(1, Household.T0.plusSeconds(2), 2_000_000L, 2_000_000L, 30, nearMax);
      IllegalArgumentException whole = assertThrows(IllegalArgumentException.class, () -> r.seal(big));
      assertTrue(whole.getMessage().contains("padding"), whole.getMessage());
      assertEquals(epochs, r.epochsStarted(), "refused before the epoch rotation it would have caused");
      try (Recorder.OpenSegment open = r.open(big.startTime(), big.durationMicros())) {
        IllegalArgumentException framed = assertThrows(IllegalArgumentException.class,
            () -> open.write(nearMax, 0, nearMax.length), "refused at write, not lost at finish");
        assertTrue(framed.getMessage().contains("padding"), framed.getMessage());
      }
      assertEquals(1, r.seal(segment(1, 3000)).header().sequence(), "the next segment takes the sequence");
    }
  }
}
