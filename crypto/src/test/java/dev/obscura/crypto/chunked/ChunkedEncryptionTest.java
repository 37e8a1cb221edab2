package dev.obscura.crypto.chunked;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.EntropySource;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.TamperedSegmentException;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.testing.SentinelReads;
import dev.obscura.transport.testing.SecretScan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkedEncryptionTest {
  static final int C = ChunkedEncryption.CHUNK_SIZE_BYTES;
  static final int E = ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES;
  static final byte[] CTX = "ctx".getBytes();

  static SecretBytes key(ChunkedSuite s, long seed) {
    byte[] k = new byte[s.keySizeBytes()];
    new SplittableRandom(seed).nextBytes(k);
    return SecretBytes.copyFrom(k, InsecureSecretAccess.get());
  }

  static byte[] bytes(long seed, int n) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  static Stream<Arguments> sizes() {
    SplittableRandom r = new SplittableRandom(42);
    Stream<Integer> fixed = Stream.of(0, 1, 15, 16, 17, C - 1, C, C + 1, 2 * C, 3 * C + 5,
        3 * 1024 * 1024 + 7);
    Stream<Integer> random = LongStream.range(0, 6).mapToObj(i -> r.nextInt(200_000));
    return Stream.concat(fixed, random).flatMap(n -> Stream.of(
        Arguments.of(ChunkedSuite.COBBLESTONE_256, n), Arguments.of(ChunkedSuite.COBBLESTONE_128, n)));
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void roundTripsThroughEveryPath(ChunkedSuite suite, int size) throws Exception {
    SecretBytes k = key(suite, size);
    byte[] msg = bytes(size, size);
    byte[] ct = ChunkedEncryption.encrypt(suite, k, CTX, msg, EntropySource.system());
    assertEquals(ChunkedEncryption.ciphertextSize(size), ct.length);
    assertEquals(size, ChunkedEncryption.plaintextSize(ct.length));
    assertArrayEquals(msg, ChunkedEncryption.decrypt(suite, k, CTX, ct));
    assertArrayEquals(msg, C2spChunkedConformanceTest.randomAccessAll(suite, k, CTX, ct));
    // stream out with ragged writes, stream in with ragged reads
    SplittableRandom r = new SplittableRandom(size * 31L);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ChunkedOutputStream out = ChunkedOutputStream.open(sink, suite, k, CTX, EntropySource.system());
    int pos = 0;
    while (pos < size) {
      int n = Math.min(size - pos, r.nextInt(3) == 0 ? 1 : r.nextInt(40_000));
      if (n == 1) {
        out.write(msg[pos]);
      } else {
        out.write(msg, pos, n);
      }
      pos += n;
    }
    out.close();
    byte[] ct2 = sink.toByteArray();
    assertEquals(ct.length, ct2.length);
    assertFalse(Arrays.equals(ct, ct2), "two encryptions must differ (fresh salt)");
    ChunkedInputStream in = ChunkedInputStream.open(new ByteArrayInputStream(ct2), suite, k, CTX);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[50_000];
    int n;
    while ((n = in.read(buf, 0, 1 + r.nextInt(buf.length - 1))) != -1) {
      got.write(buf, 0, n);
    }
    assertArrayEquals(msg, got.toByteArray());
    assertEquals(-1, in.read());
  }

  @ParameterizedTest
  @EnumSource(ChunkedSuite.class)
  void everyBitFlipOfASmallMessageIsRejected(ChunkedSuite suite) throws Exception {
    SecretBytes k = key(suite, 1);
    byte[] ct = ChunkedEncryption.encrypt(suite, k, CTX, bytes(2, 100), EntropySource.system());
    int rejected = 0;
    for (int bit = 0; bit < ct.length * 8; bit++) {
      byte[] bad = ct.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      IntegrityException e = assertThrows(IntegrityException.class,
          () -> ChunkedEncryption.decrypt(suite, k, CTX, bad), "bit " + bit);
      Class<?> expected = bit < 56 * 8 ? KeyMismatchException.class : TamperedSegmentException.class;
      assertEquals(expected, e.getClass(), "bit " + bit);
      rejected++;
    }
    assertEquals(ct.length * 8, rejected);
  }

  @Test
  void seededBitFlipsOfALargerMessageAreRejected() throws Exception {
    ChunkedSuite suite = ChunkedSuite.COBBLESTONE_256;
    SecretBytes k = key(suite, 3);
    byte[] ct = ChunkedEncryption.encrypt(suite, k, CTX, bytes(4, 3 * C + 999), EntropySource.system());
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 300; i++) {
      int bit = r.nextInt(ct.length * 8);
      byte[] bad = ct.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(IntegrityException.class, () -> ChunkedEncryption.decrypt(suite, k, CTX, bad),
          "bit " + bit);
      // streaming releases only the chunks before the flipped one
      // (a read smaller than a chunk, then one larger: the failing one leaves the buffer as it was)
      C2spChunkedConformanceTest.Streamed s =
          C2spChunkedConformanceTest.stream(suite, k, CTX, bad, i % 2 == 0 ? 5000 : C + 3);
      assertTrue(s.error() != null, "bit " + bit);
      int byteInBody = bit / 8 - 56;
      long allowed = byteInBody < 0 ? 0 : (long) (byteInBody / E) * C;
      assertTrue(s.released().length <= allowed, "bit " + bit);
      assertTrue(s.stickyAfterError());
    }
  }

  @ParameterizedTest
  @EnumSource(ChunkedSuite.class)
  void truncationAnywhereIsDetected(ChunkedSuite suite) throws Exception {
    SecretBytes k = key(suite, 6);
    byte[] msg = bytes(7, 3 * C + 100);
    byte[] ct = ChunkedEncryption.encrypt(suite, k, CTX, msg, EntropySource.system());
    for (int cut = 0; cut < ct.length; cut += (cut % E < 40 || cut % E > E - 40) ? 1 : 997) {
      byte[] bad = Arrays.copyOf(ct, cut);
      int body = cut - 56;
      IntegrityException e = assertThrows(IntegrityException.class,
          () -> ChunkedEncryption.decrypt(suite, k, CTX, bad), "cut " + cut);
      if (cut < 56 || body % E == 0 || body % E < 16) {
        assertEquals(TruncatedSegmentException.class, e.getClass(), "cut " + cut);
      }
      C2spChunkedConformanceTest.Streamed s =
          C2spChunkedConformanceTest.stream(suite, k, CTX, bad, cut % 2 == 0 ? 5000 : 2 * C);
      assertTrue(s.error() != null, "cut " + cut);
      assertTrue(s.released().length <= Math.max(0, body / E) * (long) C, "cut " + cut);
      assertArrayEquals(Arrays.copyOf(msg, s.released().length), s.released());
    }
    // exactly at each chunk boundary: typed truncation, in both paths
    for (int k2 = 0; k2 <= 3; k2++) {
      byte[] bad = Arrays.copyOf(ct, 56 + k2 * E);
      assertThrows(TruncatedSegmentException.class,
          () -> ChunkedEncryption.decrypt(suite, k, CTX, bad));
      assertEquals(TruncatedSegmentException.class,
          C2spChunkedConformanceTest.stream(suite, k, CTX, bad).error().getClass());
    }
  }

  @Test
  void reorderedDuplicatedAndTrailingChunksAreRejected() throws Exception {
    ChunkedSuite suite = ChunkedSuite.COBBLESTONE_256;
    SecretBytes k = key(suite, 8);
    byte[] ct = ChunkedEncryption.encrypt(suite, k, CTX, bytes(9, 3 * C + 10), EntropySource.system());
    byte[] swapped = ct.clone();
    System.arraycopy(ct, 56, swapped, 56 + E, E);
    System.arraycopy(ct, 56 + E, swapped, 56, E);
    assertThrows(TamperedSegmentException.class, () -> ChunkedEncryption.decrypt(suite, k, CTX, swapped));
    byte[] dup = ct.clone();
    System.arraycopy(ct, 56, dup, 56 + E, E);
    assertThrows(TamperedSegmentException.class, () -> ChunkedEncryption.decrypt(suite, k, CTX, dup));
    byte[] extra = Arrays.copyOf(ct, ct.length + 16);
    assertThrows(IntegrityException.class, () -> ChunkedEncryption.decrypt(suite, k, CTX, extra));
    // a second message's final chunk appended after ours
    byte[] other = ChunkedEncryption.encrypt(suite, k, CTX, new byte[0], EntropySource.system());
    byte[] spliced = Arrays.copyOf(ct, ct.length + 16);
    System.arraycopy(other, 56, spliced, ct.length, 16);
    assertThrows(IntegrityException.class, () -> ChunkedEncryption.decrypt(suite, k, CTX, spliced));
  }

  @Test
  void wrongKeyOrContextFailsTheCommitmentAndWrongKeySizeIsRefused() throws Exception {
    ChunkedSuite suite = ChunkedSuite.COBBLESTONE_128;
    SecretBytes k = key(suite, 10);
    byte[] ct = ChunkedEncryption.encrypt(suite, k, CTX, bytes(11, 5000), EntropySource.system());
    assertThrows(KeyMismatchException.class,
        () -> ChunkedEncryption.decrypt(suite, key(suite, 12), CTX, ct));
    assertThrows(KeyMismatchException.class,
        () -> ChunkedEncryption.decrypt(suite, k, "ctx2".getBytes(), ct));
    assertThrows(KeyMismatchException.class,
        () -> ChunkedInputStream.open(new ByteArrayInputStream(ct), suite, k, new byte[0]));
    SecretBytes k256 = key(ChunkedSuite.COBBLESTONE_256, 10);
    assertThrows(IllegalArgumentException.class,
        () -> ChunkedEncryption.decrypt(suite, k256, CTX, ct));
    assertThrows(IllegalArgumentException.class,
        () -> ChunkedEncryption.encrypt(suite, k256, CTX, new byte[1], EntropySource.system()));
    // the same bytes under the other suite fail too
    assertThrows(IllegalArgumentException.class,
        () -> ChunkedEncryption.decrypt(ChunkedSuite.COBBLESTONE_256, k, CTX, ct));
  }

  @Test
  void failedChunkLeavesNoPlaintextInTheCallersBuffer() throws Exception {
    ChunkedSuite suite = ChunkedSuite.COBBLESTONE_256;
    SecretBytes k = key(suite, 13);
    byte[] ct = ChunkedEncryption.encrypt(suite, k, CTX, bytes(14, C + 10), EntropySource.system());
    ct[56 + 100] ^= 1;
    ChunkDecryptor dec = new ChunkDecryptor(suite);
    dec.start(k, CTX, ct, 0);
    byte[] out = new byte[C];
    Arrays.fill(out, (byte) 0x55);
    assertThrows(TamperedSegmentException.class, () -> dec.openChunk(0, ct, 56, E, out, 0));
    assertArrayEquals(new byte[C], out);
    // the final chunk opened at the wrong index fails
    assertThrows(TamperedSegmentException.class, () -> dec.openChunk(0, ct, 56 + E, 26, out, 0));
    assertEquals(10, dec.openChunk(1, ct, 56 + E, 26, out, 0));
  }

  @Test
  void encryptorRefusesMisuse() {
    ChunkEncryptor enc = new ChunkEncryptor(ChunkedSuite.COBBLESTONE_256);
    byte[] out = new byte[E];
    assertThrows(IllegalStateException.class, () -> enc.sealFinalChunk(new byte[1], 0, 1, out, 0));
    StringBuilder shown = new StringBuilder(enc.toString()); // its toString in every state, scanned below
    SecretBytes inputKey = key(ChunkedSuite.COBBLESTONE_256, 1);
    byte[] head = new byte[ChunkedEncryption.HEADER_SIZE_BYTES];
    enc.start(inputKey, CTX, EntropySource.system(), head, 0);
    shown.append(enc);
    // the message keys it holds now: AEAD key || base nonce || commitment (the header's, so they are the real ones)
    byte[] ik = inputKey.toByteArray(InsecureSecretAccess.get());
    byte[] okm = ChunkedEncryption.deriveMessageKeys(ChunkedSuite.COBBLESTONE_256, ik,
        Arrays.copyOf(head, ChunkedEncryption.SALT_SIZE_BYTES), CTX);
    int k = ChunkedSuite.COBBLESTONE_256.keySizeBytes();
    int n = ChunkedSuite.COBBLESTONE_256.nonceSizeBytes();
    assertArrayEquals(Arrays.copyOfRange(head, ChunkedEncryption.SALT_SIZE_BYTES, head.length),
        Arrays.copyOfRange(okm, k + n, okm.length));
    assertThrows(IllegalArgumentException.class, () -> enc.sealChunk(new byte[C], 0, 100, out, 0));
    assertThrows(IllegalArgumentException.class, () -> enc.sealFinalChunk(new byte[C], 0, C, out, 0));
    enc.sealChunk(new byte[C], 0, C, out, 0);
    shown.append(enc);
    enc.sealFinalChunk(new byte[5], 0, 5, out, 0);
    assertThrows(IllegalStateException.class, () -> enc.sealFinalChunk(new byte[5], 0, 5, out, 0));
    assertThrows(IllegalStateException.class, () -> enc.sealChunk(new byte[C], 0, C, out, 0));
    shown.append(enc);
    SecretScan.assertNoLeak(shown.toString(), ik, Arrays.copyOf(okm, k), Arrays.copyOfRange(okm, k, k + n));
  }

  @Test
  void lengthArithmeticMatchesTheSpec() throws Exception {
    assertEquals(56 + 16, ChunkedEncryption.ciphertextSize(0));
    assertEquals(56 + E + 16, ChunkedEncryption.ciphertextSize(C));
    assertEquals(56 + E + 17, ChunkedEncryption.ciphertextSize(C + 1));
    for (long bad : new long[] {0, 55, 56, 56 + 15, 56 + E, 56 + E + 15, 56 + 2L * E}) {
      try {
        ChunkedEncryption.plaintextSize(bad);
        fail("accepted ciphertext size " + bad);
      } catch (TruncatedSegmentException expected) {
        // ok
      }
    }
    // absurd sizes do not overflow
    assertThrows(TruncatedSegmentException.class,
        () -> ChunkedEncryption.plaintextSize(56 + (1L << 38) * E + 16));
  }

  @Test
  void anUnderlyingReadFailureIsStickyToo() throws Exception {
    ChunkedSuite suite = ChunkedSuite.COBBLESTONE_256;
    SecretBytes k = key(suite, 20);
    byte[] ct = ChunkedEncryption.encrypt(suite, k, CTX, bytes(21, 3 * C), EntropySource.system());
    java.io.InputStream flaky = new java.io.InputStream() {
      int pos;
      boolean failed;

      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        if (!failed && pos > 56 + E + 100) {
          failed = true;
          throw new java.io.IOException("network down");
        }
        int n = Math.min(Math.min(len, 1000), ct.length - pos);
        if (n <= 0) {
          return -1;
        }
        System.arraycopy(ct, pos, b, off, n);
        pos += n;
        return n;
      }
    };
    ChunkedInputStream in = ChunkedInputStream.open(flaky, suite, k, CTX);
    byte[] buf = new byte[C];
    assertEquals(C, in.readNBytes(buf, 0, C));
    Arrays.fill(buf, SentinelReads.SENTINEL);
    assertThrows(java.io.IOException.class, () -> in.read(buf));
    SentinelReads.assertUntouched(buf, "the read the network failed");
    // the flaky stream now works again, but the reader lost its chunk alignment: still failing
    assertThrows(java.io.IOException.class, () -> in.read(buf));
    SentinelReads.assertUntouched(buf, "a read after the failure");
  }
}
