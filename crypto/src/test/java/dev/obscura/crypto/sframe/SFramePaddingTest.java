package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Padded live frames (live-sframe-v1 section 5.1): stripped on open, authenticated, strict. */
class SFramePaddingTest {
  private static final StreamId STREAM = StreamId.of("front-door");

  private static EpochKey key() {
    return EpochKey.generate(STREAM, EpochId.of(4), EntropySource.insecureDeterministicForTests(99));
  }

  private static SFrameReceiver receiver(EpochKey k) {
    SFrameReceiver r = SFrameReceiver.builder(STREAM).build();
    r.addEpochKey(k);
    return r;
  }

  @Test
  void aPaddedFrameOpensToExactlyTheFrameAtExactlyTheSizeAsked() throws Exception {
    EpochKey k = key();
    SplittableRandom random = new SplittableRandom(5);
    try (SFrameSender s = SFrameSender.builder(k, CounterStore.inMemoryForTests()).build();
        SFrameReceiver rx = receiver(k)) {
      for (int size : new int[] {0, 1, 13, 14, 15, 100, 4096, 70_000}) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        int min = s.minPaddedLiveFrameLength(size);
        assertEquals(s.sealedLiveFrameLength(size) + 4, min);
        for (int extra : new int[] {0, 1, 17, 1000}) {
          byte[] out = new byte[min + extra];
          int n = s.sealPaddedLiveFrame(size * 10L, size % 2 == 0, 1_700_000_000_000_000L, data, 0,
              size, min + extra, out, 0);
          assertEquals(min + extra, n);
          LiveFrame f = rx.openLiveFrame(out);
          assertArrayEquals(data, f.frame().data(), "size " + size + " + " + extra);
          assertEquals(size * 10L, f.frame().presentationMicros());
          assertEquals(size % 2 == 0, f.frame().keyframe());
          assertEquals(1_700_000_000_000_000L, f.captureMicros());
        }
      }
      assertThrows(IllegalArgumentException.class,
          () -> s.sealPaddedLiveFrame(0, false, 0, new byte[5], 0, 5, s.minPaddedLiveFrameLength(5) - 1,
              new byte[100], 0));
    }
  }

  @Test
  void aFlippedBitInThePaddingIsRefused() throws Exception {
    EpochKey k = key();
    try (SFrameSender s = SFrameSender.builder(k, CounterStore.inMemoryForTests()).build();
        SFrameReceiver rx = receiver(k)) {
      byte[] data = new byte[200];
      int size = s.minPaddedLiveFrameLength(200) + 300;
      byte[] out = new byte[size];
      s.sealPaddedLiveFrame(0, true, 0, data, 0, 200, size, out, 0);
      out[size - 16 - 4 - 150] ^= 0x01; // in the padding, before the trailer and the tag
      LiveFrameBuffer buf = new LiveFrameBuffer(16);
      assertThrows(TamperedFrameException.class, () -> rx.openLiveFrame(out, 0, out.length, buf));
      assertEquals(0, buf.length());
    }
  }

  /** Authenticated but malformed padding (a buggy or hostile sender): refused, nothing released. */
  @Test
  void aPadLengthThatDoesNotFitOrNonzeroPaddingIsMalformed() throws Exception {
    EpochKey k = key();
    byte[] frame = "secret frame bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (SFrameSender s = SFrameSender.builder(k, CounterStore.inMemoryForTests()).build();
        SFrameReceiver rx = receiver(k)) {
      // pad length larger than all before the trailer; a huge one (u32 above int range); too short
      // for a trailer; nonzero padding
      byte[][] plaintexts = {
        plaintext(frame, 3, frame.length + 4L),
        plaintext(frame, 0, 0xffff_fff0L),
        java.util.Arrays.copyOf(plaintext(frame, 0, 0), 20),
        nonzeroPadding(frame),
      };
      for (byte[] pt : plaintexts) {
        assertMalformed(s, rx, pt, "live frame:");
      }
    }
  }

  /**
   * Seals {@code pt} raw (authenticated) and checks that opening it as a live frame is malformed,
   * with {@code says} in the message, and leaves nothing in the buffer.
   */
  private static void assertMalformed(SFrameSender s, SFrameReceiver rx, byte[] pt, String says)
      throws Exception {
    byte[] sealed = new byte[s.sealedLength(pt.length)];
    s.seal(pt, 0, pt.length, sealed, 0);
    LiveFrameBuffer buf = new LiveFrameBuffer(16);
    MalformedDataException e = assertThrows(MalformedDataException.class,
        () -> rx.openLiveFrame(sealed, 0, sealed.length, buf));
    assertTrue(e.getMessage().contains(says), e.getMessage());
    assertEquals(0, buf.length(), "no frame");
    assertEquals(false, buf.cover());
    for (byte b : buf.array()) {
      assertEquals(0, b, "none of the plaintext is left in the buffer");
    }
  }

  private static byte[] plaintext(byte[] frame, int pad, long padField) {
    byte[] pt = new byte[LiveFrame.PREFIX_BYTES + frame.length + pad + 4];
    LiveFrame.writePrefix(7, true, true, 1, pt);
    System.arraycopy(frame, 0, pt, LiveFrame.PREFIX_BYTES, frame.length);
    int t = pt.length - 4;
    pt[t] = (byte) (padField >>> 24);
    pt[t + 1] = (byte) (padField >>> 16);
    pt[t + 2] = (byte) (padField >>> 8);
    pt[t + 3] = (byte) padField;
    return pt;
  }

  private static byte[] nonzeroPadding(byte[] frame) {
    byte[] pt = plaintext(frame, 8, 8);
    pt[pt.length - 4 - 3] = 1;
    return pt;
  }

  @Test
  void anUnpaddedFrameIsUnchanged() throws Exception {
    EpochKey k = key();
    try (SFrameSender s = SFrameSender.builder(k, CounterStore.inMemoryForTests()).build();
        SFrameReceiver rx = receiver(k)) {
      int expected = s.sealedLiveFrameLength(3);
      byte[] sealed = s.seal(new EncodedFrame(1, false, new byte[] {1, 2, 3}), 5);
      assertEquals(expected, sealed.length);
      assertArrayEquals(new byte[] {1, 2, 3}, rx.openLiveFrame(sealed).frame().data());
    }
  }

  /** Cover frames (section 5.2): exact size, open empty and marked; strict; no record parse. */
  @Test
  void aCoverFrameOpensEmptyAndMarkedAndAMalformedOneIsRefused() throws Exception {
    EpochKey k = key();
    try (SFrameSender s = SFrameSender.builder(k, CounterStore.inMemoryForTests()).build();
        SFrameReceiver rx = receiver(k)) {
      int min = s.minPaddedLiveFrameLength(0);
      byte[] out = new byte[min + 500];
      assertEquals(min + 500, s.sealCoverFrame(123, min + 500, out, 0));
      LiveFrameBuffer buf = new LiveFrameBuffer(16);
      rx.openLiveFrame(out, 0, out.length, buf);
      assertTrue(buf.cover());
      assertEquals(0, buf.length());
      assertEquals(false, buf.keyframe());
      assertEquals(123, buf.captureMicros());
      assertThrows(IllegalArgumentException.class, () -> s.sealCoverFrame(0, min - 1, new byte[min], 0));
      byte[] again = new byte[min];
      s.sealCoverFrame(0, min, again, 0);
      assertThrows(MalformedDataException.class, () -> rx.openLiveFrame(again), "a cover is no LiveFrame");
      // authenticated but malformed covers: a keyframe cover, an unpadded cover, a cover with bytes
      byte[] frame = {1, 2, 3};
      byte[] keyCover = plaintext(new byte[0], 2, 2);
      keyCover[1] = (byte) (LiveFrame.FLAG_COVER | LiveFrame.FLAG_PADDED | LiveFrame.FLAG_KEYFRAME);
      byte[] unpadded = new byte[LiveFrame.PREFIX_BYTES];
      LiveFrame.writePrefix(0, LiveFrame.FLAG_COVER, 0, unpadded);
      byte[] withBytes = plaintext(frame, 2, 2);
      withBytes[1] = (byte) (LiveFrame.FLAG_COVER | LiveFrame.FLAG_PADDED);
      for (byte[] pt : new byte[][] {keyCover, unpadded, withBytes}) {
        assertMalformed(s, rx, pt, "cover");
      }
    }
  }
}
