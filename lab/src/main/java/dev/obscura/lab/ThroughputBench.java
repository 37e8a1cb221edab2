package dev.obscura.lab;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.scheme.SchemeContext;
import dev.obscura.crypto.scheme.SealingScheme;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seals and opens realistic segments through a scheme: a keyframe then P-frames, the keyframe
 * {@link #KEYFRAME_RATIO} times a P-frame, their mean the given frame size. Warmed up first, then
 * timed rounds of at least {@code roundNanos} each, the schemes interleaved. Not JMH (see the
 * package doc).
 */
final class ThroughputBench {
  static final int KEYFRAME_RATIO = 8;
  /** Sealed bytes kept for the open rounds: at least this much, or one segment. */
  private static final long OPEN_SET_BYTES = 8L << 20;
  private static final int MAX_OPEN_SEGMENTS = 32;

  private final int fps;
  private final int framesPerSegment;
  private final int rounds;
  private final long roundNanos;
  private final long warmupNanos;
  private final long seed;

  ThroughputBench(int fps, int framesPerSegment, int rounds, long roundNanos, long warmupNanos, long seed) {
    this.fps = fps;
    this.framesPerSegment = framesPerSegment;
    this.rounds = rounds;
    this.roundNanos = roundNanos;
    this.warmupNanos = warmupNanos;
    this.seed = seed;
  }

  /** The frames' sizes for a mean of {@code meanBytes}: one keyframe, then P-frames. */
  int[] frameSizes(int meanBytes) {
    int n = framesPerSegment;
    long total = (long) meanBytes * n;
    int p = (int) Math.max(1, total / (n - 1 + KEYFRAME_RATIO));
    int[] sizes = new int[n];
    Arrays.fill(sizes, p);
    sizes[0] = (int) Math.max(1, total - (long) p * (n - 1));
    return sizes;
  }

  /**
   * Measures every scheme at one mean frame size, interleaved so that a change in the machine's
   * load falls on all of them alike: each is set up and checked, then all are warmed up in turn
   * (twice round the list), then each timed round runs every scheme once, seal then open.
   */
  List<ThroughputResult> measure(List<SealingScheme> schemes, List<String> protections, int meanBytes)
      throws IOException {
    int[] sizes = frameSizes(meanBytes);
    SplittableRandom r = new SplittableRandom(seed ^ meanBytes);
    byte[][] data = new byte[sizes.length][];
    long segmentBytes = 0;
    for (int i = 0; i < sizes.length; i++) {
      data[i] = new byte[sizes[i]];
      for (int j = 0; j < data[i].length; j += 8) {
        long v = r.nextLong();
        for (int k = 0; k < 8 && j + k < data[i].length; k++) {
          // never 0, so no start code inside the slice: one NAL unit, as an encoder's frame
          data[i][j + k] = (byte) ((v >>> (8 * k)) | 1);
        }
      }
      annexB(data[i], i == 0);
      segmentBytes += sizes[i];
    }
    List<Subject> subjects = new ArrayList<>();
    try {
      for (SealingScheme scheme : schemes) {
        subjects.add(new Subject(scheme, data, segmentBytes));
      }
      for (int pass = 0; pass < 2; pass++) {
        for (Subject s : subjects) {
          s.seal(warmupNanos / 2);
          s.open.run(warmupNanos / 2);
        }
      }
      for (int round = 0; round < rounds; round++) {
        for (Subject s : subjects) {
          s.sealRates[round] = s.seal(roundNanos) * segmentBytes;
          s.openRates[round] = s.open.run(roundNanos) * segmentBytes;
        }
      }
      List<ThroughputResult> out = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        out.add(subjects.get(i).result(protections.get(i), meanBytes, segmentBytes));
      }
      return out;
    } finally {
      for (Subject s : subjects) {
        s.sealer.close();
      }
    }
  }

  /** One scheme at one size: its sealer, its open set, its rates. */
  private final class Subject {
    final SealingScheme scheme;
    final byte[][] data;
    final SealingScheme.Sealer sealer;
    final OpenPass open;
    final double[] sealRates = new double[rounds];
    final double[] openRates = new double[rounds];
    final int records;
    final long sealedBytes;
    long segmentIndex;

    Subject(SealingScheme scheme, byte[][] data, long segmentBytes) throws IOException {
      this.scheme = scheme;
      this.data = data;
      EntropySource entropy = EntropySource.system();
      SchemeContext context = new SchemeContext(StreamId.of("lab-" + scheme.name()),
          SecretBytes.random(SchemeContext.KEY_BYTES, entropy), entropy);
      // the open set: a fresh sealer's first k segments, opened in order by a fresh opener per pass
      int k = (int) Math.max(1, Math.min(MAX_OPEN_SEGMENTS, (OPEN_SET_BYTES + segmentBytes - 1) / segmentBytes));
      List<List<byte[]>> sealed = new ArrayList<>(k);
      try (SealingScheme.Sealer first = scheme.sealer(context)) {
        for (long s = 0; s < k; s++) {
          sealed.add(first.seal(segment(data, s)));
        }
      }
      checkRoundTrip(scheme, context, sealed.get(0), data);
      long bytes = 0;
      for (byte[] rec : sealed.get(0)) {
        bytes += rec.length;
      }
      this.records = sealed.get(0).size();
      this.sealedBytes = bytes;
      this.open = new OpenPass(scheme, context, sealed);
      this.sealer = scheme.sealer(context);
    }

    /** Segments sealed per second over at least {@code nanos}. */
    double seal(long nanos) throws IOException {
      return timed(nanos, () -> sealer.seal(segment(data, segmentIndex++)).size());
    }

    ThroughputResult result(String protection, int meanBytes, long segmentBytes) {
      double perFrame = (sealedBytes - segmentBytes) / (double) framesPerSegment;
      double perHour = perFrame * fps * 3600.0;
      double[] seal = sealRates.clone();
      double[] open = openRates.clone();
      Arrays.sort(seal);
      Arrays.sort(open);
      return new ThroughputResult(scheme.name(), protection, meanBytes,
          median(seal) / 1e6, seal[0] / 1e6, seal[rounds - 1] / 1e6,
          median(open) / 1e6, open[0] / 1e6, open[rounds - 1] / 1e6,
          records, perFrame, perHour);
    }
  }

  private List<EncodedFrame> segment(byte[][] data, long index) {
    List<EncodedFrame> frames = new ArrayList<>(data.length);
    long frameUs = 1_000_000L / fps;
    for (int i = 0; i < data.length; i++) {
      frames.add(new EncodedFrame((index * data.length + i) * frameUs, i == 0, data[i]));
    }
    return frames;
  }

  private static void checkRoundTrip(SealingScheme scheme, SchemeContext context, List<byte[]> records, byte[][] data)
      throws IOException {
    try (SealingScheme.Opener opener = scheme.opener(context)) {
      List<EncodedFrame> frames = opener.open(records);
      boolean same = frames.size() == data.length;
      for (int i = 0; same && i < data.length; i++) {
        same = Arrays.equals(frames.get(i).data(), data[i]);
      }
      if (!same) {
        throw new IOException("scheme " + scheme.name() + " did not open what it sealed");
      }
    } catch (ObscuraException e) {
      throw new IOException("scheme " + scheme.name() + " rejected its own records: " + e.getMessage(), e);
    }
  }

  /** A unit of work that returns how many segments it processed. */
  private interface Work {
    int run() throws IOException, ObscuraException;
  }

  /** Runs {@code work} for at least {@code nanos} (at least once); returns units per second. */
  private static double timed(long nanos, Work work) throws IOException {
    long start = System.nanoTime();
    long done = 0;
    long elapsed;
    try {
      do {
        work.run();
        done++;
        elapsed = System.nanoTime() - start;
      } while (elapsed < nanos);
    } catch (ObscuraException e) {
      throw new IOException(e.getMessage(), e);
    }
    return done * 1e9 / Math.max(1, elapsed);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Opens the sealed segments in order with a fresh opener per pass, timing the opening only. */
  private static final class OpenPass {
    private final SealingScheme scheme;
    private final SchemeContext context;
    private final List<List<byte[]>> sealed;

    OpenPass(SealingScheme scheme, SchemeContext context, List<List<byte[]>> sealed) {
      this.scheme = scheme;
      this.context = context;
      this.sealed = sealed;
    }

    /** Segments opened per second over at least {@code nanos} of opening. */
    double run(long nanos) throws IOException {
      long spent = 0;
      long done = 0;
      try {
        do {
          try (SealingScheme.Opener opener = scheme.opener(context)) {
            long start = System.nanoTime();
            for (List<byte[]> s : sealed) {
              opener.open(s);
            }
            spent += System.nanoTime() - start;
            done += sealed.size();
          }
        } while (spent < nanos);
      } catch (ObscuraException e) {
        throw new IOException("scheme " + scheme.name() + " rejected its own records: " + e.getMessage(), e);
      }
      return done * 1e9 / Math.max(1, spent);
    }
  }

  /**
   * Shapes random bytes as one H.264 Annex B frame: a 4-byte start code and the NAL header of an
   * IDR slice (keyframe) or a non-IDR slice, then the slice data. Schemes that read the NAL
   * structure (cenc encrypts slice data and leaves headers clear) then see what a camera gives
   * them, instead of bytes they would leave all clear.
   */
  static void annexB(byte[] frame, boolean keyframe) {
    if (frame.length < 5) {
      return;
    }
    frame[0] = 0;
    frame[1] = 0;
    frame[2] = 0;
    frame[3] = 1;
    frame[4] = (byte) (keyframe ? 0x65 : 0x41);
  }
}
