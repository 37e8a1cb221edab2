package dev.obscura.benchmarks;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.segment.SealingSuite;
import dev.obscura.crypto.segment.SegmentReader;
import dev.obscura.crypto.segment.SegmentWriter;
import dev.obscura.crypto.segment.SegmentOpener;
import dev.obscura.crypto.segment.SegmentSealer;
import dev.obscura.crypto.sframe.SFrameCipherSuite;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Every Obscura AES-GCM sealer and opener against the raw JCA call it is built on, in the same
 * run, with the same key ({@code keyBits} of one random key: AES-256 by default, {@code -p
 * keyBits=128} for the SFrame default suite and Cobblestone-128). One operation is one frame of
 * {@code frameBytes} (or one whole segment of that size, for {@code segmentSeal}/{@code
 * segmentOpen}); bytes/s = ops/s x frameBytes.
 *
 * <p>Baselines (one reused {@code Cipher}, {@code init} with a fresh counter nonce, {@code
 * doFinal} into a preallocated array): {@code rawJcaAesGcm}, {@code rawJcaAesGcmAad} (with an
 * SFrame header as AAD, the fair baseline for SFrame), and their opens {@code rawJcaAesGcmOpen},
 * {@code rawJcaAesGcmAadOpen}. {@link Baselines} names each method's baseline; the report divides
 * by it.
 *
 * <p>Obscura: {@code sframeSeal}/{@code sframeOpen} (raw-buffer API), {@code sframeSealFrame}/
 * {@code sframeOpenFrame} (the product path: what {@code LiveCamera}/{@code LiveViewer} call),
 * {@code segmentWrite}/{@code segmentRead} (frames written into, and read out of, one open
 * segment: {@code SegmentWriter}/{@code SegmentReader}, the recorder's and the viewer's path),
 * {@code segmentSeal}/{@code segmentOpen} (one whole segment per op, {@code SegmentSealer} and
 * {@code SegmentReader} into a reused buffer). The coalescing benchmarks finish the open segment every {@link
 * #segmentBytes} bytes and start the next, so the per-segment cost is amortized as a recorder
 * sees it.
 *
 * <p>Every setup warms its operation ({@link Prewarm}) so no iteration is measured cold; the
 * report fails a run whose iterations spread more than 10x.
 *
 * <pre>
 * benchmarks/run.sh            # every JDK found, both key sizes, report and chart
 * java -jar benchmarks/target/benchmarks.jar FrameSealBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameSealBenchmark {
  @Param({"1024", "16384", "65536", "1048576"})
  int frameBytes;

  @Param({"256"})
  int keyBits;

  private byte[] key32;
  private byte[] plaintext;
  private byte[] out;
  private byte[] opened;

  // raw JCA
  private Cipher jca;
  private SecretKeySpec aesKey;
  private final byte[] nonce = new byte[12];
  private long counter;
  private byte[] aad;
  private byte[][] rawPool;
  private int rawNext;

  // SFrame
  private SFrameFixture sframe;

  // segments
  private StreamId stream;
  private EpochKey epochKey;
  private SealingSuite sealingSuite;
  private int segmentBytes;
  private SegmentSealer sealer;
  private MediaSegment segment;
  private byte[] sealedSegment;
  private byte[] sealedLongSegment;
  private final SegmentReader reader = new SegmentReader();
  private SegmentWriter writing;
  private long written;

  /**
   * Builds what the running benchmark needs (only that, so pools are not built for nothing) and
   * warms it: first at 1 KiB in a twin state, then at this size.
   */
  @Setup
  public void setup(BenchmarkParams params) throws Exception {
    String method = Prewarm.method(params.getBenchmark());
    long millis = Prewarm.millis();
    if (frameBytes > 1024) {
      FrameSealBenchmark small = new FrameSealBenchmark();
      small.frameBytes = 1024;
      small.keyBits = keyBits;
      small.init(method);
      Prewarm.run(() -> small.call(method), millis / 2);
      small.tearDown();
    }
    init(method);
    Prewarm.run(() -> call(method), millis);
  }

  void init(String method) throws Exception {
    SplittableRandom r = new SplittableRandom(1);
    key32 = new byte[32];
    r.nextBytes(key32);
    plaintext = new byte[frameBytes];
    r.nextBytes(plaintext);
    out = new byte[frameBytes + 64];
    opened = new byte[frameBytes + 64];
    aesKey = new SecretKeySpec(key32, 0, keyBits / 8, "AES");
    jca = Cipher.getInstance("AES/GCM/NoPadding");
    sframe = new SFrameFixture(keyBits == 128 ? SFrameCipherSuite.AES_128_GCM_SHA256_128
        : SFrameCipherSuite.AES_256_GCM_SHA512_128, key32, plaintext);
    aad = sframe.typicalHeader();
    stream = StreamId.of("bench");
    epochKey = new EpochKey(stream, EpochId.of(1), SecretBytes.copyFrom(key32,
        InsecureSecretAccess.get()));
    sealingSuite = keyBits == 128 ? SealingSuite.AES_128_GCM : SealingSuite.AES_256_GCM;
    segmentBytes = Math.max(4 << 20, 16 * frameBytes);
    switch (method) {
      case "rawJcaAesGcmOpen" -> prepareRawPool(false);
      case "rawJcaAesGcmAadOpen" -> prepareRawPool(true);
      case "sframeOpen" -> sframe.preparePool(false);
      case "sframeOpenFrame" -> sframe.preparePool(true);
      case "segmentSeal" -> prepareSealer();
      case "segmentOpen" -> sealedSegment = sealOne(frameBytes);
      case "segmentRead" -> {
        sealedLongSegment = sealOne(segmentBytes);
        reader.start(sealedLongSegment, 0, sealedLongSegment.length, epochKey);
      }
      case "segmentWrite" -> {
        prepareSealer();
        writing = sealer.open(Instant.EPOCH, 2_000_000);
        written = 0;
      }
      default -> { }
    }
  }

  /** Runs one operation by JMH method name (for the warm-up). */
  Object call(String method) throws Exception {
    return switch (method) {
      case "rawJcaAesGcm" -> rawJcaAesGcm();
      case "rawJcaAesGcmAad" -> rawJcaAesGcmAad();
      case "rawJcaAesGcmOpen" -> rawJcaAesGcmOpen();
      case "rawJcaAesGcmAadOpen" -> rawJcaAesGcmAadOpen();
      case "sframeSeal" -> sframeSeal();
      case "sframeSealFrame" -> sframeSealFrame();
      case "sframeOpen" -> sframeOpen();
      case "sframeOpenFrame" -> sframeOpenFrame();
      case "segmentSeal" -> segmentSeal();
      case "segmentOpen" -> segmentOpen();
      case "segmentRead" -> segmentRead();
      case "segmentWrite" -> segmentWrite();
      default -> throw new IllegalArgumentException("no benchmark " + method);
    };
  }

  @TearDown
  public void tearDown() throws Exception {
    sframe.close();
    epochKey.destroy();
    if (sealer != null) {
      sealer.close();
    }
    if (writing != null) {
      writing.close();
    }
    reader.close();
  }

  // ---------------------------------------------------------------- raw JCA baselines

  /** Baseline: AES-GCM seal of one frame, no AAD. */
  @Benchmark
  public int rawJcaAesGcm() throws Exception {
    jca.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, freshNonce()));
    return jca.doFinal(plaintext, 0, frameBytes, out, 0);
  }

  /** Baseline for SFrame: AES-GCM seal of one frame with an SFrame header as AAD. */
  @Benchmark
  public int rawJcaAesGcmAad() throws Exception {
    jca.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, freshNonce()));
    jca.updateAAD(aad, 0, aad.length);
    return jca.doFinal(plaintext, 0, frameBytes, out, 0);
  }

  /** Baseline: AES-GCM open of the next pooled frame, no AAD. */
  @Benchmark
  public int rawJcaAesGcmOpen() throws Exception {
    return rawOpen(false);
  }

  /** Baseline for SFrame: AES-GCM open of the next pooled frame with its header as AAD. */
  @Benchmark
  public int rawJcaAesGcmAadOpen() throws Exception {
    return rawOpen(true);
  }

  private int rawOpen(boolean withAad) throws Exception {
    if (rawNext == rawPool.length) {
      rawNext = 0;
    }
    int i = rawNext++;
    jca.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(128, nonceOf(i + 1)));
    if (withAad) {
      jca.updateAAD(aad, 0, aad.length);
    }
    byte[] in = rawPool[i];
    return jca.doFinal(in, 0, in.length, opened, 0);
  }

  private void prepareRawPool(boolean withAad) throws Exception {
    rawPool = new byte[SFrameFixture.poolSize(frameBytes)][];
    for (int i = 0; i < rawPool.length; i++) {
      jca.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nonceOf(i + 1)));
      if (withAad) {
        jca.updateAAD(aad);
      }
      rawPool[i] = jca.doFinal(plaintext, 0, frameBytes);
    }
  }

  private byte[] freshNonce() {
    long c = ++counter;
    for (int i = 11; i >= 4; i--) {
      nonce[i] = (byte) c;
      c >>>= 8;
    }
    return nonce;
  }

  private byte[] nonceOf(long c) {
    for (int i = 11; i >= 4; i--) {
      nonce[i] = (byte) c;
      c >>>= 8;
    }
    return nonce;
  }

  // ---------------------------------------------------------------- SFrame

  /** SFrame seal, raw-buffer API ({@code SFrameSender.seal(byte[], int, int, byte[], int)}). */
  @Benchmark
  public int sframeSeal() throws Exception {
    return sframe.sealRaw();
  }

  /** SFrame seal on the product path: the call {@code LiveCamera.send} makes. */
  @Benchmark
  public int sframeSealFrame() throws Exception {
    return sframe.sealProduct();
  }

  /** SFrame open, raw-buffer API ({@code SFrameReceiver.open(byte[], int, int, byte[], int)}). */
  @Benchmark
  public int sframeOpen() throws Exception {
    return sframe.openRaw();
  }

  /** SFrame open on the product path: the call {@code LiveViewer.accept} makes. */
  @Benchmark
  public int sframeOpenFrame() throws Exception {
    return sframe.openProduct();
  }

  // ---------------------------------------------------------------- segments

  /** One whole segment of {@code frameBytes} sealed per op ({@code SegmentSealer.seal}). */
  @Benchmark
  public Object segmentSeal() throws Exception {
    return sealer.seal(segment);
  }

  /**
   * One whole segment of {@code frameBytes} opened per op into a reused buffer: the viewer's
   * path ({@code SegmentReader.start} then {@code readFully}, as {@code StreamReader} reads).
   */
  @Benchmark
  public int segmentOpen() throws Exception {
    reader.start(sealedSegment, 0, sealedSegment.length, epochKey);
    return reader.readFully(opened, 0);
  }

  /**
   * One frame of {@code frameBytes} read out of an open segment into a reused buffer ({@code
   * SegmentReader.read}); a segment of {@link #segmentBytes} is restarted when read to its end.
   */
  @Benchmark
  public int segmentRead() throws Exception {
    int got = 0;
    while (got < frameBytes) {
      int n = reader.read(opened, got, frameBytes - got);
      if (n < 0) {
        reader.start(sealedLongSegment, 0, sealedLongSegment.length, epochKey);
        continue;
      }
      got += n;
    }
    return got;
  }

  /**
   * One frame of {@code frameBytes} written into an open segment ({@code SegmentWriter.write},
   * coalesced into 16 KiB chunks, each sealed and handed to the store as it fills): the
   * recorder's path. The segment is finished and the next one opened every {@link
   * #segmentBytes}, so the per-segment cost (header, key derivation, store write) is amortized
   * as a recorder would.
   */
  @Benchmark
  public long segmentWrite() throws Exception {
    writing.write(plaintext, 0, frameBytes);
    written += frameBytes;
    if (written >= segmentBytes) {
      writing.finish();
      writing = sealer.open(Instant.EPOCH, 2_000_000);
      written = 0;
    }
    return written;
  }

  private void prepareSealer() throws Exception {
    sealer = SegmentSealer.builder()
        .store(new DiscardingStore())
        .stream(stream)
        .epochKey(copyOfEpochKey())
        .suite(sealingSuite)
        .maxSegmentBytes(Math.max(SegmentSealer.DEFAULT_MAX_SEGMENT_BYTES, segmentBytes))
        .build();
    segment = new MediaSegment(0, Instant.EPOCH, 0, 2_000_000, 60, plaintext);
  }

  /** Seals one segment of {@code bytes} (a prefix-repeat of the frame) and returns it. */
  private byte[] sealOne(int bytes) throws Exception {
    byte[] data = new byte[bytes];
    for (int i = 0; i < bytes; i += frameBytes) {
      System.arraycopy(plaintext, 0, data, i, Math.min(frameBytes, bytes - i));
    }
    DiscardingStore store = new DiscardingStore();
    try (SegmentSealer s = SegmentSealer.builder().store(store).stream(stream)
        .epochKey(copyOfEpochKey()).suite(sealingSuite).build()) {
      store.keepLast();
      s.seal(new MediaSegment(0, Instant.EPOCH, 0, 2_000_000, 60, data));
    }
    return store.last();
  }

  private EpochKey copyOfEpochKey() {
    return new EpochKey(stream, EpochId.of(1), SecretBytes.copyFrom(key32,
        InsecureSecretAccess.get()));
  }
}
