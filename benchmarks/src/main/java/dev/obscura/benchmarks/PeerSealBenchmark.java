package dev.obscura.benchmarks;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Peers of Obscura's AES-256 sealers, run beside {@link FrameSealBenchmark} so one table shows
 * them against the same raw baseline ({@code FrameSealBenchmark.rawJcaAesGcm}/{@code
 * rawJcaAesGcmOpen}, keyBits=256, same frameBytes, same JDK): Tink {@code StreamingAead}
 * (AES256_GCM_HKDF_4KB and AES256_GCM_HKDF_1MB; one stream per frame, as a sealer of separate
 * frames would use it) and Bouncy Castle's lightweight GCM ({@code GCMBlockCipher}, fresh nonce
 * per frame, under the harness's one key). The harness (settings, key, buffers, nonces, warm-up)
 * is {@link FrameHarness}'s. bytes/s = ops/s x frameBytes.
 */
public class PeerSealBenchmark extends FrameHarness {
  private final byte[] aad = "bench".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private StreamingAead tink4k;
  private StreamingAead tink1m;
  private byte[] tink4kSealed;
  private byte[] tink1mSealed;
  private Sink sink;
  private GCMModeCipher bc;
  private KeyParameter bcKey;
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

  @Override
  void prepare(String method, SplittableRandom random) throws Exception {
    StreamingAeadConfig.register();
    tink4k = KeysetHandle.generateNew(com.google.crypto.tink.KeyTemplates.get("AES256_GCM_HKDF_4KB"))
        .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    tink1m = KeysetHandle.generateNew(com.google.crypto.tink.KeyTemplates.get("AES256_GCM_HKDF_1MB"))
        .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    sink = new Sink(frameBytes + (frameBytes / 4096 + 2) * 16 + 64);
    tink4kSealed = tinkSeal(tink4k, false);
    tink1mSealed = tinkSeal(tink1m, false);
    bcKey = new KeyParameter(key32);
    bc = GCMBlockCipher.newInstance(AESEngine.newInstance());
    bcGcmSeal();
    bcSealed = Arrays.copyOf(out, frameBytes + 16);
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
    bc.init(true, new AEADParameters(bcKey, 128, counterNonce(nonce, ++counter)));
    int n = bc.processBytes(plaintext, 0, frameBytes, out, 0);
    return n + bc.doFinal(out, n);
  }

  /** Bouncy Castle lightweight GCM open of one frame. */
  @Benchmark
  public int bcGcmOpen() throws Exception {
    bc.init(false, new AEADParameters(bcKey, 128, counterNonce(nonce, 1)));
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
