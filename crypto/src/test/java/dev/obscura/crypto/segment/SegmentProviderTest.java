package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.StreamId;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import dev.obscura.crypto.chunked.ChunkedSuite;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.testing.CountingProvider;
import java.io.ByteArrayInputStream;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JCA provider of the segment layer is a choice, on the sealing and on every reading side:
 * Bouncy Castle seals the same bytes the platform's default does (same key, same salts), each
 * opens what the other sealed, the chosen provider is the one used (counted) and only when a
 * sealer or reader is built, and one that lacks AES-GCM or HMAC fails at build, saying which.
 */
class SegmentProviderTest {
  private static final StreamId CAM = StreamId.of("porch");
  private static final int[] SIZES = {0, 100, 16384, 40_000};

  /** Seals four segments (two written as frames) into {@code store} with {@code provider}. */
  private static List<SealedSegmentInfo> seal(MemoryStore store, Fixtures.Keyring ring, SealingSuite suite,
      Provider provider) throws Exception {
    List<SealedSegmentInfo> infos = new ArrayList<>();
    try (SegmentSealer sealer = SegmentSealer.builder().store(store).stream(CAM).suite(suite)
        .epochKey(ring.create(CAM, 0, 7)).entropy(Fixtures.entropy(3)).provider(provider).build()) {
      for (int i = 0; i < SIZES.length; i++) {
        if (i % 2 == 0) {
          infos.add(sealer.seal(Fixtures.segment(i, i, SIZES[i])));
        } else {
          byte[] data = Fixtures.bytes(i, SIZES[i]);
          try (SegmentWriter w = sealer.open(Fixtures.T0.plusSeconds(4L * i), 4_000_000L)) {
            for (int at = 0; at < data.length; at += 1000) {
              w.write(data, at, Math.min(1000, data.length - at));
            }
            infos.add(w.finish());
          }
        }
      }
    }
    return infos;
  }

