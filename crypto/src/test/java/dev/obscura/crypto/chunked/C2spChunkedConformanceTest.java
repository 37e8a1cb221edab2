package dev.obscura.crypto.chunked;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.testing.SentinelReads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs every vector of the Wycheproof C2SP chunked-encryption files through the one-shot,
 * streaming, random-access and raw-mode paths, and re-encrypts the valid ones (raw mode and with
 * the vector's salt injected) to compare byte for byte.
 */
class C2spChunkedConformanceTest {

  @ParameterizedTest
  @CsvSource({
    "c2sp_chunked_encryption_aes_128_gcm_test.json, COBBLESTONE_128, AEAD_AES_128_GCM",
    "c2sp_chunked_encryption_aes_256_gcm_test.json, COBBLESTONE_256, AEAD_AES_256_GCM"
  })
  void allVectors(String file, ChunkedSuite suite, String aead) throws Exception {
    Map<String, Object> doc = TestVectors.wycheproof(file);
    List<TestVectors.Case> cases = TestVectors.cases(doc);
    int run = 0;
    int valid = 0;
    int invalid = 0;
    int rawRun = 0;
    int reencrypted = 0;
    int keySizeRefused = 0;
    int headerRefused = 0;
    for (TestVectors.Case c : cases) {
      assertEquals(aead, c.group().get("aead"));
      assertEquals("SHA-512", c.group().get("sha"));
      String id = file + " tcId " + c.tcId() + " (" + c.str("comment") + ")";
      byte[] keyBytes = c.hex("key");
      byte[] ctx = c.hex("ctx");
      byte[] ct = inflate(c.hex("ct"));
      SecretBytes key = SecretBytes.copyFrom(keyBytes, InsecureSecretAccess.get());
      List<String> flags = c.flags();
      run++;
      if (c.result().equals("valid")) {
        valid++;
        byte[] pt = ChunkedEncryption.decrypt(suite, key, ctx, ct);
        assertEquals(c.num("msgLength"), pt.length, id);
        assertArrayEquals(c.hex("msgSha512"), sha512(pt), id);
        // streaming
        Streamed s = stream(suite, key, ctx, ct);
        assertEquals(null, s.error, id);
        assertArrayEquals(pt, s.released, id);
        // length authentication by random access
        long size = ChunkedEncryption.plaintextSize(ct.length);
        assertEquals(pt.length, size, id);
        assertTrue(finalChunkAuthenticates(suite, key, ctx, ct), id);
        assertArrayEquals(pt, randomAccessAll(suite, key, ctx, ct), id);
        // raw mode, both directions
        byte[] body = Arrays.copyOfRange(ct, 56, ct.length);
        ChunkDecryptor raw = new ChunkDecryptor(suite);
        raw.startRaw(c.hex("aeadKey"), c.hex("baseNonce"));
        assertArrayEquals(pt, raw.openAll(body, 0, body.length), id);
        rawRun++;
        assertArrayEquals(body, rawEncrypt(suite, c.hex("aeadKey"), c.hex("baseNonce"), pt), id);
        // full encryption with the vector's salt injected
        byte[] salt = Arrays.copyOf(ct, 24);
        byte[] again = ChunkedEncryption.encrypt(suite, key, ctx, pt,
            b -> System.arraycopy(salt, 0, b, 0, b.length));
        assertArrayEquals(ct, again, id);
        // and through the stream decorator
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (ChunkedOutputStream out = ChunkedOutputStream.open(sink, suite, key, ctx,
            b -> System.arraycopy(salt, 0, b, 0, b.length))) {
          out.write(pt, 0, Math.min(pt.length, 1000));
          if (pt.length > 1000) {
            out.write(pt, 1000, pt.length - 1000);
          }
        }
        assertArrayEquals(ct, sink.toByteArray(), id);
        reencrypted++;
        continue;
      }
      assertEquals("invalid", c.result(), id);
      invalid++;
      if (flags.contains("InvalidKeySize")) {
        assertTrue(keyBytes.length != suite.keySizeBytes(), id);
        assertThrows(IllegalArgumentException.class,
            () -> ChunkedEncryption.decrypt(suite, key, ctx, ct), id);
        assertThrows(IllegalArgumentException.class,
            () -> ChunkedInputStream.open(new ByteArrayInputStream(ct), suite, key, ctx), id);
        keySizeRefused++;
        continue;
      }
      IntegrityException e = assertThrows(IntegrityException.class,
          () -> ChunkedEncryption.decrypt(suite, key, ctx, ct), id);
      if (flags.contains("HeaderFailure")) {
        headerRefused++;
        if (ct.length < 56) {
          assertEquals(TruncatedSegmentException.class, e.getClass(), id);
        } else {
          assertEquals(KeyMismatchException.class, e.getClass(), id);
        }
      }
      // streaming: at most the authentic prefix, then a sticky error
      Streamed s = stream(suite, key, ctx, ct);
      if (s.error == null) {
        fail("streaming accepted " + id);
      }
      long allowed = flags.contains("PartialPlaintext") ? c.num("msgLength") : 0;
      assertTrue(s.released.length <= allowed, id + " released " + s.released.length);
      if (flags.contains("PartialPlaintext") && s.released.length == allowed) {
        assertArrayEquals(c.hex("msgSha512"), sha512(s.released), id);
      }
      assertTrue(s.stickyAfterError, id + ": a read after the error did not fail again");
      if (!flags.contains("HeaderFailure")) {
        // random access of the whole message fails
        assertThrows(IntegrityException.class, () -> randomAccessAll(suite, key, ctx, ct), id);
        if (!flags.contains("ValidFinalChunk")) {
          assertTrue(!finalChunkAuthenticates(suite, key, ctx, ct), id);
        }
        // raw mode fails too
        byte[] body = Arrays.copyOfRange(ct, 56, ct.length);
        ChunkDecryptor raw = new ChunkDecryptor(suite);
        raw.startRaw(c.hex("aeadKey"), c.hex("baseNonce"));
        assertThrows(IntegrityException.class, () -> raw.openAll(body, 0, body.length), id);
        rawRun++;
      }
    }
    assertEquals(35, run, "vectors run");
    assertEquals(10, valid, "valid vectors");
    assertEquals(25, invalid, "invalid vectors");
    assertEquals(25, rawRun, "raw-mode vectors (all but HeaderFailure)");
    assertEquals(10, reencrypted, "re-encrypted vectors");
    assertEquals(2, keySizeRefused, "InvalidKeySize vectors");
    assertEquals(8, headerRefused, "HeaderFailure vectors (besides InvalidKeySize)");
    System.out.printf("%s: %d vectors run (%d valid, %d invalid), %d in raw mode%n",
        file, run, valid, invalid, rawRun);
  }

  record Streamed(byte[] released, IntegrityException error, boolean stickyAfterError) {}

  static Streamed stream(ChunkedSuite suite, SecretBytes key, byte[] ctx, byte[] ct)
      throws Exception {
    return stream(suite, key, ctx, ct, 5000);
  }

  /**
   * Streams {@code ct} {@code len} bytes at a time into a sentinel-filled buffer: a failing read
   * (and every read after it, typed and wrapped) must leave that buffer untouched.
   */
  static Streamed stream(ChunkedSuite suite, SecretBytes key, byte[] ctx, byte[] ct, int len)
      throws Exception {
    ChunkedInputStream in;
    try {
      in = ChunkedInputStream.open(new ByteArrayInputStream(ct), suite, key, ctx);
    } catch (IntegrityException e) {
      return new Streamed(new byte[0], e, true);
    }
    SentinelReads.Result r = SentinelReads.drain(in::readChecked, len, "chunked stream");
    if (r.error() == null) {
      // after the end, still the end
      assertEquals(-1, in.read());
      return new Streamed(r.released(), null, false);
    }
    if (!(r.error() instanceof IntegrityException e)) {
      throw r.error();
    }
    byte[] buf = SentinelReads.filled(len);
    boolean stickyIo;
    try {
      in.read(buf);
      stickyIo = false;
    } catch (IntegrityIOException again) {
      stickyIo = true;
    }
    SentinelReads.assertUntouched(buf, "chunked stream, read() after the failure");
    return new Streamed(r.released(), e, r.sticky() && stickyIo);
  }

  static boolean finalChunkAuthenticates(ChunkedSuite suite, SecretBytes key, byte[] ctx,
      byte[] ct) {
    try {
      long size = ChunkedEncryption.plaintextSize(ct.length);
      long last = size / ChunkedEncryption.CHUNK_SIZE_BYTES;
      int off = (int) (56 + last * ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES);
      ChunkDecryptor dec = new ChunkDecryptor(suite);
      dec.start(key, ctx, ct, 0);
      byte[] out = new byte[ChunkedEncryption.CHUNK_SIZE_BYTES];
      dec.openChunk(last, ct, off, ct.length - off, out, 0);
      return true;
    } catch (IntegrityException e) {
      return false;
    }
  }

  static byte[] randomAccessAll(ChunkedSuite suite, SecretBytes key, byte[] ctx, byte[] ct)
      throws IntegrityException {
    long size = ChunkedEncryption.plaintextSize(ct.length >= 56 ? ct.length : 0);
    ChunkDecryptor dec = new ChunkDecryptor(suite);
    dec.start(key, ctx, ct, 0);
    byte[] out = new byte[(int) size];
    long chunks = ChunkedEncryption.chunkCount(size);
    // open back to front, to exercise random access
    for (long k = chunks - 1; k >= 0; k--) {
      int off = (int) (56 + k * ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES);
      int len = Math.min(ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES, ct.length - off);
      dec.openChunk(k, ct, off, len, out, (int) (k * ChunkedEncryption.CHUNK_SIZE_BYTES));
    }
    return out;
  }

  static byte[] rawEncrypt(ChunkedSuite suite, byte[] key, byte[] nonce, byte[] pt) {
    ChunkEncryptor enc = new ChunkEncryptor(suite);
    enc.startRaw(key, nonce);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] ct = new byte[ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES];
    int pos = 0;
    while (pt.length - pos >= ChunkedEncryption.CHUNK_SIZE_BYTES) {
      out.write(ct, 0, enc.sealChunk(pt, pos, ChunkedEncryption.CHUNK_SIZE_BYTES, ct, 0));
      pos += ChunkedEncryption.CHUNK_SIZE_BYTES;
    }
    out.write(ct, 0, enc.sealFinalChunk(pt, pos, pt.length - pos, ct, 0));
    return out.toByteArray();
  }

  static byte[] inflate(byte[] z) throws Exception {
    Inflater inf = new Inflater();
    inf.setInput(z);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    while (!inf.finished()) {
      int n = inf.inflate(buf);
      if (n == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) {
        throw new IllegalStateException("bad zlib stream");
      }
      out.write(buf, 0, n);
    }
    inf.end();
    return out.toByteArray();
  }

  static byte[] sha512(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-512").digest(b);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
