package dev.obscura.benchmarks;

import dev.obscura.crypto.sframe.SFrameCipherSuite;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * SFrame's AES-CTR + HMAC suites (RFC 9605 section 4.5.1) against a raw CTR+HMAC baseline of
 * their own, not a GCM one: {@code rawJcaCtrHmac} is one reused {@code AES/CTR/NoPadding} cipher
 * (init with a fresh IV) and one reused {@code Hmac} over the same AAD layout (three 8-byte
 * lengths, the SFrame header, the ciphertext), the tag truncated as the suite does; {@code
 * rawJcaCtrHmacOpen} verifies then decrypts. The SFrame methods are {@link SFrameHarness}'s, the
 * harness {@link FrameHarness}'s, as for {@link FrameSealBenchmark}. bytes/s = ops/s x
 * frameBytes.
 */
public class FrameSealCtrHmacBenchmark extends SFrameHarness {
  @Param({"AES_128_CTR_HMAC_SHA256_80", "AES_256_CTR_HMAC_SHA512_80"})
  SFrameCipherSuite suite;

  private byte[] aad;
  private final byte[] lengths = new byte[24];
  private byte[] tag;
  private Cipher ctr;
  private Mac mac;
  private SecretKeySpec encKey;
  private final byte[] iv = new byte[16];

  @Override
  void prepare(String method, SplittableRandom random) throws Exception {
    int aesBytes = suite.keyBytes() - suite.hashBytes();
    byte[] k = new byte[suite.keyBytes()];
    random.nextBytes(k);
    encKey = new SecretKeySpec(k, 0, aesBytes, "AES");
    String hmac = suite.hashBytes() == 32 ? "HmacSHA256" : "HmacSHA512";
    mac = Mac.getInstance(hmac);
    mac.init(new SecretKeySpec(k, aesBytes, suite.hashBytes(), hmac));
    tag = new byte[mac.getMacLength()];
    ctr = Cipher.getInstance("AES/CTR/NoPadding");
    prepareSFrame(suite, method);
    aad = sframe.typicalHeader();
    if (method.equals("rawJcaCtrHmacOpen")) {
      fillRawPool(c -> Arrays.copyOf(out, rawSeal(c, out)));
    }
  }

  /** Baseline: AES-CTR encrypt then HMAC over lengths || header || ciphertext, tag truncated. */
  @Benchmark
  public int rawJcaCtrHmac() throws GeneralSecurityException {
    return rawSeal(++counter, out);
  }

  /** Baseline: HMAC check of the next pooled frame, then AES-CTR decrypt. */
  @Benchmark
  public int rawJcaCtrHmacOpen() throws GeneralSecurityException {
    int i = nextPooled();
    byte[] in = rawPool[i];
    int ctLen = in.length - suite.tagBytes();
    authenticate(in, ctLen);
    int diff = 0;
    for (int j = 0; j < suite.tagBytes(); j++) {
      diff |= tag[j] ^ in[ctLen + j];
    }
    if (diff != 0) {
      throw new AEADBadTagException("bad tag");
    }
    ctr.init(Cipher.DECRYPT_MODE, encKey, new IvParameterSpec(counterNonce(iv, i + 1)));
    return ctr.doFinal(in, 0, ctLen, opened, 0);
  }

  private int rawSeal(long c, byte[] dst) throws GeneralSecurityException {
    ctr.init(Cipher.ENCRYPT_MODE, encKey, new IvParameterSpec(counterNonce(iv, c)));
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

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
