package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.crypto.tink.subtle.Hkdf;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.keys.TestSecrets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sender and receiver through their public API: round trips, replay, tampering, policy. */
class SFrameSenderReceiverTest {
  private static final StreamId STREAM = StreamId.of("front-door");
  private static final HexFormat HEX = HexFormat.of();

  static EpochKey key(StreamId stream, long epoch, long seed) {
    return EpochKey.generate(stream, EpochId.of(epoch), EntropySource.insecureDeterministicForTests(seed));
  }

  static EpochKey key(long epoch) {
    return key(STREAM, epoch, 1000 + epoch);
  }

  private static SFrameSender.Builder sender(EpochKey k, SFrameCipherSuite suite) {
    SFrameSender.Builder b = SFrameSender.builder(k, CounterStore.inMemoryForTests()).cipherSuite(suite);
    return suite.hasShortTag() ? b.allowShortTags() : b;
  }

  private static SFrameReceiver receiver(SFrameCipherSuite suite, EpochKey... keys) {
    SFrameReceiver.Builder b = SFrameReceiver.builder(STREAM).cipherSuite(suite);
    SFrameReceiver r = (suite.hasShortTag() ? b.allowShortTags() : b).build();
    for (EpochKey k : keys) {
      r.addEpochKey(k);
    }
    return r;
  }

  private static EncodedFrame frame(SplittableRandom r, int size, long pts) {
    byte[] d = new byte[size];
    r.nextBytes(d);
    return new EncodedFrame(pts, pts % 30 == 0, d);
  }

  @Test
  void defaultSuiteIsAes128Gcm() throws IOException {
    try (SFrameSender s = SFrameSender.builder(key(0), CounterStore.inMemoryForTests()).build()) {
      assertEquals(SFrameCipherSuite.AES_128_GCM_SHA256_128, s.cipherSuite());
    }
    assertEquals(SFrameCipherSuite.AES_128_GCM_SHA256_128, SFrameReceiver.builder(STREAM).build().cipherSuite());
  }

  @ParameterizedTest
  @EnumSource(SFrameCipherSuite.class)
  void roundTripEverySuite(SFrameCipherSuite suite) throws Exception {
    EpochKey k = key(3);
    SplittableRandom r = new SplittableRandom(suite.id());
    try (SFrameSender s = sender(k, suite).build(); SFrameReceiver rx = receiver(suite, k)) {
      for (int i = 0; i < 40; i++) {
        int size = i == 0 ? 0 : r.nextInt(1, 5000);
        EncodedFrame f = frame(r, size, i * 33_333L);
        byte[] sealed = s.seal(f);
        assertEquals(SFrameHeader.encodedLength(3, i) + 18 + size + suite.tagBytes(), sealed.length); // 18-byte live frame v2 prefix
        SFrameHeader h = SFrameHeader.decode(sealed, 0, sealed.length);
        assertEquals(3, h.kid(), "KID is the epoch");
        assertEquals(i, h.counter());
        assertEquals(f, rx.openFrame(sealed));
      }
    }
  }