  private static void readAll(MemoryStore store, Fixtures.Keyring ring, Provider provider) throws Exception {
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring).provider(provider)
        .build()) {
      for (int i = 0; i < SIZES.length; i++) {
        assertArrayEquals(Fixtures.bytes(i, SIZES[i]), r.next().plaintext(), "segment " + i);
      }
    }
    SegmentReader reader = new SegmentReader(SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES, provider);
    SegmentOpener opener = new SegmentOpener(SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES, provider);
    int i = 0;
    for (byte[] sealed : store.objects.values()) {
      assertArrayEquals(Fixtures.bytes(i, SIZES[i]), opener.open(sealed, ring).plaintext());
      reader.start(new ByteArrayInputStream(sealed), ring);
      byte[] got = new byte[SIZES[i] + 1];
      int at = 0;
      for (int n; (n = reader.read(got, at, got.length - at)) != -1; ) {
        at += n;
      }
      assertEquals(SIZES[i], at);
      i++;
    }
  }

  @ParameterizedTest
  @EnumSource(SealingSuite.class)
  void bouncyCastleAndTheDefaultSealTheSameBytesAndOpenEachOther(SealingSuite suite) throws Exception {
    MemoryStore byDefault = new MemoryStore();
    MemoryStore byBc = new MemoryStore();
    Fixtures.Keyring ring = new Fixtures.Keyring();
    List<SealedSegmentInfo> a = seal(byDefault, ring, suite, null);
    List<SealedSegmentInfo> b = seal(byBc, ring, suite, new BouncyCastleProvider());
    assertEquals(byDefault.objects.keySet(), byBc.objects.keySet());
    for (String name : byDefault.objects.keySet()) {
      assertArrayEquals(byDefault.objects.get(name), byBc.objects.get(name), name + ": one format");
    }
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).digest(), b.get(i).digest());
    }
    readAll(byBc, ring, null);
    readAll(byDefault, ring, new BouncyCastleProvider());
  }

  @Test
  void theChosenProviderIsUsedWhenBuiltAndNeverPerChunkOrSegment() throws Exception {
    MemoryStore store = new MemoryStore();
    Fixtures.Keyring ring = new Fixtures.Keyring();
    CountingProvider counting = new CountingProvider();
    try (SegmentSealer sealer = SegmentSealer.builder().store(store).stream(CAM).epochKey(ring.create(CAM, 0, 7))
        .provider(counting).build()) {
      int ciphers = counting.made("Cipher", "AES");
      int macs = counting.made("Mac", "Hmac");
      assertEquals(1, ciphers, counting.counts()::toString);
      // the segment keys' HKDF (its extract HMAC keyed once with the zero salt, its expand HMAC)
      // and the chunks' HKDF
      assertEquals(3, macs, "the segment keys' and the chunks' HKDF: " + counting.counts());
      for (int i = 0; i < 5; i++) {
        sealer.seal(Fixtures.segment(i, i, 50_000));
      }
      assertEquals(ciphers, counting.made("Cipher", "AES"), "no lookup per segment: " + counting.counts());
      assertEquals(macs, counting.made("Mac", "Hmac"));
    }
    // resuming checks the last segment's commitment: on the chosen provider too
    CountingProvider resume = new CountingProvider();
    try (SegmentSealer sealer = SegmentSealer.builder().resumeFrom(store).stream(CAM)
        .epochKey(ring.create(CAM, 0, 7)).provider(resume).build()) {
      assertEquals(5, sealer.nextSequence());
      assertEquals(2, resume.made("Cipher", "AES"), resume.counts()::toString);
    }
    CountingProvider reading = new CountingProvider();
    try (StreamReader r = StreamReader.builder().store(store).stream(CAM).resolver(ring).provider(reading).build()) {
      while (r.next() != null) {
        assertEquals(1, reading.made("Cipher", "AES"), "one reused cipher: " + reading.counts());
      }
    }
    assertEquals(3, reading.made("Mac", "Hmac"), reading.counts()::toString);
  }

  @Test
  void theChunkedOneShotsTakeAProviderToo() throws Exception {
    SecretBytes key = SecretBytes.copyFrom(Fixtures.bytes(1, 32), InsecureSecretAccess.get());
    byte[] message = Fixtures.bytes(2, 40_000);
    byte[] context = {1, 2, 3};
    CountingProvider counting = new CountingProvider();
    byte[] sealed = ChunkedEncryption.encrypt(ChunkedSuite.COBBLESTONE_256, key, context, message,
        Fixtures.entropy(5), counting);
    assertEquals(1, counting.made("Cipher", "AES"), counting.counts()::toString);
    assertArrayEquals(sealed, ChunkedEncryption.encrypt(ChunkedSuite.COBBLESTONE_256, key, context, message,
        Fixtures.entropy(5)));
    assertArrayEquals(message, ChunkedEncryption.decrypt(ChunkedSuite.COBBLESTONE_256, key, context, sealed));
    assertArrayEquals(message, ChunkedEncryption.decrypt(ChunkedSuite.COBBLESTONE_256, key, context, sealed, 0,
        sealed.length, counting));
    assertEquals(2, counting.made("Cipher", "AES"));
  }

  @Test
  void aProviderThatLacksAesGcmOrHmacFailsAtBuildAndSaysWhich() throws Exception {
    Provider refusing = CountingProvider.refusing();
    MemoryStore store = new MemoryStore();
    Fixtures.Keyring ring = new Fixtures.Keyring();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SegmentSealer.builder()
        .store(store).stream(CAM).epochKey(ring.create(CAM, 0, 7)).provider(refusing).build());
    assertTrue(e.getMessage().contains("JCA provider Refusing does not provide"), e.getMessage());
    IllegalStateException r = assertThrows(IllegalStateException.class,
        () -> new SegmentReader(SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES, refusing));
    assertTrue(r.getMessage().contains("Refusing") && r.getMessage().contains("HmacSHA256"), r.getMessage());
    assertTrue(store.objects.isEmpty());
  }
}
