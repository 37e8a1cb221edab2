package dev.obscura.benchmarks;

import dev.obscura.crypto.sframe.SFrameCipherSuite;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
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
 * SFrame's AES-CTR + HMAC suites (RFC 9605 section 4.5.1) against a raw CTR+HMAC baseline of
 * their own, not a GCM one: {@code rawJcaCtrHmac} is one reused {@code AES/CTR/NoPadding} cipher
 * (init with a fresh IV) and one reused {@code Hmac} over the same AAD layout (three 8-byte
 * lengths, the SFrame header, the ciphertext), the tag truncated as the suite does; {@code
 * rawJcaCtrHmacOpen} verifies then decrypts. The SFrame methods are those of {@link
 * FrameSealBenchmark}. bytes/s = ops/s x frameBytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameSealCtrHmacBenchmark {
  @Param({"1024", "16384", "65536", "1048576"})
  int frameBytes;

  @Param({"AES_128_CTR_HMAC_SHA256_80", "AES_256_CTR_HMAC_SHA512_80"})
  SFrameCipherSuite suite;

  private byte[] plaintext;
  private byte[] out;
  private byte[] opened;
  private byte[] aad;
  private final byte[] lengths = new byte[24];
  private byte[] tag;
  private Cipher ctr;
  private Mac mac;
  private SecretKeySpec encKey;
  private final byte[] iv = new byte[16];
  private long counter;
  private byte[][] rawPool;
  private int rawNext;
  private SFrameFixture sframe;

  /** Builds what the running benchmark needs and warms it (1 KiB twin first). */
  @Setup
  public void setup(BenchmarkParams params) throws Exception {
    String method = Prewarm.method(params.getBenchmark());
    long millis = Prewarm.millis();
    if (frameBytes > 1024) {
      FrameSealCtrHmacBenchmark small = new FrameSealCtrHmacBenchmark();
      small.frameBytes = 1024;
      small.suite = suite;
      small.init(method);
      Prewarm.run(() -> small.call(method), millis / 2);
      small.tearDown();
    }
    init(method);
    Prewarm.run(() -> call(method), millis);
  }

  void init(String method) throws Exception {
    SplittableRandom r = new SplittableRandom(1);
    byte[] key32 = new byte[32];
    r.nextBytes(key32);
    plaintext = new byte[frameBytes];
    r.nextBytes(plaintext);
    out = new byte[frameBytes + 64];
    opened = new byte[frameBytes + 64];
    int aesBytes = suite.keyBytes() - suite.hashBytes();
    byte[] k = new byte[suite.keyBytes()];
    r.nextBytes(k);
    encKey = new SecretKeySpec(k, 0, aesBytes, "AES");
    String hmac = suite.hashBytes() == 32 ? "HmacSHA256" : "HmacSHA512";
    mac = Mac.getInstance(hmac);
    mac.init(new SecretKeySpec(k, aesBytes, suite.hashBytes(), hmac));
    tag = new byte[mac.getMacLength()];
    ctr = Cipher.getInstance("AES/CTR/NoPadding");
    sframe = new SFrameFixture(suite, key32, plaintext);
    aad = sframe.typicalHeader();
    switch (method) {
      case "rawJcaCtrHmacOpen" -> prepareRawPool();
      case "sframeOpen" -> sframe.preparePool(false);
      case "sframeOpenFrame" -> sframe.preparePool(true);
      default -> { }
    }
  }

  Object call(String method) throws Exception {
    return switch (method) {
      case "rawJcaCtrHmac" -> rawJcaCtrHmac();
      case "rawJcaCtrHmacOpen" -> rawJcaCtrHmacOpen();
      case "sframeSeal" -> sframeSeal();
      case "sframeSealFrame" -> sframeSealFrame();
      case "sframeOpen" -> sframeOpen();
      case "sframeOpenFrame" -> sframeOpenFrame();
      default -> throw new IllegalArgumentException("no benchmark " + method);
    };
  }

  @TearDown
  public void tearDown() {
    sframe.close();
  }

  /** Baseline: AES-CTR encrypt then HMAC over lengths || header || ciphertext, tag truncated. */
  @Benchmark
  public int rawJcaCtrHmac() throws GeneralSecurityException {
    return rawSeal(++counter, out);
  }

  /** Baseline: HMAC check of the next pooled frame, then AES-CTR decrypt. */
  @Benchmark
  public int rawJcaCtrHmacOpen() throws GeneralSecurityException {
    if (rawNext == rawPool.length) {
      rawNext = 0;
    }
    int i = rawNext++;
    byte[] in = rawPool[i];
    int ctLen = in.length - suite.tagBytes();
    authenticate(in, ctLen);
    int diff = 0;
    for (int j = 0; j < suite.tagBytes(); j++) {
      diff |= tag[j] ^ in[ctLen + j];
    }
    if (diff != 0) {
      throw new javax.crypto.AEADBadTagException("bad tag");
    }
    ctr.init(Cipher.DECRYPT_MODE, encKey, new IvParameterSpec(iv(i + 1)));
    return ctr.doFinal(in, 0, ctLen, opened, 0);
  }

  private int rawSeal(long c, byte[] dst) throws GeneralSecurityException {
    ctr.init(Cipher.ENCRYPT_MODE, encKey, new IvParameterSpec(iv(c)));
    int n = ctr.doFinal(plaintext, 0, frameBytes, dst, 0);
    authenticate(dst, n);
    System.arraycopy(tag, 0, dst, n, suite.tagBytes());
    return n + suite.tagBytes();
  }

  /** HMAC(lengths || aad || ct) into {@link #tag}. */
  private void authenticate(byte[] ct, int ctLen) throws GeneralSecurityException {
    putLong(lengths, 0, aad.length);
    putLong(lengths, 8, ctLen);
    putLong(lengths, 16, suite.tagBytes());
    mac.update(lengths);
    mac.update(aad);
    mac.update(ct, 0, ctLen);
    mac.doFinal(tag, 0);
  }

  private void prepareRawPool() throws GeneralSecurityException {
    rawPool = new byte[SFrameFixture.poolSize(frameBytes)][];
    for (int i = 0; i < rawPool.length; i++) {
      rawPool[i] = java.util.Arrays.copyOf(out, rawSeal(i + 1, out));
    }
  }

  private byte[] iv(long c) {
    for (int i = 11; i >= 4; i--) {
      iv[i] = (byte) c;
      c >>>= 8;
    }
    return iv;
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  /** SFrame seal, raw-buffer API. */
  @Benchmark
  public int sframeSeal() throws Exception {
    return sframe.sealRaw();
  }

  /** SFrame seal on the product path ({@code LiveCamera.send}). */
  @Benchmark
  public int sframeSealFrame() throws Exception {
    return sframe.sealProduct();
  }

  /** SFrame open, raw-buffer API. */
  @Benchmark
  public int sframeOpen() throws Exception {
    return sframe.openRaw();
  }

  /** SFrame open on the product path ({@code LiveViewer.accept}). */
  @Benchmark
  public int sframeOpenFrame() throws Exception {
    return sframe.openProduct();
  }
}
