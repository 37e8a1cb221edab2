package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.StreamId;
import dev.obscura.core.TamperedSegmentException;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The streaming writer (frames into an open segment) and the reusable buffer-based reader. */
class SegmentWriterTest {
  private static final StreamId CAM = StreamId.of("porch");

  private final MemoryStore store = new MemoryStore();
  private final Fixtures.Keyring ring = new Fixtures.Keyring();

  private SegmentSealer sealer() throws Exception {
    return SegmentSealer.builder().store(store).stream(CAM).epochKey(ring.create(CAM, 0, 7))
        .entropy(Fixtures.entropy(1)).build();
  }

  @ParameterizedTest(name = "{0} bytes in frames")
  @ValueSource(ints = {0, 1, 1024, 16383, 16384, 16385, 32768, 100_000})
  void framesWrittenAsTheyArriveOpenAsTheWholeSegment(int size) throws Exception {
    byte[] data = Fixtures.bytes(size, size);
    SealedSegmentInfo info;
    try (SegmentSealer sealer = sealer();
         SegmentWriter w = sealer.open(Fixtures.T0, 4_000_000L)) {
      for (int pos = 0, step = 1; pos < size; pos += step, step = step * 3 % 20_011 + 1) {
        int n = Math.min(step, size - pos);
        w.write(data, pos, n);
      }
      assertEquals(size, w.bytesWritten());
      assertFalse(store.objects.containsKey(w.objectName()), "visible before finish");
      info = w.finish();
    }
    byte[] sealed = store.objects.get(info.objectName());
    // C2SP: a multiple of 16 KiB ends with an empty final chunk, and nothing else is added
    assertEquals(info.header().length() + ChunkedEncryption.ciphertextSize(size), sealed.length);
    assertEquals(sealed.length, info.sealedSizeBytes());
    assertArrayEquals(SegmentFormat.digest(sealed), info.digest());
    OpenedSegment whole = new SegmentOpener().open(sealed, ring);
    assertArrayEquals(data, whole.plaintext());
    assertArrayEquals(info.digest(), whole.digest());

    // the same bytes through the reusable reader, in pieces of every size class
    SegmentReader reader = new SegmentReader();
    for (int piece : new int[] {1, 1000, 16384, 70_000}) {
      reader.start(sealed, 0, sealed.length, ring);
      assertEquals(size, reader.plaintextSize());
      byte[] got = new byte[size];
      byte[] buf = new byte[piece];
      int at = 0;
      for (int n; (n = reader.read(buf, 0, piece)) != -1; at += n) {
        assertTrue(n > 0);
        System.arraycopy(buf, 0, got, at, n);
      }
      assertEquals(size, at);
      assertArrayEquals(data, got);
      assertArrayEquals(info.digest(), reader.digest());
      assertTrue(reader.isComplete());
    }
    // and streamed
    reader.start(new ByteArrayInputStream(sealed), ring);
    byte[] got = new byte[size + 1];
    int at = 0;
    for (int n; (n = reader.read(got, at, got.length - at)) != -1; ) {
      at += n;
    }
    assertEquals(size, at);
    assertArrayEquals(data, Arrays.copyOf(got, size));
    assertArrayEquals(info.digest(), reader.digest());
  }

