package dev.obscura.crypto.chunked;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.core.CounterExhaustedException;
import dev.obscura.core.EntropySource;
import org.junit.jupiter.api.Test;

/**
 * The chunk counter of one message forced to its last value: the last chunk can still be sealed
 * (as the final one), anything past it is refused ({@link CounterExhaustedException}) rather than
 * sealed under a wrapped nonce.
 */
class ChunkCounterCeilingTest {
  private static ChunkEncryptor started() {
    ChunkEncryptor enc = new ChunkEncryptor(ChunkedSuite.COBBLESTONE_256);
    enc.start(new byte[32], new byte[] {1, 2, 3}, EntropySource.insecureDeterministicForTests(5),
        new byte[ChunkedEncryption.HEADER_SIZE_BYTES], 0);
    return enc;
  }

  @Test
  void noChunkPastTheLastIndex() {
    byte[] full = new byte[ChunkedEncryption.CHUNK_SIZE_BYTES];
    byte[] out = new byte[ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES];
    ChunkEncryptor enc = started();
    enc.skipToChunk(ChunkedEncryption.MAX_CHUNKS - 2);
    enc.sealChunk(full, 0, full.length, out, 0); // index 2^38 - 2: a full chunk still fits
    CounterExhaustedException e = assertThrows(CounterExhaustedException.class,
        () -> enc.sealChunk(full, 0, full.length, out, 0));
    assertEquals(CounterExhaustedException.Counter.CHUNK, e.counter());
    assertEquals(16 + 10, enc.sealFinalChunk(new byte[10], 0, 10, out, 0)); // the last index, as the final chunk

    ChunkEncryptor past = started();
    past.skipToChunk(ChunkedEncryption.MAX_CHUNKS);
    assertThrows(CounterExhaustedException.class, () -> past.sealFinalChunk(new byte[1], 0, 1, out, 0));
  }
}
