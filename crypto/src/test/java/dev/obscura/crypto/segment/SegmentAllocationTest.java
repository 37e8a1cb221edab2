package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The allocation claim of the hot path, without timing: 1,000 frames of 1 KiB written into open
 * segments and read back allocate, per frame, about what the raw JCA calls for the same chunks
 * allocate (the JDK's own GCM allocates per init), plus the per-segment setup spread over the
 * frames. Skipped where the JVM cannot count a thread's allocation.
 */
class SegmentAllocationTest {
  private static final StreamId CAM = StreamId.of("alloc");
  private static final int FRAME = 1024;
  private static final int FRAMES_PER_SEGMENT = 500;
  private static final int SEGMENTS = 2;
  private static final int FRAMES = FRAMES_PER_SEGMENT * SEGMENTS;
  /**
   * What Obscura may add per frame over the raw JCA calls (per-segment setup, amortized over 500
   * frames; nothing per chunk): measured three times each, 16-17 B on JDK 17, 11-12 B on JDK 25.
   */
  private static final long MAX_EXTRA_BYTES_PER_FRAME = 32;
  /**
   * What a whole 1 KiB segment sealed and opened may allocate over the raw JCA calls: measured
   * three times each, 6.9-7.0 KB on JDK 17, 4.4-4.5 KB on JDK 25 (before the buffers were reused:
   * see the test's comment).
   */
  private static final long MAX_EXTRA_BYTES_PER_SEGMENT = 8_000;

  /**
   * One object slot in a preallocated array: a store that allocates nothing per write. An
   * instrument, not a store for tests: InMemorySegmentStore (the tests' store) allocates each
   * object it keeps, which would be measured here as the sealer's allocation.
   */
  static final class SlotStore implements SegmentStore {
    final byte[] slot = new byte[2 << 20];
    int length;

    /** One writer, reused: the store itself allocates nothing per segment. */
    final ObjectWriter writer = new ObjectWriter() {
      @Override
      public void write(int b) {
        slot[length++] = (byte) b;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        System.arraycopy(b, off, slot, length, len);
        length += len;
      }

      @Override
      public void commit() {}

      @Override
      public void close() {}
    };

    @Override
    public ObjectWriter create(String name) {
      length = 0;
      return writer;
    }

    @Override
    public InputStream open(String name) {
      return new ByteArrayInputStream(slot, 0, length);
    }

    @Override
    public List<StoredObject> list(String prefix) {
      return new ArrayList<>();
    }
  }

  private static com.sun.management.ThreadMXBean bean() {
    java.lang.management.ThreadMXBean std = ManagementFactory.getThreadMXBean();
    assumeTrue(std instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) std;
    assumeTrue(bean.isThreadAllocatedMemorySupported());
    bean.setThreadAllocatedMemoryEnabled(true);
    return bean;
  }

  @FunctionalInterface
  interface Block {
    void run() throws Exception;
  }

  /**
   * Runs {@code obscura} then {@code raw}, {@code rounds} times, and returns the least bytes each
   * allocated on this thread in the rounds after the first {@code warm} (the JIT's warm-up).
   */
  private static long[] leastAllocated(int rounds, int warm, Block obscura, Block raw)
      throws Exception {
    com.sun.management.ThreadMXBean bean = bean();
    long tid = Thread.currentThread().getId();
    long[] least = {Long.MAX_VALUE, Long.MAX_VALUE};
    for (int round = 0; round < rounds; round++) {
      long t0 = bean.getThreadAllocatedBytes(tid);
      obscura.run();
      long t1 = bean.getThreadAllocatedBytes(tid);
      raw.run();
      long t2 = bean.getThreadAllocatedBytes(tid);
      if (round >= warm) {
        least[0] = Math.min(least[0], t1 - t0);
        least[1] = Math.min(least[1], t2 - t1);
      }
    }
    return least;
  }

  @Test
  void framesIntoOpenSegmentsAndBackAllocateAboutWhatTheRawCipherDoes() throws Exception {
    SlotStore store = new SlotStore();
    Fixtures.Keyring ring = new Fixtures.Keyring();
    byte[] frame = Fixtures.bytes(1, FRAME);
    byte[] back = new byte[FRAME];
    SegmentReader reader = new SegmentReader();
    Raw raw = new Raw();
    long chunks = ChunkedEncryption.chunkCount((long) FRAME * FRAMES_PER_SEGMENT) * SEGMENTS;
    try (SegmentSealer sealer = SegmentSealer.builder().store(store).stream(CAM)
        .epochKey(ring.create(CAM, 0, 3)).build()) {
      long[] least = leastAllocated(30, 10, () -> {
        for (int s = 0; s < SEGMENTS; s++) {
          try (SegmentWriter w = sealer.open(Fixtures.T0, 1_000_000)) {
            for (int f = 0; f < FRAMES_PER_SEGMENT; f++) {
              w.write(frame, 0, FRAME);
            }
            w.finish();
          }
          reader.start(store.slot, 0, store.length, ring);
          for (int f = 0; f < FRAMES_PER_SEGMENT; f++) {
            reader.read(back, 0, FRAME);
          }
          if (reader.read(back, 0, FRAME) != -1) {
            throw new AssertionError("segment longer than written");
          }
        }
      }, () -> raw.run(chunks));
      long obscura = least[0];
      long baseline = least[1];
      assertArrayEquals(frame, back);
      long extraPerFrame = (obscura - baseline) / FRAMES;
      System.out.printf("segment write+read of %d 1 KiB frames: %d B (%d B/frame), raw JCA for the"
          + " same %d chunks sealed and opened: %d B; extra per frame %d B%n", FRAMES, obscura,
          obscura / FRAMES, chunks, baseline, extraPerFrame);
      assertTrue(extraPerFrame <= MAX_EXTRA_BYTES_PER_FRAME, "Obscura allocates " + extraPerFrame
          + " B per frame over the raw JCA calls");
    }
  }

  /**
   * One whole 1 KiB segment sealed ({@link SegmentSealer#seal}) and opened ({@link
   * SegmentReader#start} and {@link SegmentReader#readFully} into a reused array) per op: what it
   * allocates over the raw JCA seal and open of the same 1 KiB (one chunk). The rest is what a
   * segment needs and the raw calls do not: a fresh key (the AES key schedule, about 1 KB per
   * side on JDK 17 and 0.5 KB on 25: every segment has its own key), four HMAC inits and
   * digests, the JCA's key-spec copies, the salt from the system {@code SecureRandom}, and in
   * core the header's encoding and parsing (about 1.5 KB: {@code SegmentHeader}, not in crypto).
   * Before the segment path reused its buffers the extra was 7.9 KB (JDK 25) and 11.7 KB (JDK 17).
   */
  @Test
  void aWholeSegmentSealedAndOpenedAllocatesOnlyWhatAFreshKeyAndTheHeaderNeed() throws Exception {
    SlotStore store = new SlotStore();
    Fixtures.Keyring ring = new Fixtures.Keyring();
    byte[] data = Fixtures.bytes(2, FRAME);
    byte[] back = new byte[FRAME];
    dev.obscura.core.MediaSegment segment =
        new dev.obscura.core.MediaSegment(0, Fixtures.T0, 0, 1_000_000, 30, data);
    dev.obscura.crypto.keys.EpochKey key = ring.create(CAM, 0, 3);
    dev.obscura.crypto.keys.EpochKey readKey = ring.create(CAM, 0, 3);
    SegmentReader reader = new SegmentReader();
    Raw raw = new Raw();
    int ops = 2_000;
    try (SegmentSealer sealer = SegmentSealer.builder().store(store).stream(CAM).epochKey(key)
        .build()) {
      long[] least = leastAllocated(15, 5, () -> {
        for (int i = 0; i < ops; i++) {
          sealer.seal(segment);
          reader.start(store.slot, 0, store.length, readKey);
          reader.readFully(back, 0);
        }
      }, () -> raw.runSmall(ops, FRAME));
      long obscura = least[0];
      long baseline = least[1];
      assertArrayEquals(data, back);
      long perSegment = obscura / ops;
      long extra = (obscura - baseline) / ops;
      System.out.printf("whole 1 KiB segment sealed and opened: %d B per segment, raw JCA seal and"
          + " open of 1 KiB: %d B; extra per segment %d B%n", perSegment, baseline / ops, extra);
      assertTrue(extra <= MAX_EXTRA_BYTES_PER_SEGMENT, "a 1 KiB segment sealed and opened allocates "
          + extra + " B over the raw JCA calls");
    }
  }

  /** The raw JCA calls the chunks need: a reused Cipher, init + doFinal, preallocated arrays. */
  static final class Raw {
    final Cipher cipher;
    final SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
    final byte[] pt = new byte[ChunkedEncryption.CHUNK_SIZE_BYTES];
    final byte[] ct = new byte[ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES];
    final byte[] nonce = new byte[12];
    long counter;

    Raw() throws Exception {
      cipher = Cipher.getInstance("AES/GCM/NoPadding");
    }

    /** {@code n} seals and opens of {@code bytes} (one short chunk each). */
    void runSmall(int n, int bytes) throws Exception {
      for (int i = 0; i < n; i++) {
        nonce[0] = (byte) counter;
        nonce[1] = (byte) (counter >>> 8);
        nonce[2] = (byte) (counter++ >>> 16);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.doFinal(pt, 0, bytes, ct, 0);
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.doFinal(ct, 0, bytes + 16, pt, 0);
      }
    }

    void run(long chunks) throws Exception {
      for (long i = 0; i < chunks; i++) {
        nonce[0] = (byte) counter;
        nonce[1] = (byte) (counter >>> 8);
        nonce[2] = (byte) (counter++ >>> 16);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.doFinal(pt, 0, pt.length, ct, 0);
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.doFinal(ct, 0, ct.length, pt, 0);
      }
    }
  }
}