  @Test
  void wholeSealIsTheWriterPathAndChainsTheSame() throws Exception {
    try (SegmentSealer sealer = sealer()) {
      SealedSegmentInfo a = sealer.seal(Fixtures.segment(0, 1, 20_000));
      SegmentWriter w = sealer.open(Fixtures.T0.plusSeconds(4), 4_000_000L);
      w.write(Fixtures.bytes(2, 5000), 0, 5000);
      SealedSegmentInfo b = w.finish();
      assertArrayEquals(a.digest(), b.header().previousDigest());
      assertEquals(1, b.header().sequence());
    }
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      assertEquals(20_000, r.next().plaintext().length);
      assertEquals(5000, r.next().plaintext().length);
    }
  }

  @Test
  void anAbortedSegmentLeavesNothingAndKeepsItsNumber() throws Exception {
    try (SegmentSealer sealer = sealer()) {
      SegmentWriter w = sealer.open(Fixtures.T0, 1);
      w.write(new byte[40_000], 0, 40_000); // two chunks already handed to the store writer
      assertThrows(IllegalStateException.class, () -> sealer.open(Fixtures.T0, 1), "one at a time");
      w.close();
      assertThrows(IllegalStateException.class, () -> w.write(new byte[1], 0, 1));
      assertTrue(store.objects.isEmpty());
      assertEquals(0, sealer.nextSequence());
      store.failAfterBytes = 20_000;
      SegmentWriter f = sealer.open(Fixtures.T0, 1);
      assertThrows(IOException.class, () -> f.write(new byte[40_000], 0, 40_000));
      assertThrows(IllegalStateException.class, f::finish);
      store.failAfterBytes = -1;
      assertEquals(0, sealer.nextSequence());
      assertEquals(0, sealer.seal(Fixtures.segment(0, 3, 10)).header().sequence());
    }
  }

  @Test
  void aWriterOverTheBoundIsAbortedAndSoIsOneOpenAtClose() throws Exception {
    SegmentSealer sealer = SegmentSealer.builder().store(store).stream(CAM)
        .epochKey(ring.create(CAM, 0, 7)).maxSegmentBytes(20_000).build();
    SegmentWriter w = sealer.open(Fixtures.T0, 1);
    w.write(new byte[19_000], 0, 19_000);
    assertThrows(IllegalArgumentException.class, () -> w.write(new byte[1001], 0, 1001));
    assertThrows(IllegalStateException.class, w::finish);
    SegmentWriter open = sealer.open(Fixtures.T0, 1);
    open.write(new byte[10], 0, 10);
    sealer.close();
    assertThrows(IllegalStateException.class, open::finish);
    assertTrue(store.objects.isEmpty());
  }

  @Test
  void aTamperedChunkReleasesNothingOfItselfAndKeepsFailing() throws Exception {
    byte[] data = Fixtures.bytes(9, 40_000);
    SealedSegmentInfo info;
    try (SegmentSealer sealer = sealer()) {
      info = sealer.seal(Fixtures.segment(0, 9, 40_000));
    }
    byte[] sealed = store.objects.get(info.objectName()).clone();
    int chunk1 = info.header().length() + ChunkedEncryption.HEADER_SIZE_BYTES
        + ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES;
    sealed[chunk1 + 5] ^= 1;
    SegmentReader reader = new SegmentReader();
    reader.start(sealed, 0, sealed.length, ring);
    byte[] buf = new byte[16384];
    assertEquals(16384, reader.read(buf, 0, buf.length));
    assertArrayEquals(Arrays.copyOf(data, 16384), buf);
    Arrays.fill(buf, (byte) 0x55);
    assertThrows(TamperedSegmentException.class, () -> reader.read(buf, 0, buf.length));
    byte[] sentinel = new byte[16384];
    Arrays.fill(sentinel, (byte) 0x55);
    assertArrayEquals(sentinel, buf, "the failed read leaves the caller's buffer untouched");
    assertThrows(TamperedSegmentException.class, () -> reader.read(buf, 0, 1));
    assertThrows(IllegalStateException.class, reader::digest);
    // all-or-nothing through readFully
    reader.start(sealed, 0, sealed.length, ring);
    byte[] all = new byte[40_000];
    assertThrows(TamperedSegmentException.class, () -> reader.readFully(all, 0));
    assertArrayEquals(new byte[40_000], all);
    // cut short in memory: refused at start, before any chunk
    byte[] cut = Arrays.copyOf(store.objects.get(info.objectName()),
        info.header().length() + ChunkedEncryption.HEADER_SIZE_BYTES
            + ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES);
    assertThrows(TruncatedSegmentException.class, () -> reader.start(cut, 0, cut.length, ring));
    // cut short in a stream: the full chunk is released, then the end is refused
    reader.start(new ByteArrayInputStream(cut), ring);
    assertEquals(16384, reader.read(buf, 0, buf.length));
    assertThrows(TruncatedSegmentException.class, () -> reader.read(buf, 0, buf.length));
    // the reader recovers on the next segment, and a wrong key is refused at start
    byte[] good = store.objects.get(info.objectName());
    reader.start(good, 0, good.length, ring);
    assertEquals(40_000, reader.readFully(new byte[40_000], 0));
    Fixtures.Keyring other = new Fixtures.Keyring();
    other.create(CAM, 0, 99);
    assertThrows(KeyMismatchException.class, () -> reader.start(good, 0, good.length, other));
  }
}
