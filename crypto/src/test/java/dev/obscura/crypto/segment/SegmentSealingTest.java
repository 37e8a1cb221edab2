package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import dev.obscura.core.TamperedSegmentException;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.testing.SentinelReads;
import dev.obscura.transport.testing.SecretScan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SegmentSealingTest {
  static final StreamId CAM = StreamId.of("front-door");
  static final int C = ChunkedEncryption.CHUNK_SIZE_BYTES;
  static final int E = ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES;

  final MemoryStore store = new MemoryStore();
  final Fixtures.Keyring ring = new Fixtures.Keyring();

  SegmentSealer sealer(SealingSuite suite, long epoch) throws Exception {
    return SegmentSealer.builder().store(store).stream(CAM).epochKey(ring.create(CAM, epoch, epoch))
        .suite(suite).entropy(Fixtures.entropy(99)).build();
  }

  static Stream<Arguments> sizes() {
    SplittableRandom r = new SplittableRandom(7);
    return Stream.of(0, 1, C - 1, C, C + 1, 3 * 1024 * 1024 + 3, r.nextInt(100_000),
            r.nextInt(100_000))
        .flatMap(n -> Stream.of(Arguments.of(SealingSuite.AES_256_GCM, n),
            Arguments.of(SealingSuite.AES_128_GCM, n)));
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void roundTrips(SealingSuite suite, int size) throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(suite, 0)) {
      info = s.seal(Fixtures.segment(0, size, size));
    }
    byte[] sealed = store.get(info.objectName());
    assertEquals(ObjectNames.segment(new SegmentId(CAM, 0)), info.objectName());
    assertEquals(sealed.length, info.sealedSizeBytes());
    assertEquals(size, info.plaintextSizeBytes());
    assertEquals(suite.id(), sealed[5]);
    SegmentOpener opener = new SegmentOpener();
    OpenedSegment o = opener.open(sealed, ring);
    assertArrayEquals(Fixtures.bytes(size, size), o.plaintext());
    assertEquals(info.header(), o.header());
    assertArrayEquals(info.digest(), o.digest());
    assertEquals(Fixtures.T0, o.header().startTime());
    assertArrayEquals(new byte[32], o.header().previousDigest());
    assertArrayEquals(o.plaintext(), opener.open(new ByteArrayInputStream(sealed), ring).plaintext());
    try (SegmentInputStream in = opener.openStream(new ByteArrayInputStream(sealed), ring)) {
      assertEquals(info.header(), in.header());
      assertArrayEquals(o.plaintext(), in.readAllBytes());
      assertArrayEquals(info.digest(), in.digest());
    }
  }

  @Test
  void headerFieldsAndChainAreInternalState() throws Exception {
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 3)) {
      SealedSegmentInfo a = s.seal(Fixtures.segment(0, 1, 100));
      SealedSegmentInfo b = s.seal(Fixtures.segment(1, 2, 100));
      assertEquals(0, a.header().sequence());
      assertEquals(1, b.header().sequence());
      assertEquals(EpochId.of(3), b.header().epoch());
      assertArrayEquals(a.digest(), b.header().previousDigest());
      assertEquals(Fixtures.T0.plusSeconds(4), b.header().startTime());
      assertEquals(2, s.nextSequence());
      // digest = SHA-256("obscura/v2 chain" || every sealed byte), computed independently
      byte[] sealed = store.get(a.objectName());
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("obscura/v2 chain".getBytes(StandardCharsets.US_ASCII));
      sha.update(sealed);
      assertArrayEquals(sha.digest(), a.digest());
      assertEquals(4_000_000L, a.header().durationMicros());
    }
  }

  @ParameterizedTest
  @EnumSource(SealingSuite.class)
  void segmentKeyIsHkdfSha256OfTheEpochKey(SealingSuite suite) {
    EpochKey ek = ring.create(CAM, 0, 1);
    byte[] ikm = ek.secret().toByteArray(InsecureSecretAccess.get());
    byte[] sid = CAM.toBytes();
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.writeBytes("obscura/v1 segment".getBytes(StandardCharsets.US_ASCII));
    info.write(sid.length);
    info.writeBytes(sid);
    info.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 1, 2});
    HKDFBytesGenerator bc = new HKDFBytesGenerator(new SHA256Digest());
    bc.init(new HKDFParameters(ikm, new byte[0], info.toByteArray()));
    byte[] expected = new byte[suite.segmentKeySizeBytes()];
    bc.generateBytes(expected, 0, expected.length);
    SecretBytes k = SegmentKeys.derive(ek, new SegmentId(CAM, 258), suite);
    assertArrayEquals(expected, k.toByteArray(InsecureSecretAccess.get()));
    SecretBytes other = SegmentKeys.derive(ek, new SegmentId(CAM, 259), suite);
    assertFalse(k.equalsSecretBytes(other));
    assertThrows(IllegalArgumentException.class,
        () -> SegmentKeys.derive(ek, new SegmentId(StreamId.of("other"), 258), suite));
  }

  /** Flipping any single bit of a small sealed segment is refused with a typed exception. */
  @ParameterizedTest
  @EnumSource(SealingSuite.class)
  void everyBitFlipIsRejected(SealingSuite suite) throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(suite, 0)) {
      info = s.seal(Fixtures.segment(0, 5, 40));
    }
    byte[] sealed = store.get(info.objectName());
    int bits = sealed.length * 8;
    for (int bit = 0; bit < bits; bit++) {
      byte[] bad = sealed.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertTypedRejection(bad, "bit " + bit);
    }
  }

  @Test
  void seededBitFlipsOfALargerSegmentAreRejected() throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 0)) {
      info = s.seal(Fixtures.segment(0, 6, 5 * C + 77));
    }
    byte[] sealed = store.get(info.objectName());
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 200; i++) {
      int bit = r.nextInt(sealed.length * 8);
      byte[] bad = sealed.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertTypedRejection(bad, "bit " + bit);
    }
  }

  void assertTypedRejection(byte[] bad, String what) throws IOException {
    try {
      new SegmentOpener().open(bad, ring);
      fail("accepted a modified segment: " + what);
    } catch (IntegrityException | MalformedDataException | KeyUnavailableException expected) {
      // typed
    } catch (ObscuraException e) {
      fail("untyped failure for " + what + ": " + e);
    }
  }

  @Test
  void aStreamedTamperedChunkLeavesTheCallersBufferUntouched() throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 0)) {
      info = s.seal(Fixtures.segment(0, 8, 3 * C + 100));
    }
    byte[] sealed = store.get(info.objectName());
    for (int k = 0; k <= 3; k++) {
      byte[] bad = sealed.clone();
      bad[info.header().length() + 56 + k * E + 3] ^= 0x10; // inside chunk k
      for (int len : new int[] {C, C + 1, 3 * C, 999}) {
        try (SegmentInputStream in = new SegmentOpener().openStream(new ByteArrayInputStream(bad), ring)) {
          SentinelReads.Result r = SentinelReads.drainToFailure(in::readChecked, len,
              TamperedSegmentException.class, "chunk " + k + ", reads of " + len);
          assertArrayEquals(Arrays.copyOf(Fixtures.bytes(8, 3 * C + 100), k * C), r.released());
          assertTrue(r.sticky());
        }
        // and through read(): the wrapped failure, the buffer untouched just the same
        try (SegmentInputStream in = new SegmentOpener().openStream(new ByteArrayInputStream(bad), ring)) {
          SentinelReads.Result r = SentinelReads.drainToFailure(in::read, len,
              dev.obscura.crypto.chunked.IntegrityIOException.class, "chunk " + k + ", read() of " + len);
          assertEquals(k * C, r.released().length);
        }
      }
    }
  }

  @Test
  void truncationAtEveryChunkBoundaryAndInsideChunksIsDetected() throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 0)) {
      info = s.seal(Fixtures.segment(0, 7, 3 * C));
    }
    byte[] sealed = store.get(info.objectName());
    int hl = info.header().length();
    for (int k = 0; k <= 3; k++) {
      byte[] cut = Arrays.copyOf(sealed, hl + 56 + k * E);
      assertThrows(TruncatedSegmentException.class, () -> new SegmentOpener().open(cut, ring),
          "boundary " + k);
      // reads of a chunk, of more than a chunk and of less: the failing read (and every read
      // after it) leaves the caller's sentinel-filled buffer untouched
      for (int len : new int[] {C, 2 * C + 5, 4000}) {
        try (SegmentInputStream in = new SegmentOpener().openStream(new ByteArrayInputStream(cut), ring)) {
          SentinelReads.Result r = SentinelReads.drainToFailure(in::readChecked, len,
              TruncatedSegmentException.class, "boundary " + k + ", reads of " + len);
          assertArrayEquals(Arrays.copyOf(Fixtures.bytes(7, 3 * C), k * C), r.released());
          assertTrue(r.sticky(), "boundary " + k);
        }
      }
    }
    SplittableRandom r = new SplittableRandom(12);
    for (int i = 0; i < 60; i++) {
      int len = r.nextInt(sealed.length);
      byte[] cut = Arrays.copyOf(sealed, len);
      try {
        new SegmentOpener().open(cut, ring);
        fail("accepted a segment cut to " + len);
      } catch (MalformedDataException | IntegrityException expected) {
        if (len >= hl + 56 && (len - hl - 56) % E == 0) {
          assertEquals(TruncatedSegmentException.class, expected.getClass());
        }
      } catch (ObscuraException e) {
        fail("untyped: " + e);
      }
    }
  }

  @Test
  void wrongEpochKeyIsAKeyMismatch() throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 0)) {
      info = s.seal(Fixtures.segment(0, 8, 1000));
    }
    byte[] sealed = store.get(info.objectName());
    Fixtures.Keyring other = new Fixtures.Keyring();
    other.create(CAM, 0, 12345);
    assertThrows(KeyMismatchException.class, () -> new SegmentOpener().open(sealed, other));
    // a resolver that answers with another epoch's key
    EpochKey e1 = ring.create(CAM, 1, 1);
    assertThrows(KeyMismatchException.class,
        () -> new SegmentOpener().open(sealed, (st, ep) -> e1));
    assertThrows(KeyMismatchException.class,
        () -> new SegmentOpener().openStream(new ByteArrayInputStream(sealed), other));
  }

  @Test
  void reorderedAndDuplicatedChunksInsideASegmentAreRejected() throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 0)) {
      info = s.seal(Fixtures.segment(0, 9, 2 * C + 5));
    }
    byte[] sealed = store.get(info.objectName());
    int base = info.header().length() + 56;
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, base, swapped, base + E, E);
    System.arraycopy(sealed, base + E, swapped, base, E);
    assertThrows(TamperedSegmentException.class, () -> new SegmentOpener().open(swapped, ring));
    byte[] dup = sealed.clone();
    System.arraycopy(sealed, base, dup, base + E, E);
    assertThrows(TamperedSegmentException.class, () -> new SegmentOpener().open(dup, ring));
    byte[] trailing = Arrays.copyOf(sealed, sealed.length + 1);
    assertThrows(IntegrityException.class, () -> new SegmentOpener().open(trailing, ring));
  }

  @Test
  void malformedHeadersAndAbsurdSizesAreTypedAndBounded() throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 0)) {
      info = s.seal(Fixtures.segment(0, 10, 100));
    }
    byte[] sealed = store.get(info.objectName());
    SegmentOpener opener = new SegmentOpener();
    for (int[] patch : new int[][] {{0, 'X'}, {4, 1}, {4, 3}, {5, 0}, {5, 9}, {6, 0}, {6, 65}, {6, 255},
        {7, '/'}}) {
      byte[] bad = sealed.clone();
      bad[patch[0]] = (byte) patch[1];
      assertThrows(MalformedDataException.class, () -> opener.open(bad, ring),
          "patch " + Arrays.toString(patch));
    }
    assertThrows(MalformedDataException.class, () -> opener.open(new byte[0], ring));
    assertThrows(MalformedDataException.class, () -> opener.open(Arrays.copyOf(sealed, 20), ring));
    // negative sequence (high bit) in the header
    byte[] neg = sealed.clone();
    neg[7 + CAM.toBytes().length] = (byte) 0x80;
    assertThrows(MalformedDataException.class, () -> opener.open(neg, ring));
    // start time at the bottom of the microsecond range: core's parser overflows re-encoding it
    // (ArithmeticException); the crypto layer reports it as malformed
    byte[] early = sealed.clone();
    int t = 7 + CAM.toBytes().length + 16;
    early[t] = (byte) 0x80;
    for (int i = 1; i < 8; i++) {
      early[t + i] = 0;
    }
    assertThrows(MalformedDataException.class, () -> opener.open(early, ring));
    assertThrows(MalformedDataException.class,
        () -> opener.openStream(new ByteArrayInputStream(early), ring));
    assertThrows(MalformedDataException.class,
        () -> SegmentFormat.readHead(new ByteArrayInputStream(early)));
    // over the bound: refused before reading it all or allocating for it
    SegmentOpener small = new SegmentOpener(1 << 20);
    byte[] big = Arrays.copyOf(sealed, (1 << 20) + 1);
    assertThrows(MalformedDataException.class, () -> small.open(big, ring));
    InputStream endless = new InputStream() {
      long served;

      @Override
      public int read() {
        served++;
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (served > (64L << 20)) {
          throw new AssertionError("opener kept reading past its bound");
        }
        served += len;
        return len;
      }
    };
    assertThrows(MalformedDataException.class, () -> small.open(endless, ring));
    // a store listing that declares a huge object: refused without reading it
    SealedSegmentInfo info2;
    MemoryStore s2 = new MemoryStore();
    try (SegmentSealer s = SegmentSealer.builder().store(s2).stream(CAM)
        .epochKey(ring.create(CAM, 0, 0)).build()) {
      info2 = s.seal(Fixtures.segment(0, 1, 10));
    }
    s2.fakeSizes.put(info2.objectName(), Long.MAX_VALUE);
    try (StreamReader reader = StreamReader.builder().store(s2).stream(CAM).resolver(ring)
        .maxSegmentBytes(1 << 20).build()) {
      int opensBefore = s2.opens;
      assertThrows(MalformedDataException.class, reader::next);
      assertEquals(opensBefore, s2.opens);
    }
  }

  @Test
  void aFailingStoreLeavesNothingVisibleAndTheSequenceUnused() throws Exception {
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 0)) {
      s.seal(Fixtures.segment(0, 1, 100));
      store.failAfterBytes = 20_000;
      assertThrows(IOException.class, () -> s.seal(Fixtures.segment(1, 2, 3 * C)));
      assertEquals(1, store.objects.size());
      assertEquals(1, store.abortedWriters);
      assertEquals(1, s.nextSequence());
      store.failAfterBytes = -1;
      assertEquals(1, s.seal(Fixtures.segment(1, 2, 3 * C)).header().sequence());
    }
    try (StreamReader r = StreamReader.open(store, CAM, ring)) {
      assertEquals(0, r.next().header().sequence());
      assertEquals(1, r.next().header().sequence());
      assertEquals(null, r.next());
    }
  }

  /** The key of the segment {@code h} names, derived from a copy of its epoch key's bytes. */
  static byte[] segmentKey(byte[] epochKey, SegmentHeader h) throws Exception {
    EpochKey k = new EpochKey(CAM, h.epoch(), SecretBytes.copyFrom(epochKey, InsecureSecretAccess.get()));
    return SegmentKeys.derive(k, new SegmentId(CAM, h.sequence()), SealingSuite.fromId(h.suite()))
        .toByteArray(InsecureSecretAccess.get());
  }

  @Test
  void sealerValidatesAndDestroysKeys() throws Exception {
    EpochKey k0 = ring.create(CAM, 0, 0);
    SegmentSealer s = SegmentSealer.builder().store(store).stream(CAM).epochKey(k0)
        .maxSegmentBytes(1000).build();
    StringBuilder shown = new StringBuilder(s.toString()); // its toString in every state, scanned below
    assertThrows(IllegalArgumentException.class, () -> s.seal(Fixtures.segment(0, 1, 1001)));
    SegmentHeader h0 = s.seal(Fixtures.segment(0, 1, 1000)).header();
    shown.append(s);
    EpochKey k1 = ring.create(CAM, 1, 1);
    assertThrows(IllegalArgumentException.class, () -> s.rotate(ring.create(CAM, 0, 5)));
    assertThrows(IllegalArgumentException.class,
        () -> s.rotate(ring.create(StreamId.of("x"), 5, 5)));
    s.rotate(k1);
    shown.append(s);
    assertTrue(k0.secret().isDestroyed());
    SegmentHeader h1 = s.seal(Fixtures.segment(1, 1, 10)).header();
    assertEquals(EpochId.of(1), h1.epoch());
    shown.append(s);
    s.close();
    assertTrue(k1.secret().isDestroyed());
    assertThrows(IllegalStateException.class, () -> s.seal(Fixtures.segment(2, 1, 10)));
    shown.append(s);
    // no window of either epoch key, nor of the two segment keys derived from them
    byte[] e0 = ring.keys.get(CAM + "/0");
    byte[] e1 = ring.keys.get(CAM + "/1");
    SecretScan.assertNoLeak(shown.toString(), e0, e1, segmentKey(e0, h0), segmentKey(e1, h1));
    // a stream that has segments is not silently overwritten
    assertThrows(IllegalStateException.class, () -> SegmentSealer.builder().store(store)
        .stream(CAM).epochKey(ring.create(CAM, 2, 2)).build());
    // nor resumed with an older epoch
    assertThrows(IllegalArgumentException.class, () -> SegmentSealer.builder().resumeFrom(store)
        .stream(CAM).epochKey(ring.create(CAM, 0, 0)).build());
    assertThrows(IllegalArgumentException.class, () -> SegmentSealer.builder().store(store)
        .stream(StreamId.of("other")).epochKey(ring.create(CAM, 2, 2)).build());
  }

  @Test
  void exceptionMessagesCarryNoKeyOrPlaintext() throws Exception {
    SealedSegmentInfo info;
    byte[] plain = "SECRET-PLAINTEXT-MARKER".getBytes(StandardCharsets.US_ASCII);
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 0)) {
      info = s.seal(new dev.obscura.core.MediaSegment(0, Fixtures.T0, 0, 1, 1, plain));
    }
    byte[] sealed = store.get(info.objectName());
    String keyHex = HexFormat.of().formatHex(ring.keys.get(CAM + "/0"));
    for (int i = 0; i < sealed.length; i++) {
      byte[] bad = sealed.clone();
      bad[i] ^= 0x10;
      // every flip is refused with a typed error (a missing one fails), whose message holds
      // neither the plaintext nor the key
      ObscuraException e = assertThrows(ObscuraException.class,
          () -> new SegmentOpener().open(bad, ring), "byte " + i);
      String m = String.valueOf(e.getMessage());
      assertFalse(m.contains("SECRET"), m);
      assertFalse(m.toLowerCase().contains(keyHex), m);
    }
  }

  @Test
  void headParsingReadsOnlyThePublicPart() throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(SealingSuite.AES_128_GCM, 0)) {
      info = s.seal(Fixtures.segment(0, 1, 50_000));
    }
    byte[] sealed = store.get(info.objectName());
    ByteArrayInputStream in = new ByteArrayInputStream(sealed);
    SealedSegmentHead head = SegmentFormat.readHead(in);
    assertEquals(sealed.length - info.header().length() - 56, in.available());
    assertEquals(info.header(), head.header());
    // the head alone does not give the chain digest: it covers every ciphertext byte
    assertFalse(head.hasDigest());
    assertThrows(IllegalStateException.class, head::digest);
    assertArrayEquals(info.digest(), SegmentFormat.headOfWhole(sealed).digest());
    assertArrayEquals(info.digest(),
        SegmentFormat.readWhole(new ByteArrayInputStream(sealed), sealed.length).digest());
    assertThrows(MalformedDataException.class,
        () -> SegmentFormat.readWhole(new ByteArrayInputStream(sealed), sealed.length - 1));
    assertThrows(TruncatedSegmentException.class, () -> SegmentFormat.readHead(
        new ByteArrayInputStream(Arrays.copyOf(sealed, info.header().length() + 10))));
    assertEquals(135, SegmentHeader.MAX_LENGTH);
  }

  @Test
  void theSealerRefusesToContinuePastTheSequenceCeiling() throws Exception {
    // MAX + 1 is where a stream that used its last number stands (open refuses); past it, no state
    assertThrows(IllegalArgumentException.class, () -> SegmentSealer.builder()
        .resumeAt(store, SegmentId.MAX_SEQUENCE + 2, new byte[32]));
    try (SegmentSealer s = SegmentSealer.builder().resumeAt(store, SegmentId.MAX_SEQUENCE,
        new byte[32]).stream(CAM).epochKey(ring.create(CAM, 0, 1)).build()) {
      SealedSegmentInfo last = s.seal(Fixtures.segment(0, 1, 10));
      assertEquals(SegmentId.MAX_SEQUENCE, last.header().sequence());
      assertThrows(dev.obscura.core.CounterExhaustedException.class, () -> s.seal(Fixtures.segment(1, 2, 10)));
      assertEquals(SegmentId.MAX_SEQUENCE + 1, s.nextSequence());
    }
    // resuming from a store whose last segment holds the last sequence number: refused
    assertThrows(dev.obscura.core.CounterExhaustedException.class, () -> SegmentSealer.builder().resumeFrom(store)
        .stream(CAM).epochKey(ring.create(CAM, 0, 1)).build());
  }

  @Test
  void aPlantedHeaderWithSequenceAtTheTopIsMalformedNotABase() throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 0)) {
      info = s.seal(Fixtures.segment(0, 1, 100));
    }
    byte[] planted = store.get(info.objectName()).clone();
    int at = 7 + CAM.value().length();
    for (int i = 0; i < 8; i++) {
      planted[at + i] = (byte) (Long.MAX_VALUE >>> (56 - 8 * i));
    }
    store.set(ObjectNames.segment(new SegmentId(CAM, 1)), planted);
    assertThrows(MalformedDataException.class, () -> SegmentFormat.readHead(
        new ByteArrayInputStream(planted)));
    assertThrows(MalformedDataException.class, () -> new SegmentOpener().open(planted, ring));
    assertThrows(MalformedDataException.class, () -> SegmentSealer.builder().resumeFrom(store)
        .stream(CAM).epochKey(ring.create(CAM, 0, 0)).build());
    // and a name beyond the range is no segment name at all
    assertTrue(ObjectNames.parseSegment(CAM + "/segments/9223372036854775807.seg").isEmpty());
  }

  @Test
  void aStreamingReaderGivesTheDigestOnlyAfterTheEnd() throws Exception {
    SealedSegmentInfo info;
    try (SegmentSealer s = sealer(SealingSuite.AES_256_GCM, 0)) {
      info = s.seal(Fixtures.segment(0, 1, 40_000));
    }
    try (SegmentInputStream in = new SegmentOpener().openStream(
        new ByteArrayInputStream(store.get(info.objectName())), ring)) {
      assertThrows(IllegalStateException.class, in::digest);
      in.readAllBytes();
      assertArrayEquals(info.digest(), in.digest());
    }
  }
}
