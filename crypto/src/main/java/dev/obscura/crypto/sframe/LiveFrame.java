package dev.obscura.crypto.sframe;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.MalformedDataException;
import java.util.Arrays;

/**
 * The plaintext of an Obscura live frame inside SFrame (docs/spec/live-sframe-v1.md):
 * {@code u8 version = 1 || u8 flags (bit 0 keyframe, others zero) || i64be presentation micros ||
 * frame bytes}.
 */
final class LiveFrame {
  static final int PREFIX_BYTES = 10;
  static final int VERSION = 1;
  static final int FLAG_KEYFRAME = 0x01;

  private LiveFrame() {}

  static void writePrefix(EncodedFrame frame, byte[] prefix) {
    prefix[0] = (byte) VERSION;
    prefix[1] = (byte) (frame.keyframe() ? FLAG_KEYFRAME : 0);
    long pts = frame.presentationMicros();
    for (int i = 9; i >= 2; i--) {
      prefix[i] = (byte) pts;
      pts >>>= 8;
    }
  }

  static EncodedFrame parse(byte[] pt, int len) throws MalformedDataException {
    if (len < PREFIX_BYTES) {
      throw new MalformedDataException("live frame: shorter than its 10-byte prefix");
    }
    if ((pt[0] & 0xff) != VERSION) {
      throw new MalformedDataException("live frame: unknown version " + (pt[0] & 0xff));
    }
    int flags = pt[1] & 0xff;
    if ((flags & ~FLAG_KEYFRAME) != 0) {
      throw new MalformedDataException("live frame: reserved flag bits set");
    }
    long pts = 0;
    for (int i = 2; i < 10; i++) {
      pts = (pts << 8) | (pt[i] & 0xff);
    }
    return new EncodedFrame(pts, (flags & FLAG_KEYFRAME) != 0, Arrays.copyOfRange(pt, PREFIX_BYTES, len));
  }
}
