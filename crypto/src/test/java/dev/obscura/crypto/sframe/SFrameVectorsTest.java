package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.security.Provider;
import javax.crypto.AEADBadTagException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every vector of the sframe-wg test-vector files ({@code crypto/src/test/vectors/sframe/}, the
 * vectors of RFC 9605 Appendix C plus the AES-256-CTR-HMAC suites), with the counts asserted
 * exactly so a vector that is silently skipped fails the build. The SFrame vectors run on the
 * platform's default JCA provider and on Bouncy Castle, as a sender or receiver built with either
 * ({@code provider(...)}) would.
 */
class SFrameVectorsTest {
  static final int HEADER_VECTORS = 289;
  static final int AES_CTR_HMAC_VECTORS = 3;
  static final int AES_256_CTR_HMAC_VECTORS = 3;
  static final int SFRAME_VECTORS = 5;
  static final int SFRAME_AES_256_CTR_HMAC_VECTORS = 3;

  private static final HexFormat HEX = HexFormat.of();

  /** The vectors folder from {@code -Dobscura.testvectors}; fails loudly when it is missing. */
  static Path sframeVectorsDir() {
    String root = System.getProperty("obscura.testvectors");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException(
          "system property obscura.testvectors is not set (the root pom's surefire config sets it)");
    }
    Path dir = Path.of(root, "sframe");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("SFrame test vectors not found at " + dir);
    }
    return dir;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(String file) throws IOException {
    return (Map<String, Object>) Json.parse(Files.readString(sframeVectorsDir().resolve(file)));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> doc, String key) {
    Object v = doc.get(key);
    assertTrue(v instanceof List, "missing section " + key);
    return (List<Map<String, Object>>) v;
  }

  private static byte[] hex(Map<String, Object> v, String key) {
    Object s = v.get(key);
    assertTrue(s instanceof String, "missing hex field " + key);
    return HEX.parseHex((String) s);
  }

  /** An unsigned 64-bit JSON integer as a Java long (two's complement). */
  private static long u64(Map<String, Object> v, String key) {
    BigInteger b = (BigInteger) v.get(key);
    assertTrue(b.signum() >= 0 && b.bitLength() <= 64, key + " out of u64 range");
    return b.longValue();
  }

  private static int integer(Map<String, Object> v, String key) {
    return ((BigInteger) v.get(key)).intValueExact();
  }

  @Test
  void filesHaveExactlyTheKnownSections() throws IOException {
    assertEquals(
        Set.of("header", "aes_ctr_hmac", "aes_256_ctr_hmac", "sframe"),
        load("test-vectors.json").keySet());
    assertEquals(Set.of("sframe_aes_256_ctr_hmac"), load("test-vectors-aes256.json").keySet());
  }

  @Test
  void headerVectors() throws Exception {
    int n = 0;
    for (Map<String, Object> v : list(load("test-vectors.json"), "header")) {
      long kid = u64(v, "kid");
      long ctr = u64(v, "ctr");
      byte[] encoded = hex(v, "encoded");
      String id = "header vector " + n + " " + new SFrameHeader(kid, ctr);
      assertArrayEquals(encoded, new SFrameHeader(kid, ctr).encode(), id);
      assertEquals(encoded.length, SFrameHeader.encodedLength(kid, ctr), id);

      // decode from the middle of a larger buffer, followed by other bytes
      byte[] framed = new byte[encoded.length + 7];
      System.arraycopy(encoded, 0, framed, 3, encoded.length);
      Arrays.fill(framed, 3 + encoded.length, framed.length, (byte) 0xA5);
      SFrameHeader h = SFrameHeader.decode(framed, 3, framed.length - 3);
      assertEquals(kid, h.kid(), id);
      assertEquals(ctr, h.counter(), id);
      assertEquals(encoded.length, h.encodedLength(), id);

      // every proper prefix is malformed (cut short), never mis-parsed
      for (int cut = 0; cut < encoded.length; cut++) {
        int len = cut;
        assertThrows(dev.obscura.core.MalformedDataException.class,
            () -> SFrameHeader.decode(encoded, 0, len), id + " cut at " + cut);
      }
      n++;
    }
    assertEquals(HEADER_VECTORS, n);
  }

  @Test
  void aesCtrHmacVectors() throws Exception {
    int n = runAesCtrHmac(list(load("test-vectors.json"), "aes_ctr_hmac"), Set.of(1, 2, 3));
    assertEquals(AES_CTR_HMAC_VECTORS, n);
  }

  @Test
  void aes256CtrHmacVectors() throws Exception {
    int n = runAesCtrHmac(list(load("test-vectors.json"), "aes_256_ctr_hmac"), Set.of(6, 7, 8));
    assertEquals(AES_256_CTR_HMAC_VECTORS, n);
  }

  private static int runAesCtrHmac(List<Map<String, Object>> vectors, Set<Integer> suites)
      throws Exception {
    int n = 0;
    for (Map<String, Object> v : vectors) {
      SFrameCipherSuite suite = SFrameCipherSuite.fromId(integer(v, "cipher_suite"));
      assertTrue(suites.contains(suite.id()), "unexpected suite " + suite);
      String id = "AES-CTR-HMAC vector " + n + " " + suite;
      byte[] key = hex(v, "key");
      byte[] nonce = hex(v, "nonce");
      byte[] aad = hex(v, "aad");
      byte[] pt = hex(v, "pt");
      byte[] ct = hex(v, "ct");
      assertEquals(suite.keyBytes(), key.length, id);
      // the key split of RFC 9605 section 4.5.1
      assertArrayEquals(hex(v, "enc_key"), Arrays.copyOfRange(key, 0, suite.aesKeyBytes()), id);
      assertArrayEquals(hex(v, "auth_key"), Arrays.copyOfRange(key, suite.aesKeyBytes(), key.length), id);

      SFrameAead aead = SFrameAead.create(suite, key, null);
      byte[] out = new byte[pt.length + suite.tagBytes()];
      int w = aead.encrypt(nonce, aad, 0, aad.length, null, 0, 0, pt, 0, pt.length, out, 0);
      assertEquals(ct.length, w, id);
      assertArrayEquals(ct, out, id);
      // the same with the plaintext split in two parts (the head through update, the rest doFinal)
      int cutP = pt.length / 3;
      Arrays.fill(out, (byte) 0);
      aead.encrypt(nonce, aad, 0, aad.length, pt, 0, cutP, pt, cutP, pt.length - cutP, out, 0);
      assertArrayEquals(ct, out, id + " (split)");

      byte[] back = new byte[pt.length];
      assertEquals(pt.length, aead.decrypt(nonce, aad, 0, aad.length, ct, 0, ct.length, back, 0), id);
      assertArrayEquals(pt, back, id);

      // any single flipped bit in ciphertext, tag, nonce or AAD is refused, with no output
      for (int bit = 0; bit < ct.length * 8; bit += 7) {
        byte[] bad = ct.clone();
        bad[bit / 8] ^= (byte) (1 << (bit % 8));
        byte[] sink = new byte[pt.length];
        assertThrows(AEADBadTagException.class,
            () -> aead.decrypt(nonce, aad, 0, aad.length, bad, 0, bad.length, sink, 0), id);
        assertArrayEquals(new byte[pt.length], sink, id + ": plaintext released on failure");
      }
      byte[] badAad = aad.clone();
      badAad[0] ^= 1;
      assertThrows(AEADBadTagException.class,
          () -> aead.decrypt(nonce, badAad, 0, badAad.length, ct, 0, ct.length, new byte[pt.length], 0), id);
      n++;
    }
    return n;
  }

  private static Provider provider(String which) {
    return which.equals("default") ? null : new BouncyCastleProvider();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default", "BouncyCastle"})
  void sframeVectors(String which) throws Exception {
    int n = runSFrame(list(load("test-vectors.json"), "sframe"), provider(which));
    assertEquals(SFRAME_VECTORS, n);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default", "BouncyCastle"})
  void sframeAes256CtrHmacVectors(String which) throws Exception {
    int n = runSFrame(list(load("test-vectors-aes256.json"), "sframe_aes_256_ctr_hmac"), provider(which));
    assertEquals(SFRAME_AES_256_CTR_HMAC_VECTORS, n);
  }

  private static int runSFrame(List<Map<String, Object>> vectors, Provider provider) throws Exception {
    int n = 0;
    for (Map<String, Object> v : vectors) {
      SFrameCipherSuite suite = SFrameCipherSuite.fromId(integer(v, "cipher_suite"));
      String id = "SFrame vector " + n + " " + suite;
      long kid = u64(v, "kid");
      long ctr = u64(v, "ctr");
      byte[] baseKey = hex(v, "base_key");
      byte[] metadata = hex(v, "metadata");
      byte[] pt = hex(v, "pt");
      byte[] ct = hex(v, "ct");

      // key schedule, step by step (RFC 9605 section 4.4.2)
      assertArrayEquals(hex(v, "sframe_key_label"), SFrameKeySchedule.keyLabel(kid, suite), id);
      assertArrayEquals(hex(v, "sframe_salt_label"), SFrameKeySchedule.saltLabel(kid, suite), id);
      byte[] secret = SFrameKeySchedule.secret(suite, baseKey, provider);
      assertArrayEquals(hex(v, "sframe_secret"), secret, id);
      assertArrayEquals(hex(v, "sframe_key"), SFrameKeySchedule.key(suite, secret, kid, provider), id);
      assertArrayEquals(hex(v, "sframe_salt"), SFrameKeySchedule.salt(suite, secret, kid, provider), id);

      SFrameContext sealer = new SFrameContext(suite, kid, baseKey, provider);
      assertArrayEquals(hex(v, "nonce"), sealer.nonceFor(ctr), id);
      byte[] header = new SFrameHeader(kid, ctr).encode();
      byte[] aad = new byte[header.length + metadata.length];
      System.arraycopy(header, 0, aad, 0, header.length);
      System.arraycopy(metadata, 0, aad, header.length, metadata.length);
      assertArrayEquals(hex(v, "aad"), aad, id);

      byte[] out = new byte[sealer.sealedLength(ctr, pt.length)];
      int w = sealer.seal(ctr, metadata, 0, metadata.length, null, 0, 0, pt, 0, pt.length, out, 0);
      assertEquals(ct.length, w, id);
      assertArrayEquals(ct, out, id);

      SFrameContext opener = new SFrameContext(suite, kid, baseKey, provider);
      SFrameHeader h = SFrameHeader.decode(ct, 0, ct.length);
      assertEquals(kid, h.kid(), id);
      assertEquals(ctr, h.counter(), id);
      byte[] back = new byte[pt.length];
      assertEquals(pt.length,
          opener.open(h.counter(), h.encodedLength(), ct, 0, ct.length, metadata, 0, metadata.length, back, 0), id);
      assertArrayEquals(pt, back, id);

      byte[] otherMetadata = metadata.clone();
      otherMetadata[otherMetadata.length - 1] ^= 0x01;
      assertThrows(AEADBadTagException.class, () -> opener.open(h.counter(), h.encodedLength(),
          ct, 0, ct.length, otherMetadata, 0, otherMetadata.length, new byte[pt.length], 0), id);
      n++;
    }
    return n;
  }
}
