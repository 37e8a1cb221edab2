package dev.obscura.benchmarks;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Peers of Obscura's AES-256 sealers, run beside {@link FrameSealBenchmark} so one table shows
 * them against the same raw baseline ({@code FrameSealBenchmark.rawJcaAesGcm}/{@code
 * rawJcaAesGcmOpen}, keyBits=256, same frameBytes, same JDK): Tink {@code StreamingAead}
 * (AES256_GCM_HKDF_4KB and AES256_GCM_HKDF_1MB; one stream per frame, as a sealer of separate
 * frames would use it) and Bouncy Castle's lightweight GCM ({@code GCMBlockCipher}, fresh nonce
 * per frame). bytes/s = ops/s x frameBytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeerSealBenchmark {
  @Param({"1024", "16384", "65536", "1048576"})
  int frameBytes;

  private byte[] plaintext;
  private byte[] out;
  private byte[] opened;
  private final byte[] aad = "bench".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private StreamingAead tink4k;
  private StreamingAead tink1m;
  private byte[] tink4kSealed;
  private byte[] tink1mSealed;
  private Sink sink;
  private GCMModeCipher bc;
  private KeyParameter bcKey;
  private final byte[] nonce = new byte[12];
  private long counter;
  private byte[] bcSealed;

  /** A reusable in-memory sink (reset per frame). */
  private static final class Sink extends ByteArrayOutputStream {
    Sink(int size) {
      super(size);
    }

    int size(boolean reset) {
      int n = count;
      if (reset) {
        count = 0;
      }
      return n;
    }
  }

  /** Builds the peers and warms the running one (1 KiB twin first). */
  @Setup
  public void setup(BenchmarkParams params) throws Exception {
    String method = Prewarm.method(params.getBenchmark());
    long millis = Prewarm.millis();
    if (frameBytes > 1024) {
      PeerSealBenchmark small = new PeerSealBenchmark();
      small.frameBytes = 1024;
      small.init();
      Prewarm.run(() -> small.call(method), millis / 2);
    }
    init();
    Prewarm.run(() -> call(method), millis);
  }

  void init() throws Exception {
    SplittableRandom r = new SplittableRandom(1);
    plaintext = new byte[frameBytes];
    r.nextBytes(plaintext);
    out = new byte[frameBytes + 64];
    opened = new byte[frameBytes + 64];
    StreamingAeadConfig.register();
    tink4k = KeysetHandle.generateNew(com.google.crypto.tink.KeyTemplates.get("AES256_GCM_HKDF_4KB"))
        .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    tink1m = KeysetHandle.generateNew(com.google.crypto.tink.KeyTemplates.get("AES256_GCM_HKDF_1MB"))
        .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    sink = new Sink(frameBytes + (frameBytes / 4096 + 2) * 16 + 64);
    tink4kSealed = tinkSeal(tink4k, false);
    tink1mSealed = tinkSeal(tink1m, false);
    byte[] k = new byte[32];
    r.nextBytes(k);
    bcKey = new KeyParameter(k);
    bc = GCMBlockCipher.newInstance(AESEngine.newInstance());
    bcGcmSeal();
    bcSealed = java.util.Arrays.copyOf(out, frameBytes + 16);
  }

  Object call(String method) throws Exception {
    return switch (method) {
      case "tinkGcmHkdf4kSeal" -> tinkGcmHkdf4kSeal();
      case "tinkGcmHkdf1mSeal" -> tinkGcmHkdf1mSeal();
      case "tinkGcmHkdf4kOpen" -> tinkGcmHkdf4kOpen();
      case "tinkGcmHkdf1mOpen" -> tinkGcmHkdf1mOpen();
      case "bcGcmSeal" -> bcGcmSeal();
      case "bcGcmOpen" -> bcGcmOpen();
      default -> throw new IllegalArgumentException("no benchmark " + method);
    };
  }

  /** Tink StreamingAead AES256_GCM_HKDF_4KB: one stream per frame. */
  @Benchmark
  public int tinkGcmHkdf4kSeal() throws Exception {
    return tinkSeal(tink4k, true).length;
  }

  /** Tink StreamingAead AES256_GCM_HKDF_1MB: one stream per frame. */
  @Benchmark
  public int tinkGcmHkdf1mSeal() throws Exception {
    return tinkSeal(tink1m, true).length;
  }

  /** Tink StreamingAead AES256_GCM_HKDF_4KB: open one frame's stream. */
  @Benchmark
  public int tinkGcmHkdf4kOpen() throws Exception {
    return tinkOpen(tink4k, tink4kSealed);
  }

  /** Tink StreamingAead AES256_GCM_HKDF_1MB: open one frame's stream. */
  @Benchmark
  public int tinkGcmHkdf1mOpen() throws Exception {
    return tinkOpen(tink1m, tink1mSealed);
  }

  /** Bouncy Castle lightweight GCM seal of one frame, fresh nonce. */
  @Benchmark
  public int bcGcmSeal() throws Exception {
    long c = ++counter;
    for (int i = 11; i >= 4; i--) {
      nonce[i] = (byte) c;
      c >>>= 8;
    }
    bc.init(true, new AEADParameters(bcKey, 128, nonce));
    int n = bc.processBytes(plaintext, 0, frameBytes, out, 0);
    return n + bc.doFinal(out, n);
  }

  /** Bouncy Castle lightweight GCM open of one frame. */
  @Benchmark
  public int bcGcmOpen() throws Exception {
    java.util.Arrays.fill(nonce, (byte) 0);
    nonce[11] = 1;
    bc.init(false, new AEADParameters(bcKey, 128, nonce));
    int n = bc.processBytes(bcSealed, 0, bcSealed.length, opened, 0);
    return n + bc.doFinal(opened, n);
  }

  private byte[] tinkSeal(StreamingAead aead, boolean reuse) throws Exception {
    sink.size(true);
    try (OutputStream os = aead.newEncryptingStream(sink, aad)) {
      os.write(plaintext, 0, frameBytes);
    }
    return reuse ? out : sink.toByteArray();
  }

  private int tinkOpen(StreamingAead aead, byte[] sealed) throws Exception {
    int got = 0;
    try (InputStream in = aead.newDecryptingStream(new ByteArrayInputStream(sealed), aad)) {
      for (int n; got < frameBytes && (n = in.read(opened, got, frameBytes - got)) > 0; ) {
        got += n;
      }
    }
    return got;
  }
}
