package dev.obscura.crypto.chunked;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EntropySource;
import dev.obscura.core.IntegrityException;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.testing.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * C2SP chunked encryption as a stream: the fuzzer picks suite, key, context, plaintext and the
 * sizes of the writes to {@link ChunkedOutputStream}; {@link ChunkedInputStream} (with fuzzer-
 * chosen read sizes) and {@link ChunkedEncryption#decrypt} must both return exactly the
 * plaintext. Then one fuzzer-chosen mutation of the ciphertext (or of the context) must fail
 * typed: the one-shot decrypt returns nothing, the stream releases only a prefix of the plaintext
 * (authenticated chunks), the read that throws leaves the caller's sentinel-filled buffer as it
 * was, and later reads fail again. Regression inputs: {@code ChunkedStreamFuzzTestInputs/}.
 */
class ChunkedStreamFuzzTest {
  static final byte SENTINEL = (byte) 0x5A;

  @FuzzTest(maxDuration = "90s")
  void encryptDecryptMutate(FuzzedDataProvider in) throws IOException, IntegrityException {
    ChunkedSuite suite = in.consumeBoolean() ? ChunkedSuite.COBBLESTONE_256 : ChunkedSuite.COBBLESTONE_128;
    SecretBytes key = SecretBytes.copyFrom(Arrays.copyOf(in.consumeBytes(suite.keySizeBytes()),
        suite.keySizeBytes()), InsecureSecretAccess.get());
    byte[] context = in.consumeBytes(in.consumeInt(0, 128));
    byte[] x = Mutations.plaintext(in, 3 * ChunkedEncryption.CHUNK_SIZE_BYTES + 100);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (ChunkedOutputStream out = ChunkedOutputStream.open(sink, suite, key, context,
        EntropySource.insecureDeterministicForTests(in.consumeLong()))) {
      for (int off = 0; off < x.length; ) {
        int n = Math.min(x.length - off, in.consumeInt(1, 20_000));
        out.write(x, off, n);
        off += n;
      }
    }
    byte[] ct = sink.toByteArray();
    if (ct.length != ChunkedEncryption.ciphertextSize(x.length)) {
      throw new AssertionError("ciphertext of " + ct.length + " bytes for " + x.length + " plaintext bytes");
    }
    assertArrayEquals(x, ChunkedEncryption.decrypt(suite, key, context, ct));
    int readSize = in.consumeInt(1, 20_000);
    try (ChunkedInputStream s = ChunkedInputStream.open(new ByteArrayInputStream(ct), suite, key, context)) {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[readSize];
      for (int n; (n = s.readChecked(buf, 0, buf.length)) != -1; ) {
        got.write(buf, 0, n);
      }
      assertArrayEquals(x, got.toByteArray());
    }

    byte[] badCt = ct;
    byte[] badContext = context;
    if (in.consumeBoolean()) {
      badCt = Mutations.mutate(in, ct);
    } else {
      badContext = Mutations.mutate(in, context);
    }
    if (Arrays.equals(badCt, ct) && Arrays.equals(badContext, context)) {
      return;
    }
    try {
      ChunkedEncryption.decrypt(suite, key, badContext, badCt);
      throw new AssertionError("a mutated ciphertext decrypted");
    } catch (IntegrityException expected) {
      // typed, nothing returned
    }
    ChunkedInputStream s;
    try {
      s = ChunkedInputStream.open(new ByteArrayInputStream(badCt), suite, key, badContext);
    } catch (IntegrityException expected) {
      return; // refused before any chunk
    }
    try (s) {
      byte[] buf = new byte[readSize];
      int released = 0;
      while (true) {
        Arrays.fill(buf, SENTINEL);
        int n;
        try {
          n = s.readChecked(buf, 0, buf.length);
        } catch (IntegrityException expected) {
          for (byte b : buf) {
            if (b != SENTINEL) {
              throw new AssertionError("a failing read wrote into the caller's buffer");
            }
          }
          try {
            s.readChecked(buf, 0, buf.length);
            throw new AssertionError("a read after a failure succeeded");
          } catch (IntegrityException again) {
            // sticky
          }
          return;
        }
        if (n == -1) {
          throw new AssertionError("a mutated ciphertext streamed to a clean end");
        }
        if (released + n > x.length || !Arrays.equals(buf, 0, n, x, released, released + n)) {
          throw new AssertionError("the stream released bytes that are not the plaintext");
        }
        released += n;
      }
    }
  }
}
