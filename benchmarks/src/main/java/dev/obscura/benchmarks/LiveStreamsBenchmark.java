package dev.obscura.benchmarks;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.sframe.CounterStore;
import dev.obscura.crypto.sframe.SFrameReceiver;
import dev.obscura.crypto.sframe.SFrameSender;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Live streams per core: how many 30 fps streams one core seals (camera or NVR side) or opens
 * (viewer side) in real time. One operation is one second of a stream: the 30 frames of the
 * textured scene as openh264 really encodes it at {@code bitrate} (a keyframe every second, so
 * one large frame and 29 small ones), each sealed as SFrame (AES-128-GCM, the default suite).
 * The score, in operations per second on one thread, <em>is</em> streams per core.
 *
 * <ul>
 *   <li>{@code sealSecond}: 30 raw-buffer seals into a reused array.
 *   <li>{@code sealSecondEncodedFrame}: the same through {@code seal(EncodedFrame)} (an array per
 *       frame).
 *   <li>{@code openSecond}: 30 opens into a reused array, by a fresh receiver each second (a
 *       receiver rejects replays, so each op needs one; its key schedule, one per op, is
 *       included and makes this a slight underestimate).
 * </ul>
 *
 * <p>The relay's share (fan-out, viewers per core, added latency) is in {@link RelayBenchmark}.
 *
 * <pre>
 * java -Djava.io.tmpdir=/tmp/jmh-$USER -jar benchmarks/target/benchmarks.jar LiveStreamsBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LiveStreamsBenchmark {
  private static final StreamId STREAM = StreamId.of("bench");

  @Param({"4000000"})
  public int bitrate;

  @Param({"1080"})
  public int height;

  private EncodedFrame[] second;
  private byte[][] sealed;
  private byte[] out;
  private EpochKey key;
  private SFrameSender sender;

  @Setup
  public void setup() throws IOException {
    List<EncodedFrame> frames = TexturedStream.frames(TexturedStream.settings(height, bitrate), 2);
    // the second second: the rate control has settled; it starts with its keyframe
    second = frames.subList(TexturedStream.FPS, 2 * TexturedStream.FPS).toArray(new EncodedFrame[0]);
    if (!second[0].keyframe()) {
      throw new IllegalStateException("expected a keyframe at 1 s");
    }
    int max = 0;
    long bytes = 0;
    for (EncodedFrame f : second) {
      max = Math.max(max, f.data().length);
      bytes += f.data().length;
    }
    System.out.printf(Locale.ROOT, "%n1 s of %dp30 textured at %d bit/s: %d bytes (%.0f bit/s), keyframe %d "
        + "bytes, largest %d%n", height, bitrate, bytes, bytes * 8.0, second[0].data().length, max);
    out = new byte[max + 256];
    EntropySource entropy = EntropySource.insecureDeterministicForTests(4);
    key = EpochKey.generate(STREAM, EpochId.of(1), entropy);
    sender = SFrameSender.builder(key, CounterStore.inMemoryForTests())
        .counterBlockSize(SFrameSender.MAX_COUNTER_BLOCK).build();
    sealed = new byte[second.length][];
    for (int i = 0; i < second.length; i++) {
      byte[] d = second[i].data();
      sealed[i] = java.util.Arrays.copyOf(out, sender.seal(d, 0, d.length, out, 0));
    }
    // prewarm: the AES-GCM intrinsics and C2 on every frame size before JMH's warm-up
    // (twice Prewarm.millis(): 3 s by default)
    try {
      Prewarm.run(() -> {
        sealSecond();
        sealSecondEncodedFrame();
        openSecond();
      }, 2 * Prewarm.millis());
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  @TearDown
  public void tearDown() {
    sender.close();
  }

  @Benchmark
  public int sealSecond() throws IOException {
    int n = 0;
    for (EncodedFrame f : second) {
      byte[] d = f.data();
      n += sender.seal(d, 0, d.length, out, 0);
    }
    return n;
  }

  @Benchmark
  public int sealSecondEncodedFrame() throws IOException {
    int n = 0;
    for (EncodedFrame f : second) {
      n += sender.seal(f).length;
    }
    return n;
  }

  @Benchmark
  public int openSecond() throws Exception {
    int n = 0;
    try (SFrameReceiver rx = SFrameReceiver.builder(STREAM).build()) {
      rx.addEpochKey(key);
      for (byte[] s : sealed) {
        n += rx.open(s, 0, s.length, out, 0);
      }
    }
    return n;
  }
}
