package dev.obscura.lab;

import dev.obscura.codec.FrameSources;
import dev.obscura.codec.SyntheticScene;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.FrameSource;
import dev.obscura.crypto.padding.PaddingPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The leakage harness: what a provider sees of a recording (sends: time and size) under a padding
 * policy, cut into windows of per-second byte features, labelled motion or idle.
 *
 * <p>Protocol: every scene is encoded once (real H.264 through the synthetic camera). Training
 * windows come from the first half of each scene that is not held out; test windows from the
 * second half of every scene, so no test window overlaps a training one and held-out scenes are
 * never trained on. Both sets are balanced by seeded subsampling of the larger class.
 */
final class Leakage {
  /** Names of the window features, in {@link Window#features()} order. */
  static final String[] FEATURES = {
    "mean_bytes_per_s", "std_bytes_per_s", "max_bytes_per_s", "min_bytes_per_s", "bytes_in_window", "sends_in_window"
  };

  /** One encoded frame as the shaper sees it. */
  record Unit(long micros, int bytes, boolean keyframe) {}

  /** One encoded scene. */
  record Trace(SyntheticScene scene, boolean motion, boolean heldOut, int seconds, List<Unit> units) {
    long videoBytes() {
      long n = 0;
      for (Unit u : units) {
        n += u.bytes;
      }
      return n;
    }
  }

  /** One window's features and label. */
  record Window(double[] features, boolean motion) {}

  /** A trace through one policy: the sends, and what the padding cost in bytes and latency. */
  record Shaped(List<PaddingPolicy.Send> sends, long bytesInRecording, List<Long> latenciesMicros, int unsent) {}

  private Leakage() {}

  /** Encodes {@code seconds} of {@code scene} with a keyframe every {@code keyframeInterval}. */
  static Trace record(VideoSettings video, SyntheticScene scene, boolean motion, boolean heldOut, int seconds,
      Duration keyframeInterval) throws IOException {
    List<Unit> units = new ArrayList<>();
    VideoSettings s = video.toBuilder().scene(scene).build();
    try (FrameSource src = FrameSources.synthetic(s, Duration.ofSeconds(seconds), keyframeInterval, false)) {
      for (EncodedFrame f; (f = src.next()) != null; ) {
        if (f.presentationMicros() < seconds * 1_000_000L) {
          units.add(new Unit(f.presentationMicros(), f.sizeBytes(), f.keyframe()));
        }
      }
    }
    if (units.isEmpty()) {
      throw new IOException("the synthetic camera produced no frame for scene " + scene);
    }
    return new Trace(scene, motion, heldOut, seconds, Collections.unmodifiableList(units));
  }

  /**
   * Passes a trace through a fresh shaper of {@code policy}: {@code advance} to each frame's time,
   * then {@code offer} it; after the last frame, {@code advance} to {@code drainSeconds} past the
   * end. Latency is per frame, first in first out over the video bytes of the sends.
   */
  static Shaped shape(Trace t, PaddingPolicy policy, int drainSeconds) {
    PaddingPolicy.Shaper shaper = policy.newShaper();
    List<PaddingPolicy.Send> sends = new ArrayList<>();
    for (Unit u : t.units) {
      sends.addAll(shaper.advance(u.micros));
      sends.addAll(shaper.offer(u.micros, u.bytes, u.keyframe));
    }
    long end = t.seconds * 1_000_000L;
    sends.addAll(shaper.advance(end + drainSeconds * 1_000_000L));
    sends.sort((a, b) -> Long.compare(a.micros(), b.micros()));

    long inRecording = 0;
    for (PaddingPolicy.Send s : sends) {
      if (s.micros() < end) {
        inRecording += s.bytes();
      }
    }
    // FIFO: each send's video bytes finish frames in order
    Deque<long[]> pending = new ArrayDeque<>(); // {readyMicros, bytesLeft}
    List<Long> latencies = new ArrayList<>(t.units.size());
    int next = 0;
    for (PaddingPolicy.Send s : sends) {
      while (next < t.units.size() && t.units.get(next).micros <= s.micros()) {
        Unit u = t.units.get(next++);
        pending.add(new long[] {u.micros, u.bytes});
      }
      long video = (long) s.bytes() - s.paddingBytes();
      while (video > 0 && !pending.isEmpty()) {
        long[] head = pending.peek();
        long take = Math.min(video, head[1]);
        head[1] -= take;
        video -= take;
        if (head[1] == 0) {
          latencies.add(s.micros() - head[0]);
          pending.poll();
        }
      }
    }
    int unsent = pending.size() + (t.units.size() - next);
    return new Shaped(sends, inRecording, latencies, unsent);
  }

  /**
   * The windows of seconds {@code [from, to)} of a shaped trace: every {@code windowSeconds}-long
   * window starting on a whole second, stepping by one second.
   */
  static List<Window> windows(Shaped shaped, boolean motion, int from, int to, int windowSeconds) {
    long[] bytes = new long[to];
    long[] count = new long[to];
    for (PaddingPolicy.Send s : shaped.sends) {
      int sec = (int) (s.micros() / 1_000_000L);
      if (s.micros() >= 0 && sec < to) {
        bytes[sec] += s.bytes();
        count[sec]++;
      }
    }
    List<Window> out = new ArrayList<>();
    for (int start = from; start + windowSeconds <= to; start++) {
      double sum = 0;
      double max = Double.NEGATIVE_INFINITY;
      double min = Double.POSITIVE_INFINITY;
      long sends = 0;
      for (int i = start; i < start + windowSeconds; i++) {
        sum += bytes[i];
        max = Math.max(max, bytes[i]);
        min = Math.min(min, bytes[i]);
        sends += count[i];
      }
      double mean = sum / windowSeconds;
      double var = 0;
      for (int i = start; i < start + windowSeconds; i++) {
        var += (bytes[i] - mean) * (bytes[i] - mean);
      }
      double std = Math.sqrt(var / windowSeconds);
      out.add(new Window(new double[] {mean, std, max, min, sum, sends}, motion));
    }
    return out;
  }

  /** {@code windows} with the larger class cut down, seeded, to the size of the smaller one. */
  static List<Window> balance(List<Window> windows, long seed) {
    List<Window> motion = new ArrayList<>();
    List<Window> idle = new ArrayList<>();
    for (Window w : windows) {
      (w.motion ? motion : idle).add(w);
    }
    SplittableRandom r = new SplittableRandom(seed);
    shuffle(motion, r);
    shuffle(idle, r);
    int n = Math.min(motion.size(), idle.size());
    List<Window> out = new ArrayList<>(motion.subList(0, n));
    out.addAll(idle.subList(0, n));
    shuffle(out, r);
    return out;
  }

  private static void shuffle(List<Window> list, SplittableRandom r) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, r.nextInt(i + 1));
    }
  }

  /** The accuracy of always guessing the larger class of {@code test}. */
  static double chance(List<Window> test) {
    int motion = 0;
    for (Window w : test) {
      motion += w.motion ? 1 : 0;
    }
    return test.isEmpty() ? 0 : Math.max(motion, test.size() - motion) / (double) test.size();
  }
}
