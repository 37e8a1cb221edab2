package dev.obscura.crypto.sframe;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.MalformedDataException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An opened Obscura live frame (docs/spec/live-sframe-v1.md section 5): the encoded frame and
 * the wall-clock time the camera captured (or sealed) it, both authenticated by SFrame.
 *
 * <p>The plaintext inside SFrame is, in version 2: {@code u8 version = 2 || u8 flags (bit 0
 * keyframe, bit 1 padded, others zero) || i64be presentation micros || i64be capture micros since
 * the Unix epoch || frame bytes}, and when bit 1 is set {@code || P zero bytes || u32be P} after
 * the frame (padding, stripped by every reader). Bit 2 marks a cover frame (padded, no video,
 * not a keyframe), sent by a pacing camera to fill its schedule; viewers drop it. Version 1 (no capture time) is refused: its
 * freshness cannot be checked.
 *
 * @param frame the frame (presentation time, keyframe flag and bytes, as sealed)
 * @param captureMicros the camera's wall-clock capture time, microseconds since 1970-01-01T00:00Z
 */
public record LiveFrame(EncodedFrame frame, long captureMicros) {
  static final int PREFIX_BYTES = 18;
  static final int VERSION = 2;
  static final int FLAG_KEYFRAME = 0x01;
  static final int FLAG_PADDED = 0x02;
  /** A cover frame (section 5.2): padding only, no video; viewers authenticate and drop it. */
  static final int FLAG_COVER = 0x04;
  /** The trailer of a padded frame: u32be number of zero padding bytes before it. */
  static final int PAD_TRAILER_BYTES = 4;

  public LiveFrame {
    Objects.requireNonNull(frame, "frame");
  }

  /** The capture time as an instant. */
  public Instant captureTime() {
    return Instant.EPOCH.plus(captureMicros, java.time.temporal.ChronoUnit.MICROS);
  }

  /**
   * How far the capture time is from {@code now}: positive if the frame is older, negative if it
   * is stamped in the future. Saturates instead of overflowing.
   */
  public Duration age(Instant now) {
    long nowMicros = micros(now);
    long d;
    try {
      d = Math.subtractExact(nowMicros, captureMicros);
    } catch (ArithmeticException e) {
      d = nowMicros > captureMicros ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return Duration.of(d, java.time.temporal.ChronoUnit.MICROS);
  }

  /** Microseconds since the Unix epoch of {@code t}, saturated to the long range. */
  public static long micros(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static void writePrefix(long presentationMicros, boolean keyframe, long captureMicros, byte[] prefix) {
    writePrefix(presentationMicros, keyframe, false, captureMicros, prefix);
  }

  static void writePrefix(long presentationMicros, boolean keyframe, boolean padded,
      long captureMicros, byte[] prefix) {
    writePrefix(presentationMicros, (keyframe ? FLAG_KEYFRAME : 0) | (padded ? FLAG_PADDED : 0),
        captureMicros, prefix);
  }

  static void writePrefix(long presentationMicros, int flags, long captureMicros, byte[] prefix) {
    prefix[0] = (byte) VERSION;
    prefix[1] = (byte) flags;
    putLong(prefix, 2, presentationMicros);
    putLong(prefix, 10, captureMicros);
  }

  /**
   * Checks the prefix at {@code pt[off, off + len)} (version 2, no reserved flag) and returns its
   * flags byte; the times are read with {@link #getLong}.
   */
  static int checkPrefix(byte[] pt, int off, int len) throws MalformedDataException {
    if (len < 1) {
      throw new MalformedDataException("live frame: empty");
    }
    if ((pt[off] & 0xff) != VERSION) {
      throw new MalformedDataException("live frame: unknown version " + (pt[off] & 0xff)
          + (pt[off] == 1 ? " (version 1 has no capture time and is no longer accepted)" : ""));
    }
    if (len < PREFIX_BYTES) {
      throw new MalformedDataException("live frame: shorter than its " + PREFIX_BYTES + "-byte prefix");
    }
    int flags = pt[off + 1] & 0xff;
    if ((flags & ~(FLAG_KEYFRAME | FLAG_PADDED | FLAG_COVER)) != 0) {
      throw new MalformedDataException("live frame: reserved flag bits set");
    }
    if ((flags & FLAG_COVER) != 0 && flags != (FLAG_COVER | FLAG_PADDED)) {
      throw new MalformedDataException("live frame: a cover frame is padded and not a keyframe");
    }
    return flags;
  }

  /**
   * The frame's length in the checked plaintext {@code pt[0, len)} with {@code flags}: all after
   * the prefix, or for a padded frame what precedes the padding, whose length (the u32be trailer)
   * must fit and whose bytes must all be zero.
   */
  static int frameLength(byte[] pt, int len, int flags) throws MalformedDataException {
    if ((flags & FLAG_PADDED) == 0) {
      return len - PREFIX_BYTES;
    }
    if (len < PREFIX_BYTES + PAD_TRAILER_BYTES) {
      throw new MalformedDataException("live frame: padded, but shorter than its padding trailer");
    }
    int t = len - PAD_TRAILER_BYTES;
    long pad = ((pt[t] & 0xffL) << 24) | ((pt[t + 1] & 0xff) << 16) | ((pt[t + 2] & 0xff) << 8)
        | (pt[t + 3] & 0xff);
    if (pad > t - PREFIX_BYTES) {
      throw new MalformedDataException("live frame: padding length " + pad + " exceeds the "
          + (t - PREFIX_BYTES) + " bytes before the trailer");
    }
    int frame = t - (int) pad - PREFIX_BYTES;
    if ((flags & FLAG_COVER) != 0 && frame != 0) {
      throw new MalformedDataException("live frame: a cover frame carries " + frame
          + " bytes before its padding, not 0");
    }
    if (!dev.obscura.core.Bytes.isZero(pt, PREFIX_BYTES + frame, (int) pad)) {
      throw new MalformedDataException("live frame: nonzero padding bytes");
    }
    return frame;
  }

  /** {@code |now - capture|} within {@code toleranceMicros}, without overflow. */
  static boolean fresh(long nowMicros, long captureMicros, long toleranceMicros) {
    long d = nowMicros - captureMicros;
    boolean overflow = ((nowMicros ^ captureMicros) & (nowMicros ^ d)) < 0;
    return !overflow && d <= toleranceMicros && d >= -toleranceMicros;
  }

  static LiveFrame parse(byte[] pt, int len) throws MalformedDataException {
    int flags = checkPrefix(pt, 0, len);
    if ((flags & FLAG_COVER) != 0) {
      throw new MalformedDataException("live frame: a cover frame carries no video (open it with"
          + " SFrameReceiver.openLiveFrame into a LiveFrameBuffer, which marks it)");
    }
    int frame = frameLength(pt, len, flags);
    long pts = getLong(pt, 2);
    long capture = getLong(pt, 10);
    return new LiveFrame(new EncodedFrame(pts, (flags & FLAG_KEYFRAME) != 0,
        Arrays.copyOfRange(pt, PREFIX_BYTES, PREFIX_BYTES + frame)), capture);
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = off + 7; i >= off; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = off; i < off + 8; i++) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }
}
