package dev.obscura.benchmarks;

import dev.obscura.codec.FrameSources;
import dev.obscura.codec.Segmenters;
import dev.obscura.codec.StoppableSegmentSource;
import dev.obscura.codec.SyntheticCamera;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.FrameSource;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.segment.SegmentSealer;
import dev.obscura.crypto.sframe.CounterStore;
import dev.obscura.crypto.sframe.SFrameSender;
import dev.obscura.transport.FileSystemSegmentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The camera's whole recording path on a realistic stream, and the share of its CPU that sealing
 * takes. The stream is the synthetic camera's textured scene ({@link
 * dev.obscura.codec.SyntheticScene#TEXTURED}) at {@code height}p30, {@code bitrate} bit/s, a
 * keyframe every second; openh264 really spends that bitrate on it (the setup prints the
 * measured one).
 *
 * <p>Every score is microseconds per frame (frames per second = 1e6 / score), one thread, so
 * one core:
 *
 * <ul>
 *   <li>{@code encodeFrame}: the next frame of the camera's live encoder ({@link
 *       FrameSources#synthetic}, not paced): openh264 encoding of one raw frame, BGR24 to YUV
 *       conversion, the fMP4 muxer (a fragment per frame) and the extraction of the access unit
 *       (a few microseconds next to the encoding). It includes rendering the synthetic frame;
 *       {@code renderFrame} is that part alone, to subtract.
 *   <li>{@code sealFrame}: SFrame seal of one pre-encoded frame into a reused array (the live
 *       path), cycling over 4 s of real frames, keyframes included; {@code sealEncodedFrame} the
 *       same through {@code seal(EncodedFrame)}.
 *   <li>{@code sealSegment}: one pre-encoded 1 s segment sealed (C2SP chunked, AES-256-GCM,
 *       header, hash chain) into a store that drops the bytes; per frame.
 *   <li>{@code recordPipeline}: segmenter (render + encode + fMP4 + cut), sealer and the
 *       filesystem store, end to end; per frame.
 * </ul>
 *
 * <p>The camera target "sealing below 1% of the CPU of encoding the same frames" reads as
 * {@code sealSegment / (encodeFrame - renderFrame)} for recording and {@code sealFrame /
 * (encodeFrame - renderFrame)} for live view. Sealing is measured on pre-encoded frames, so
 * the AES intrinsics are warm (a setup prewarm of twice {@code Prewarm.millis()}, 3 s by
 * default, then JMH's warm-up) and not diluted by the interpreter.
 *
 * <pre>
 * mvn -q -B -pl benchmarks -am package -DskipTests
 * java -Djava.io.tmpdir=/tmp/jmh-$USER -jar benchmarks/target/benchmarks.jar PipelineBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineBenchmark {
  static final StreamId STREAM = StreamId.of("bench");
  static final int SECONDS = 4;

  /** Picture and bitrate, shared by every state of one trial. */
  @State(Scope.Benchmark)
  public static class Settings {
    @Param({"2000000", "4000000"})
    public int bitrate;

    @Param({"1080"})
    public int height;

    VideoSettings video;

    @Setup
    public void setup() {
      video = TexturedStream.settings(height, bitrate);
    }
  }

  /**
   * The camera's live encoder on the textured scene, pulled one frame at a time, and a camera of
   * its own for {@code renderFrame}.
   */
  @State(Scope.Thread)
  public static class Encode {
    SyntheticCamera camera;
    FrameSource encoder;
    long n;

    @Setup
    public void setup(Settings s) throws Exception {
      camera = new SyntheticCamera(s.video);
      encoder = FrameSources.synthetic(s.video, null, TexturedStream.KEYFRAME_INTERVAL, false);
      encoder.next(); // a frame leaves one frame after it is encoded: from here, one per call
    }

    @TearDown
    public void tearDown() throws IOException {
      encoder.close();
    }
  }

  /** 4 s of pre-encoded live frames and an SFrame sender. */
  @State(Scope.Thread)
  public static class Frames {
    EncodedFrame[] frames;
    byte[] out;
    SFrameSender sender;
    int next;

    @Setup
    public void setup(Settings s) throws Exception {
      List<EncodedFrame> list = TexturedStream.frames(s.video, SECONDS);
      frames = list.toArray(new EncodedFrame[0]);
      int max = 0;
      for (EncodedFrame f : frames) {
        max = Math.max(max, f.data().length);
      }
      System.out.printf(Locale.ROOT, "%n%dp30 textured at %d bit/s: %d frames, measured %.0f bit/s, "
          + "largest frame %d bytes%n", s.height, s.bitrate, frames.length, TexturedStream.bitrate(list), max);
      out = new byte[max + 256];
      EntropySource entropy = EntropySource.insecureDeterministicForTests(1);
      sender = SFrameSender.builder(EpochKey.generate(STREAM, EpochId.of(1), entropy), CounterStore.inMemoryForTests())
          .counterBlockSize(SFrameSender.MAX_COUNTER_BLOCK).build();
      // prewarm: the AES-GCM intrinsics and C2 on every frame size before JMH's warm-up
      Prewarm.run(() -> {
        EncodedFrame f = next();
        sender.seal(f.data(), 0, f.data().length, out, 0);
        sender.seal(f);
      }, 2 * Prewarm.millis());
    }

    EncodedFrame next() {
      EncodedFrame f = frames[next];
      next = next + 1 == frames.length ? 0 : next + 1;
      return f;
    }

    @TearDown
    public void tearDown() {
      sender.close();
    }
  }

  /** 4 s of pre-encoded 1 s segments and a segment sealer into a discarding store. */
  @State(Scope.Thread)
  public static class Segments {
    MediaSegment[] segments;
    SegmentSealer sealer;
    int next;

    @Setup
    public void setup(Settings s) throws Exception {
      segments = TexturedStream.segments(s.video, SECONDS).toArray(new MediaSegment[0]);
      EntropySource entropy = EntropySource.insecureDeterministicForTests(2);
      sealer = SegmentSealer.builder().store(new DiscardingStore()).stream(STREAM)
          .epochKey(EpochKey.generate(STREAM, EpochId.of(1), entropy)).entropy(entropy).build();
      Prewarm.run(() -> {
        sealer.seal(segments[next]);
        next = next + 1 == segments.length ? 0 : next + 1;
      }, 2 * Prewarm.millis());
    }
  }

  /** An endless textured segmenter, sealing into a filesystem store in a temp folder. */
  @State(Scope.Thread)
  public static class Pipeline {
    StoppableSegmentSource source;
    SegmentSealer sealer;
    Path dir;

    @Setup
    public void setup(Settings s) throws Exception {
      dir = Files.createTempDirectory("obscura-pipeline-bench");
      source = Segmenters.synthetic(s.video, Duration.ofHours(10), TexturedStream.KEYFRAME_INTERVAL,
          Clock.systemUTC());
      EntropySource entropy = EntropySource.insecureDeterministicForTests(3);
      sealer = SegmentSealer.builder().store(new FileSystemSegmentStore(dir)).stream(STREAM)
          .epochKey(EpochKey.generate(STREAM, EpochId.of(1), entropy)).entropy(entropy).build();
    }

    @TearDown
    public void tearDown() throws IOException {
      source.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Benchmark
  public byte[] renderFrame(Encode e) {
    return e.camera.render(e.n++);
  }

  @Benchmark
  public EncodedFrame encodeFrame(Encode e) throws IOException {
    return e.encoder.next();
  }

  @Benchmark
  public int sealFrame(Frames f) throws IOException {
    byte[] data = f.next().data();
    return f.sender.seal(data, 0, data.length, f.out, 0);
  }

  @Benchmark
  public byte[] sealEncodedFrame(Frames f) throws IOException {
    return f.sender.seal(f.next());
  }

  @Benchmark
  @OperationsPerInvocation(TexturedStream.FPS)
  public SealedSegmentInfo sealSegment(Segments s) throws IOException {
    MediaSegment m = s.segments[s.next];
    s.next = s.next + 1 == s.segments.length ? 0 : s.next + 1;
    return s.sealer.seal(m);
  }

  @Benchmark
  @OperationsPerInvocation(TexturedStream.FPS)
  @Warmup(iterations = 1, time = 10)
  @Measurement(iterations = 3, time = 10)
  public SealedSegmentInfo recordPipeline(Pipeline p) throws IOException {
    MediaSegment m = p.source.next();
    if (m == null) {
      throw new IllegalStateException("the synthetic source ended");
    }
    return p.sealer.seal(m);
  }
}
