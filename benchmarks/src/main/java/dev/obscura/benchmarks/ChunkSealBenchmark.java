package dev.obscura.benchmarks;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.chunked.ChunkDecryptor;
import dev.obscura.crypto.chunked.ChunkEncryptor;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import dev.obscura.crypto.chunked.ChunkedSuite;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * C2SP chunked encryption (Cobblestone-256) against the raw JCA AES-256-GCM call it is built on,
 * in the same run: one message of {@code size} bytes per operation. Multiply ops/s by size for
 * bytes/s. The chunked numbers include the per-message cost (24-byte salt from the system CSPRNG,
 * HKDF-Expand-SHA-512, commitment) and the 16-byte tag per 16 KiB chunk.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ChunkSealBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChunkSealBenchmark {
  @Param({"1024", "16384", "1048576"})
  int size;

  private byte[] plaintext;
  private byte[] out;
  private byte[] jcaCiphertext;
  private byte[] sealed;
  private byte[] opened;
  private final byte[] head = new byte[ChunkedEncryption.HEADER_SIZE_BYTES];
  private final byte[] context = "bench".getBytes();

  private Cipher jca;
  private SecretKeySpec aesKey;
  private final byte[] nonce = new byte[12];
  private long counter;

  private SecretBytes inputKey;
  private ChunkEncryptor encryptor;
  private ChunkDecryptor decryptor;
  private EntropySource entropy;

  @Setup
  public void setup() throws Exception {
    SplittableRandom r = new SplittableRandom(1);
    plaintext = new byte[size];
    r.nextBytes(plaintext);
    byte[] k = new byte[32];
    r.nextBytes(k);
    aesKey = new SecretKeySpec(k, "AES");
    jca = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    out = new byte[(int) ChunkedEncryption.ciphertextSize(size)];
    opened = new byte[size];
    jca.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, new byte[12]));
    jcaCiphertext = jca.doFinal(plaintext);
    inputKey = SecretBytes.copyFrom(k, InsecureSecretAccess.get());
    entropy = EntropySource.system();
    encryptor = new ChunkEncryptor(ChunkedSuite.COBBLESTONE_256);
    decryptor = new ChunkDecryptor(ChunkedSuite.COBBLESTONE_256);
    sealed = ChunkedEncryption.encrypt(ChunkedSuite.COBBLESTONE_256, inputKey, context, plaintext,
        entropy);
  }

  /** Baseline: one AES-256-GCM seal of the whole message (fresh nonce each call). */
  @Benchmark
  public int rawJcaSeal() throws Exception {
    long c = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[11 - i] = (byte) (c >>> (8 * i));
    }
    jca.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nonce));
    return jca.doFinal(plaintext, 0, size, out, 0);
  }

  /** Baseline: one AES-256-GCM open of the whole message. */
  @Benchmark
  public int rawJcaOpen() throws Exception {
    jca.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(128, new byte[12]));
    return jca.doFinal(jcaCiphertext, 0, jcaCiphertext.length, opened, 0);
  }

  /** C2SP chunked seal of the whole message: header, full chunks, final chunk. */
  @Benchmark
  public int chunkedSeal() {
    encryptor.start(inputKey, context, entropy, out, 0);
    int outPos = ChunkedEncryption.HEADER_SIZE_BYTES;
    int pos = 0;
    while (size - pos >= ChunkedEncryption.CHUNK_SIZE_BYTES) {
      outPos += encryptor.sealChunk(plaintext, pos, ChunkedEncryption.CHUNK_SIZE_BYTES, out, outPos);
      pos += ChunkedEncryption.CHUNK_SIZE_BYTES;
    }
    return outPos + encryptor.sealFinalChunk(plaintext, pos, size - pos, out, outPos);
  }

  /** C2SP chunked open of the whole message: commitment check, then every chunk. */
  @Benchmark
  public int chunkedOpen() throws Exception {
    decryptor.start(inputKey, context, sealed, 0);
    int pos = ChunkedEncryption.HEADER_SIZE_BYTES;
    int outPos = 0;
    long index = 0;
    while (sealed.length - pos > ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES - 1) {
      outPos += decryptor.openChunk(index++, sealed, pos, ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES,
          opened, outPos);
      pos += ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES;
    }
    return outPos + decryptor.openChunk(index, sealed, pos, sealed.length - pos, opened, outPos);
  }
}