  @Test
  void bufferApiWithMetadataAndOffsets() throws Exception {
    EpochKey k = key(1);
    byte[] md = "rtp-ext".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] pt = new byte[3000];
    new SplittableRandom(5).nextBytes(pt);
    try (SFrameSender s = sender(k, SFrameCipherSuite.DEFAULT).build();
        SFrameReceiver rx = receiver(SFrameCipherSuite.DEFAULT, k)) {
      byte[] out = new byte[7 + s.maxSealedLength(1000) + 5];
      int expected = s.sealedLength(1000);
      int n = s.seal(pt, 100, 1000, md, 0, md.length, out, 7);
      assertEquals(expected, n);
      byte[] back = new byte[rx.maxPlaintextLength(n) + 3];
      // wrong metadata: refused, window unchanged
      assertThrows(TamperedFrameException.class, () -> rx.open(out, 7, n, null, 0, 0, back, 3));
      int m = rx.open(out, 7, n, md, 0, md.length, back, 3);
      assertEquals(1000, m);
      assertArrayEquals(Arrays.copyOfRange(pt, 100, 1100), Arrays.copyOfRange(back, 3, 1003));
      assertThrows(IndexOutOfBoundsException.class, () -> s.seal(pt, 0, 1000, new byte[10], 0));
    }
  }

  @Test
  void sealAllPumpsAFrameSourceInOrder() throws Exception {
    EpochKey k = key(8);
    SplittableRandom r = new SplittableRandom(8);
    List<EncodedFrame> frames = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      frames.add(frame(r, r.nextInt(0, 700), i * 40_000L));
    }
    java.util.Iterator<EncodedFrame> it = frames.iterator();
    dev.obscura.core.FrameSource source = new dev.obscura.core.FrameSource() {
      @Override
      public EncodedFrame next() {
        return it.hasNext() ? it.next() : null;
      }

      @Override
      public void close() {}
    };
    List<EncodedFrame> opened = new ArrayList<>();
    try (SFrameSender s = sender(k, SFrameCipherSuite.DEFAULT).build();
        SFrameReceiver rx = receiver(SFrameCipherSuite.DEFAULT, k)) {
      long n = s.sealAll(source, (f, sealed) -> {
        try {
          EncodedFrame back = rx.openFrame(sealed);
          assertEquals(f.keyframe(), back.keyframe());
          opened.add(back);
        } catch (ObscuraException e) {
          throw new AssertionError(e);
        }
      });
      assertEquals(25, n);
    }
    assertEquals(frames, opened);
  }

  @Test
  void sameFrameTwiceIsRejectedAsReplay() throws Exception {
    EpochKey k = key(2);
    try (SFrameSender s = sender(k, SFrameCipherSuite.DEFAULT).build();
        SFrameReceiver rx = receiver(SFrameCipherSuite.DEFAULT, k)) {
      byte[] sealed = s.seal(new EncodedFrame(0, true, new byte[100]));
      rx.openFrame(sealed);
      ReplayedFrameException e = assertThrows(ReplayedFrameException.class, () -> rx.openFrame(sealed));
      assertFalse(e.tooOld());
      assertEquals(2, e.kid());
      assertEquals(0, e.counter());
      assertTrue(e instanceof IntegrityException);
    }
  }

  @Test
  void outOfOrderWithinWindowIsAcceptedOnceAndOlderThanWindowIsRejected() throws Exception {
    EpochKey k = key(4);
    int window = 64;
    try (SFrameSender s = sender(k, SFrameCipherSuite.DEFAULT).build();
        SFrameReceiver rx = SFrameReceiver.builder(STREAM).replayWindowFrames(window).build()) {
      rx.addEpochKey(k);
      List<byte[]> sealed = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        sealed.add(s.seal(new EncodedFrame(i, false, new byte[] {(byte) i})));
      }
      // deliver 0..99 shuffled in blocks of 10 (reordering well inside the window)
      List<Integer> order = new ArrayList<>();
      SplittableRandom r = new SplittableRandom(77);
      for (int b = 0; b < 100; b += 10) {
        List<Integer> block = new ArrayList<>();
        for (int i = b; i < b + 10; i++) {
          block.add(i);
        }
        for (int i = block.size() - 1; i > 0; i--) {
          int j = r.nextInt(i + 1);
          Integer t = block.get(i);
          block.set(i, block.get(j));
          block.set(j, t);
        }
        order.addAll(block);
      }
      for (int i : order) {
        assertEquals(i, rx.openFrame(sealed.get(i)).presentationMicros());
      }
      for (int i : order) {
        int idx = i;
        assertThrows(ReplayedFrameException.class, () -> rx.openFrame(sealed.get(idx)));
      }
      // jump ahead to 199: 150 is within the window (age 49), 100 is not (age 99)
      rx.openFrame(sealed.get(199));
      rx.openFrame(sealed.get(150));
      ReplayedFrameException old = assertThrows(ReplayedFrameException.class, () -> rx.openFrame(sealed.get(100)));
      assertTrue(old.tooOld());
      // exactly at the edge: age window-1 accepted, age window refused
      rx.openFrame(sealed.get(199 - (window - 1)));
      assertTrue(assertThrows(ReplayedFrameException.class,
          () -> rx.openFrame(sealed.get(199 - window))).tooOld());
    }
  }

  @ParameterizedTest
  @EnumSource(SFrameCipherSuite.class)
  void seededBitFlipsInHeaderCiphertextAndTagAreRejectedAndReleaseNothing(SFrameCipherSuite suite)
      throws Exception {
    EpochKey k = key(9);
    SplittableRandom r = new SplittableRandom(31 * suite.id());
    try (SFrameSender s = sender(k, suite).build(); SFrameReceiver rx = receiver(suite, k)) {
      for (int f = 0; f < 5; f++) {
        byte[] pt = new byte[r.nextInt(1, 600)];
        r.nextBytes(pt);
        byte[] sealed = new byte[s.sealedLength(pt.length)];
        s.seal(pt, 0, pt.length, sealed, 0);
        int hLen = SFrameHeader.decode(sealed, 0, sealed.length).encodedLength();
        // flips in each region: header, ciphertext body, tag
        int[] regions = {0, hLen, sealed.length - suite.tagBytes()};
        int[] ends = {hLen, sealed.length - suite.tagBytes(), sealed.length};
        for (int region = 0; region < 3; region++) {
          for (int t = 0; t < 25; t++) {
            byte[] bad = sealed.clone();
            int pos = r.nextInt(regions[region], ends[region]);
            bad[pos] ^= (byte) (1 << r.nextInt(8));
            byte[] out = new byte[pt.length + 32];
            Arrays.fill(out, (byte) 0x5A);
            try {
              rx.open(bad, 0, bad.length, out, 0);
              fail("tampered frame accepted: region " + region + " byte " + pos);
            } catch (TamperedFrameException | MalformedDataException | UnknownKeyIdException
                | ReplayedFrameException expected) {
              // a header flip may change the KID (unknown key) or break the header's form
              if (region > 0) {
                assertTrue(expected instanceof TamperedFrameException, expected.toString());
              }
            }
            for (int i = 0; i < pt.length; i++) {
              assertTrue(out[i] == 0 || out[i] == 0x5A, "plaintext byte released after failure");
            }
          }
        }
        // the genuine frame still opens: forgeries did not move the window
        byte[] back = new byte[pt.length];
        assertEquals(pt.length, rx.open(sealed, 0, sealed.length, back, 0));
        assertArrayEquals(pt, back);
      }
    }
  }

  @Test
  void truncatedAndEmptyInputsAreMalformed() throws Exception {
    EpochKey k = key(0);
    try (SFrameSender s = sender(k, SFrameCipherSuite.DEFAULT).build();
        SFrameReceiver rx = receiver(SFrameCipherSuite.DEFAULT, k)) {
      byte[] sealed = s.seal(new EncodedFrame(1, false, new byte[0]));
      assertThrows(MalformedDataException.class, () -> rx.open(new byte[0]));
      for (int cut = 1; cut < 1 + 16; cut++) {
        byte[] shortOne = Arrays.copyOf(sealed, cut);
        assertThrows(MalformedDataException.class, () -> rx.open(shortOne));
      }
      // header + tag but plaintext shorter than the live-frame prefix: authenticated, then malformed
      byte[] raw = new byte[s.sealedLength(3)];
      s.seal(new byte[3], 0, 3, raw, 0);
      assertThrows(MalformedDataException.class, () -> rx.openFrame(raw));
    }
  }

  @Test
  void shortTagSuitesAreRefusedUnlessAllowed() throws IOException {
    for (SFrameCipherSuite suite : SFrameCipherSuite.values()) {
      SFrameSender.Builder sb = SFrameSender.builder(key(0), CounterStore.inMemoryForTests()).cipherSuite(suite);
      SFrameReceiver.Builder rb = SFrameReceiver.builder(STREAM).cipherSuite(suite);
      if (suite.tagBytes() < 16) {
        IllegalStateException e = assertThrows(IllegalStateException.class, sb::build);
        assertTrue(e.getMessage().contains("allowShortTags"), e.getMessage());
        assertThrows(IllegalStateException.class, rb::build);
        sb.allowShortTags().build().close();
        rb.allowShortTags().build().close();
      } else {
        sb.build().close();
        rb.build().close();
      }
    }
    assertEquals(List.of(1, 2, 3, 6, 7, 8),
        Arrays.stream(SFrameCipherSuite.values()).filter(SFrameCipherSuite::hasShortTag)
            .map(SFrameCipherSuite::id).toList());
  }

  @Test
  void unknownEpochIsTypedAndCanBeRetriedAfterTheKeyArrives() throws Exception {
    EpochKey k5 = key(5);
    try (SFrameSender s = sender(k5, SFrameCipherSuite.DEFAULT).build();
        SFrameReceiver rx = receiver(SFrameCipherSuite.DEFAULT)) {
      byte[] sealed = s.seal(new EncodedFrame(0, true, new byte[] {1, 2, 3}));
      UnknownKeyIdException e = assertThrows(UnknownKeyIdException.class, () -> rx.openFrame(sealed));
      assertEquals(5, e.kid());
      assertTrue(e instanceof KeyUnavailableException);
      rx.addEpochKey(k5);
      assertArrayEquals(new byte[] {1, 2, 3}, rx.openFrame(sealed).data());
    }
  }

  @Test
  void rotationCarriesTheCounterAndReceiverPicksKeyByKid() throws Exception {
    EpochKey k1 = key(1);
    EpochKey k2 = key(2);
    try (SFrameSender s = sender(k1, SFrameCipherSuite.DEFAULT).build();
        SFrameReceiver rx = receiver(SFrameCipherSuite.DEFAULT, k1, k2)) {
      byte[] a = s.seal(new EncodedFrame(0, true, new byte[10]));
      s.rotate(k2);
      assertEquals(EpochId.of(2), s.epoch());
      byte[] b = s.seal(new EncodedFrame(1, true, new byte[10]));
      SFrameHeader hb = SFrameHeader.decode(b, 0, b.length);
      assertEquals(2, hb.kid());
      assertEquals(1, hb.counter(), "the counter does not restart with the epoch");
      rx.openFrame(b);
      rx.openFrame(a); // late frame of the previous epoch, its own window
      assertThrows(IllegalArgumentException.class, () -> s.rotate(k1));
      assertThrows(IllegalArgumentException.class, () -> s.rotate(key(StreamId.of("garage"), 3, 1)));
      // a removed epoch cannot come back (its replay state is gone)
      assertTrue(rx.removeEpoch(EpochId.of(1)));
      assertThrows(UnknownKeyIdException.class, () -> rx.openFrame(a));
      assertThrows(IllegalStateException.class, () -> rx.addEpochKey(k1));
    }
  }

  @Test
  void framesOfAnotherStreamOrKeyDoNotOpen() throws Exception {
    EpochKey garage = key(StreamId.of("garage"), 1, 1001);
    EpochKey door = key(1); // same seed and epoch, other stream: same epoch key bytes
    assertTrue(garage.secret().equalsSecretBytes(door.secret()));
    try (SFrameSender s = sender(garage, SFrameCipherSuite.DEFAULT).build();
        SFrameReceiver rx = receiver(SFrameCipherSuite.DEFAULT, door)) {
      byte[] sealed = s.seal(new EncodedFrame(0, true, new byte[50]));
      assertThrows(TamperedFrameException.class, () -> rx.openFrame(sealed));
      assertThrows(IllegalArgumentException.class, () -> rx.addEpochKey(garage));
    }
  }

  @Test
  void baseKeyMatchesIndependentHkdfAndKnownAnswer() throws Exception {
    byte[] ikm = new byte[32];
    for (int i = 0; i < 32; i++) {
      ikm[i] = (byte) i;
    }
    EpochKey k = new EpochKey(STREAM, EpochId.of(7), SecretBytes.copyFrom(ikm, InsecureSecretAccess.get()));
    byte[] info = SFrameKeySchedule.baseKeyInfo(k);
    assertEquals("6f6273637572612f763120736672616d652062617365206b6579" // "obscura/v1 sframe base key"
        + "0a" + "66726f6e742d646f6f72" + "0000000000000007", HEX.formatHex(info));
    byte[] expected = Hkdf.computeHkdf("HMACSHA256", ikm, new byte[0], info, 32);
    assertArrayEquals(expected, SFrameKeySchedule.baseKey(k, null));
    assertEquals("c3952e94c23b5b4ac98f8a5f30fd42b62873d5bc526b056bf220f18cb96c6ef6",
        HEX.formatHex(SFrameKeySchedule.baseKey(k, null)));
  }

  @Test
  void noSecretInToStringOrExceptions() throws Exception {
    EpochKey k = key(6);
    byte[] raw = TestSecrets.raw(k);
    byte[] base = SFrameKeySchedule.baseKey(k, null);
    List<String> texts = new ArrayList<>();
    try (SFrameSender s = sender(k, SFrameCipherSuite.DEFAULT).build();
        SFrameReceiver rx = receiver(SFrameCipherSuite.DEFAULT, k)) {
      texts.add(s.toString());
      texts.add(rx.toString());
      byte[] sealed = s.seal(new EncodedFrame(0, true, new byte[20]));
      byte[] bad = sealed.clone();
      bad[bad.length - 1] ^= 1;
      for (byte[] in : List.of(bad, sealed, sealed, new byte[] {(byte) 0x80})) {
        try {
          rx.openFrame(in);
        } catch (ObscuraException e) {
          texts.add(TestSecrets.fullText(e));
        }
      }
    }
    assertTrue(texts.size() >= 5);
    for (String t : texts) {
      TestSecrets.assertNoLeak(t, raw);
      TestSecrets.assertNoLeak(t, base);
    }
  }
}
