package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.testing.CountingProvider;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JCA provider of a sender and a receiver is a choice: Bouncy Castle seals what the
 * platform's default opens and the other way round, byte for byte the same ciphertext; the chosen
 * provider is the one really used (counted), once per epoch and never per frame; and one that
 * lacks the suite's primitives fails at build, saying which.
 */
class SFrameProviderTest {
  private static final StreamId STREAM = StreamId.of("front-door");

  static EpochKey key(long epoch) {
    return EpochKey.generate(STREAM, EpochId.of(epoch), EntropySource.insecureDeterministicForTests(40 + epoch));
  }

  private static SFrameSender sender(SFrameCipherSuite suite, Provider provider, EpochKey key) throws Exception {
    SFrameSender.Builder b = SFrameSender.builder(key, CounterStore.inMemoryForTests()).cipherSuite(suite)
        .provider(provider);
    return (suite.hasShortTag() ? b.allowShortTags() : b).build();
  }

  private static SFrameReceiver receiver(SFrameCipherSuite suite, Provider provider) {
    SFrameReceiver.Builder b = SFrameReceiver.builder(STREAM).cipherSuite(suite).provider(provider);
    return (suite.hasShortTag() ? b.allowShortTags() : b).build();
  }

  /** 30 live frames of sizes around block boundaries, sealed by a sender on {@code provider}. */
  private static List<byte[]> seal(SFrameCipherSuite suite, Provider provider, List<byte[]> frames)
      throws Exception {
    List<byte[]> sealed = new ArrayList<>();
    try (SFrameSender s = sender(suite, provider, key(5))) {
      byte[] out = new byte[s.maxSealedLiveFrameLength(5000)];
      for (int i = 0; i < frames.size(); i++) {
        byte[] f = frames.get(i);
        int n = s.sealLiveFrame(i * 33_333L, i % 10 == 0, 1_700_000_000_000_000L + i, f, 0, f.length, out, 0);
        sealed.add(java.util.Arrays.copyOf(out, n));
      }
    }
    return sealed;
  }

  private static List<byte[]> frames() {
    SplittableRandom r = new SplittableRandom(9);
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      byte[] f = new byte[new int[] {0, 1, 13, 14, 15, 16, 31, 1000, 4999}[i % 9]];
      r.nextBytes(f);
      frames.add(f);
    }
    return frames;
  }

  private static void openAll(SFrameCipherSuite suite, Provider provider, List<byte[]> frames, List<byte[]> sealed)
      throws Exception {
    try (SFrameReceiver rx = receiver(suite, provider)) {
      rx.addEpochKey(key(5));
      LiveFrameBuffer into = new LiveFrameBuffer(16);
      for (int i = 0; i < frames.size(); i++) {
        byte[] s = sealed.get(i);
        rx.openLiveFrame(s, 0, s.length, into);
        assertArrayEquals(frames.get(i), java.util.Arrays.copyOfRange(into.array(), into.offset(),
            into.offset() + into.length()), "frame " + i);
        assertEquals(i % 10 == 0, into.keyframe());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = SFrameCipherSuite.class, names = {"AES_128_GCM_SHA256_128", "AES_256_GCM_SHA512_128",
      "AES_128_CTR_HMAC_SHA256_80", "AES_256_CTR_HMAC_SHA512_64"})
  void bouncyCastleAndTheDefaultSealTheSameBytesAndOpenEachOther(SFrameCipherSuite suite) throws Exception {
    List<byte[]> frames = frames();
    List<byte[]> byDefault = seal(suite, null, frames);
    List<byte[]> byBc = seal(suite, new BouncyCastleProvider(), frames);
    for (int i = 0; i < frames.size(); i++) {
      assertArrayEquals(byDefault.get(i), byBc.get(i), "frame " + i + ": one format, whichever provider");
    }
    openAll(suite, null, frames, byBc);
    openAll(suite, new BouncyCastleProvider(), frames, byDefault);
  }

  @Test
  void theChosenProviderIsUsedOncePerEpochAndNeverPerFrame() throws Exception {
    CountingProvider counting = new CountingProvider();
    List<byte[]> frames = frames();
    try (SFrameSender s = sender(SFrameCipherSuite.DEFAULT, counting, key(5))) {
      assertEquals(1, counting.made("Cipher", "AES"), counting.counts()::toString);
      int macs = counting.made("Mac", "HmacSHA256");
      assertTrue(macs > 0, "the key schedule's HKDF runs on the chosen provider: " + counting.counts());
      byte[] out = new byte[s.maxSealedLiveFrameLength(5000)];
      for (int round = 0; round < 10; round++) {
        for (byte[] f : frames) {
          s.sealLiveFrame(0, false, 0, f, 0, f.length, out, 0);
        }
      }
      assertEquals(1, counting.made("Cipher", "AES"), "300 frames, no lookup: " + counting.counts());
      assertEquals(macs, counting.made("Mac", "HmacSHA256"));
      s.rotate(key(6));
      assertEquals(2, counting.made("Cipher", "AES"), "one cipher per epoch: " + counting.counts());
    }
    CountingProvider rxCounting = new CountingProvider();
    List<byte[]> sealed = seal(SFrameCipherSuite.DEFAULT, null, frames);
    try (SFrameReceiver rx = receiver(SFrameCipherSuite.DEFAULT, rxCounting)) {
      int atBuild = rxCounting.made("Cipher", "AES");
      rx.addEpochKey(key(5));
      assertEquals(atBuild + 1, rxCounting.made("Cipher", "AES"), rxCounting.counts()::toString);
      LiveFrameBuffer into = new LiveFrameBuffer(16);
      for (byte[] s : sealed) {
        rx.openLiveFrame(s, 0, s.length, into);
      }
      assertEquals(atBuild + 1, rxCounting.made("Cipher", "AES"), "no lookup per frame: " + rxCounting.counts());
    }
  }

  @Test
  void aProviderThatLacksTheSuiteFailsAtBuildAndSaysWhich() {
    Provider refusing = CountingProvider.refusing();
    IllegalStateException tx = assertThrows(IllegalStateException.class,
        () -> sender(SFrameCipherSuite.DEFAULT, refusing, key(5)));
    assertTrue(tx.getMessage().contains("Refusing") && tx.getMessage().contains("Hmac"), tx.getMessage());
    IllegalStateException rx = assertThrows(IllegalStateException.class,
        () -> receiver(SFrameCipherSuite.DEFAULT, refusing));
    assertTrue(rx.getMessage().contains("Refusing") && rx.getMessage().contains("AES/GCM/NoPadding"),
        rx.getMessage());
    IllegalStateException ctr = assertThrows(IllegalStateException.class,
        () -> receiver(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, refusing));
    assertTrue(ctr.getMessage().contains("AES/CTR/NoPadding"), ctr.getMessage());
  }
}
