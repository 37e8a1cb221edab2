package dev.obscura.benchmarks;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.sframe.CounterStore;
import dev.obscura.crypto.sframe.SFrameCipherSuite;
import dev.obscura.crypto.sframe.SFrameSender;
import java.io.IOException;
import java.security.GeneralSecurityException;
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

/**
 * SFrame seal of one frame against the raw JCA AES-GCM call it wraps, in the same run.
 *
 * <p>{@code jcaAes128Gcm} is the floor: {@code Cipher.init} with a fresh 12-byte nonce and one
 * {@code doFinal} into a caller array. {@code sframeAes128Gcm} adds what SFrame needs per frame:
 * header encoding, nonce = salt XOR CTR, the header as AAD, the counter (reserved in blocks of
 * 2^20, so the store is touched once per million frames). {@code sframeEncodedFrame} is the
 * convenience path (10-byte live-frame prefix, one allocated result array).
 * {@code sframeAes128CtrHmac80} is suite 0x0001 (AES-CTR + HMAC-SHA-256), for comparison.
 *
 * <p>Throughput in bytes per second = ops/s x frameBytes.
 *
 * <pre>
 * mvn -q -B -pl benchmarks -am package -DskipTests
 * java -Djava.io.tmpdir=/tmp/jmh-$USER -jar benchmarks/target/benchmarks.jar SFrameSeal
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SFrameSealBenchmark {
  @Param({"1024", "16384", "65536"})
  int frameBytes;

  private byte[] plaintext;
  private byte[] out;
  private EncodedFrame frame;

  private Cipher jca;
  private SecretKeySpec jcaKey;
  private final byte[] nonce = new byte[12];
  private long jcaCounter;

  private SFrameSender gcm;
  private SFrameSender ctrHmac;

  @Setup
  public void setup() throws GeneralSecurityException, IOException {
    EntropySource entropy = EntropySource.insecureDeterministicForTests(1);
    plaintext = new byte[frameBytes];
    entropy.nextBytes(plaintext);
    out = new byte[frameBytes + 64];
    frame = new EncodedFrame(0, true, plaintext);

    byte[] k = new byte[16];
    entropy.nextBytes(k);
    jcaKey = new SecretKeySpec(k, "AES");
    jca = Cipher.getInstance("AES/GCM/NoPadding");

    EpochKey epochKey = EpochKey.generate(StreamId.of("bench"), EpochId.of(1), entropy);
    gcm = SFrameSender.builder(epochKey, CounterStore.inMemoryForTests())
        .cipherSuite(SFrameCipherSuite.AES_128_GCM_SHA256_128)
        .counterBlockSize(SFrameSender.MAX_COUNTER_BLOCK)
        .build();
    ctrHmac = SFrameSender.builder(epochKey, CounterStore.inMemoryForTests())
        .cipherSuite(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80)
        .allowShortTags()
        .counterBlockSize(SFrameSender.MAX_COUNTER_BLOCK)
        .build();
  }

  @TearDown
  public void tearDown() {
    gcm.close();
    ctrHmac.close();
  }

  @Benchmark
  public int jcaAes128Gcm() throws GeneralSecurityException {
    long c = ++jcaCounter;
    for (int i = 11; i >= 4; i--) {
      nonce[i] = (byte) c;
      c >>>= 8;
    }
    jca.init(Cipher.ENCRYPT_MODE, jcaKey, new GCMParameterSpec(128, nonce));
    return jca.doFinal(plaintext, 0, frameBytes, out, 0);
  }

  @Benchmark
  public int sframeAes128Gcm() throws IOException {
    return gcm.seal(plaintext, 0, frameBytes, out, 0);
  }

  @Benchmark
  public byte[] sframeEncodedFrame() throws IOException {
    return gcm.seal(frame);
  }

  @Benchmark
  public int sframeAes128CtrHmac80() throws IOException {
    return ctrHmac.seal(plaintext, 0, frameBytes, out, 0);
  }
}
