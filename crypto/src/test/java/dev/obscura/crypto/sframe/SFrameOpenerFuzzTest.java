package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the SFrame opener ({@link SFrameReceiver}, {@link SFrameAead}) and the live frame inside
 * it with inputs the fuzzer builds: a cipher suite, a starting counter, a few frames (plain
 * payload with metadata, live, padded live or cover) sealed by a real {@link SFrameSender}. Each
 * opens to exactly what was sealed. Then one sealed frame gets a fuzzer-chosen mutation (bit flip,
 * truncation, extension, header splice, other metadata, replay) and must fail with a typed
 * exception ({@link MalformedDataException}, {@link TamperedFrameException}, {@link
 * ReplayedFrameException}, {@link UnknownKeyIdException}) and release nothing: the caller's
 * buffer, pre-filled with a sentinel, holds only the sentinel or zeros (a GCM failure zeroes the
 * region), and a live-frame buffer holds no frame. Finally the fuzzer's remaining bytes are opened
 * as they are: typed failure or a frame of a held key.
 */
class SFrameOpenerFuzzTest {
  private static final StreamId STREAM = StreamId.of("fuzz-cam");
  private static final byte SENTINEL = (byte) 0xA5;
  private static final EpochKey[] KEYS = new EpochKey[3];

  static {
    for (int i = 0; i < KEYS.length; i++) {
      // epochs 0, 9 and 300: KIDs in the config byte and in one or two extra bytes
      long epoch = new long[] {0, 9, 300}[i];
      KEYS[i] = EpochKey.generate(STREAM, EpochId.of(epoch), EntropySource.insecureDeterministicForTests(77 + i));
    }
  }

