package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.MalformedDataException;
import java.util.Arrays;

/**
 * Fuzzes the live-frame plaintext parser ({@link LiveFrame#parse}, docs/spec/live-sframe-v1.md
 * section 5) with arbitrary bytes, as if they had been authenticated. When it parses, the frame
 * re-encoded unpadded parses to an equal frame; an unpadded input is canonical (re-encoding gives
 * it back byte for byte); a padded one is not (the padding is stripped), so for it only the
 * frame, times and flags must survive. Only {@link MalformedDataException} may escape.
 */
class LiveFrameFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void liveFrameRoundTrip(byte[] pt) throws MalformedDataException {
    LiveFrame f;
    int flags;
    try {
      flags = LiveFrame.checkPrefix(pt, 0, pt.length);
      int frameLength = LiveFrame.frameLength(pt, pt.length, flags);
      if (frameLength < 0 || frameLength > pt.length - LiveFrame.PREFIX_BYTES) {
        throw new AssertionError("frame length " + frameLength + " outside a " + pt.length + "-byte plaintext");
      }
      f = LiveFrame.parse(pt, pt.length);
      assertEquals(frameLength, f.frame().data().length);
    } catch (MalformedDataException expected) {
      return;
    }
    byte[] data = f.frame().data();
    byte[] enc = new byte[LiveFrame.PREFIX_BYTES + data.length];
    LiveFrame.writePrefix(f.frame().presentationMicros(), f.frame().keyframe(), f.captureMicros(), enc);
    System.arraycopy(data, 0, enc, LiveFrame.PREFIX_BYTES, data.length);
    LiveFrame again = LiveFrame.parse(enc, enc.length);
    assertEquals(f, again);
    if ((flags & LiveFrame.FLAG_PADDED) == 0) {
      assertArrayEquals(pt, enc, "an unpadded live frame is canonical");
    } else {
      assertArrayEquals(Arrays.copyOfRange(pt, LiveFrame.PREFIX_BYTES, LiveFrame.PREFIX_BYTES + data.length), data);
    }
  }
}
