package dev.obscura.codec.internal;

import dev.obscura.codec.MalformedMediaException;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.MalformedDataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns fragments into {@link EncodedFrame}s: each sample becomes one H.264 access unit in Annex
 * B form (start codes), and keyframes carry the SPS and PPS in front, so a live decoder can join
 * at any keyframe without out-of-band configuration. Internal: not API.
 */
public final class LiveFrameExtractor implements FragmentedMp4Splitter.Listener {
  private final Deque<EncodedFrame> ready = new ArrayDeque<>();
  private Boxes.InitInfo init;
  private Boxes.AvcConfig avc;
  private long baseTicks = -1;
  private long offsetMicros;
  private long endMicros;
  private boolean started;

  @Override
  public void init(byte[] initBytes, Boxes.InitInfo info) throws IOException {
    try {
      Boxes.Box ftyp = Boxes.boxAt(initBytes, 0, initBytes.length);
      Boxes.Box moov = Boxes.boxAt(initBytes, ftyp.end(), initBytes.length);
      avc = Boxes.parseAvcC(initBytes, moov, info.videoTrackId());
    } catch (MalformedDataException e) {
      throw new MalformedMediaException("init does not parse: " + e.getMessage(), e);
    }
    if (init != null) {
      offsetMicros = endMicros;
      baseTicks = -1;
    }
    init = info;
  }

  @Override
  public void fragment(byte[] fragment, Boxes.FragmentInfo info) throws IOException {
    try {
      Boxes.Box moof = Boxes.boxAt(fragment, 0, fragment.length);
      for (Boxes.Sample s : Boxes.samples(fragment, moof, fragment.length, init)) {
        if (!started && !s.keyframe()) {
          continue; // a live viewer can only start at a keyframe
        }
        started = true;
        if (baseTicks < 0) {
          baseTicks = s.decodeTime();
        }
        long pts = offsetMicros + micros(s.decodeTime() + s.compositionOffset() - baseTicks);
        endMicros = Math.max(endMicros, offsetMicros + micros(s.decodeTime() + s.duration() - baseTicks));
        ready.add(new EncodedFrame(pts, s.keyframe(), annexB(fragment, (int) s.offset(), (int) s.size(), s.keyframe())));
      }
    } catch (MalformedDataException e) {
      throw new MalformedMediaException("fragment does not parse: " + e.getMessage(), e);
    }
  }

  private byte[] annexB(byte[] b, int off, int size, boolean key) throws MalformedDataException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 64);
    if (key) {
      out.write(avc.parameterSetsAnnexB(), 0, avc.parameterSetsAnnexB().length);
    }
    int n = avc.nalLengthSize();
    int p = off;
    int end = off + size;
    while (p < end) {
      if (end - p < n) {
        throw new MalformedDataException("NAL length cut short");
      }
      long len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (b[p + i] & 0xff);
      }
      p += n;
      if (len > end - p) {
        throw new MalformedDataException("NAL unit runs past its sample");
      }
      out.write(new byte[] {0, 0, 0, 1}, 0, 4);
      out.write(b, p, (int) len);
      p += (int) len;
    }
    return out.toByteArray();
  }

  /** The next frame, or null. */
  public EncodedFrame poll() {
    return ready.poll();
  }

  private long micros(long ticks) throws MalformedMediaException {
    long ts = init.timescale();
    try {
      return Math.addExact(Math.multiplyExact(ticks / ts, 1_000_000L), (ticks % ts) * 1_000_000L / ts);
    } catch (ArithmeticException e) {
      throw new MalformedMediaException("media time out of range", null);
    }
  }
}