  /** A counter store starting at a chosen value, so long CTR headers are reached. */
  private static CounterStore startingAt(long start) {
    CounterStore s = CounterStore.inMemoryForTests();
    try {
      s.store(start);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return s;
  }

  private record Sealed(byte[] bytes, byte[] metadata, int mode, LiveFrame live, byte[] payload) {}

  @FuzzTest(maxDuration = "60s")
  void openSealedAndMutated(FuzzedDataProvider in) throws Exception {
    SFrameCipherSuite suite = in.pickValue(SFrameCipherSuite.values());
    EpochKey key = KEYS[in.consumeInt(0, KEYS.length - 1)];
    long start = in.consumeLong(0, Long.MAX_VALUE - 64);
    SFrameSender.Builder sb = SFrameSender.builder(key, startingAt(start)).cipherSuite(suite)
        .counterBlockSize(in.consumeInt(1, 8));
    SFrameReceiver.Builder rb = SFrameReceiver.builder(STREAM).cipherSuite(suite);
    if (suite.hasShortTag()) {
      sb.allowShortTags();
      rb.allowShortTags();
    }
    List<Sealed> sealed = new ArrayList<>();
    try (SFrameSender tx = sb.build(); SFrameReceiver rx = rb.build()) {
      rx.addEpochKey(key);
      int frames = in.consumeInt(1, 4);
      for (int i = 0; i < frames; i++) {
        sealed.add(seal(tx, in));
      }
      // open all but the last (kept fresh for the mutation), in order
      for (int i = 0; i < sealed.size() - 1; i++) {
        openAndCheck(rx, sealed.get(i));
      }
      Sealed target = sealed.get(sealed.size() - 1);
      mutateAndCheck(rx, target, sealed, in, suite);
      // after a refused mutation the genuine frame still opens (nothing was accepted)
      openAndCheck(rx, target);
      // whatever is left, as an SFrame ciphertext as it stands
      byte[] raw = in.consumeRemainingAsBytes();
      try {
        byte[] out = rx.open(raw);
        assertTrue(out.length <= raw.length);
      } catch (MalformedDataException | TamperedFrameException | ReplayedFrameException
          | UnknownKeyIdException expected) {
        // typed
      }
    }
  }

  private static Sealed seal(SFrameSender tx, FuzzedDataProvider in) throws IOException {
    int mode = in.consumeInt(0, 3);
    long pts = in.consumeLong();
    long capture = in.consumeLong();
    boolean keyframe = in.consumeBoolean();
    byte[] data = in.consumeBytes(in.consumeInt(0, 2048));
    switch (mode) {
      case 0: {
        byte[] metadata = in.consumeBytes(in.consumeInt(0, 64));
        byte[] out = new byte[tx.maxSealedLength(data.length)];
        int n = tx.seal(data, 0, data.length, metadata, 0, metadata.length, out, 0);
        assertEquals(tx.sealedLength(data.length) <= out.length, true);
        return new Sealed(Arrays.copyOf(out, n), metadata, mode, null, data);
      }
      case 1: {
        byte[] out = new byte[tx.maxSealedLiveFrameLength(data.length)];
        int n = tx.sealLiveFrame(pts, keyframe, capture, data, 0, data.length, out, 0);
        return new Sealed(Arrays.copyOf(out, n), null, mode, new LiveFrame(new dev.obscura.core.EncodedFrame(pts, keyframe, data), capture), data);
      }
      case 2: {
        int min = tx.minPaddedLiveFrameLength(data.length);
        int len = min + in.consumeInt(0, 512);
        byte[] out = new byte[len + 8];
        int n = tx.sealPaddedLiveFrame(pts, keyframe, capture, data, 0, data.length, len, out, 0);
        assertEquals(len, n);
        return new Sealed(Arrays.copyOf(out, n), null, mode, new LiveFrame(new dev.obscura.core.EncodedFrame(pts, keyframe, data), capture), data);
      }
      default: {
        int len = tx.minPaddedLiveFrameLength(0) + in.consumeInt(0, 512);
        byte[] out = new byte[len];
        int n = tx.sealCoverFrame(capture, len, out, 0);
        assertEquals(len, n);
        return new Sealed(out, null, mode, null, new byte[0]);
      }
    }
  }

  private static void openAndCheck(SFrameReceiver rx, Sealed s) throws Exception {
    byte[] b = s.bytes();
    if (s.mode() == 0) {
      byte[] out = new byte[rx.maxPlaintextLength(b.length) + 2];
      int n = rx.open(b, 0, b.length, s.metadata(), 0, s.metadata().length, out, 1);
      assertArrayEquals(s.payload(), Arrays.copyOfRange(out, 1, 1 + n));
      return;
    }
    LiveFrameBuffer into = new LiveFrameBuffer(0);
    rx.openLiveFrame(b, 0, b.length, into);
    SFrameHeader h = SFrameHeader.decode(b, 0, b.length);
    assertEquals(h.kid(), into.kid());
    assertEquals(h.counter(), into.counter());
    if (s.mode() == 3) {
      assertTrue(into.cover());
      assertEquals(0, into.length());
      return;
    }
    assertEquals(false, into.cover());
    assertEquals(s.live(), into.toLiveFrame());
  }

  private static void mutateAndCheck(SFrameReceiver rx, Sealed s, List<Sealed> all,
      FuzzedDataProvider in, SFrameCipherSuite suite) throws Exception {
    byte[] b = s.bytes().clone();
    byte[] metadata = s.metadata();
    int kind = in.consumeInt(0, 5);
    switch (kind) {
      case 0: { // flip one bit
        int bit = in.consumeInt(0, b.length * 8 - 1);
        b[bit / 8] ^= (byte) (1 << (bit % 8));
        break;
      }
      case 1: // cut
        b = Arrays.copyOf(b, in.consumeInt(0, b.length - 1));
        break;
      case 2: { // extend with chosen bytes
        byte[] extra = in.consumeBytes(in.consumeInt(1, 32));
        if (extra.length == 0) {
          extra = new byte[] {0};
        }
        byte[] longer = Arrays.copyOf(b, b.length + extra.length);
        System.arraycopy(extra, 0, longer, b.length, extra.length);
        b = longer;
        break;
      }
      case 3: { // another frame's header on this body
        Sealed other = all.get(in.consumeInt(0, all.size() - 1));
        int hThis = SFrameHeader.decode(b, 0, b.length).encodedLength();
        int hOther = SFrameHeader.decode(other.bytes(), 0, other.bytes().length).encodedLength();
        byte[] spliced = new byte[hOther + b.length - hThis];
        System.arraycopy(other.bytes(), 0, spliced, 0, hOther);
        System.arraycopy(b, hThis, spliced, hOther, b.length - hThis);
        if (Arrays.equals(spliced, s.bytes())) {
          return; // spliced its own header: no mutation
        }
        b = spliced;
        break;
      }
      case 4: { // other metadata (for a live frame: some metadata where there was none)
        byte[] m = in.consumeBytes(in.consumeInt(1, 64));
        if (metadata != null && Arrays.equals(m, metadata) || m.length == 0 && metadata == null) {
          return;
        }
        metadata = m;
        break;
      }
      default: { // replay a frame already accepted
        if (all.size() < 2) {
          return;
        }
        Sealed old = all.get(in.consumeInt(0, all.size() - 2));
        b = old.bytes().clone();
        metadata = old.metadata();
        break;
      }
    }
    if (metadata == null) {
      metadata = new byte[0];
    }
    byte[] out = new byte[Math.max(0, b.length) + 4];
    Arrays.fill(out, SENTINEL);
    try {
      int n = rx.open(b, 0, b.length, metadata, 0, metadata.length, out, 2);
      throw new AssertionError("mutation " + kind + " of a " + suite + " frame opened (" + n + " bytes)");
    } catch (MalformedDataException | TamperedFrameException | ReplayedFrameException
        | UnknownKeyIdException expected) {
      for (int i = 0; i < out.length; i++) {
        if (out[i] != SENTINEL && out[i] != 0) {
          throw new AssertionError("a refused frame released byte " + i + " (" + expected + ")");
        }
      }
    }
    if (s.mode() != 0 && metadata.length == 0) {
      LiveFrameBuffer into = new LiveFrameBuffer(0);
      try {
        rx.openLiveFrame(b, 0, b.length, into);
        throw new AssertionError("mutation " + kind + " of a live frame opened");
      } catch (MalformedDataException | TamperedFrameException | ReplayedFrameException
          | UnknownKeyIdException expected) {
        assertEquals(0, into.length());
        assertTrue(dev.obscura.core.Bytes.isZero(into.array(), 0, into.array().length),
            "a refused live frame left plaintext in the buffer");
      }
    }
  }
}
