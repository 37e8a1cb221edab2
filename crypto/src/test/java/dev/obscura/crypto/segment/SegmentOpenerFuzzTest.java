package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.scheme.internal.MemoryStore;
import dev.obscura.crypto.testing.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;

/**
 * Seals segments the fuzzer describes (plaintext, sizes of the writes, padding, sequence, epoch,
 * times, previous digest) with the product's {@link SegmentSealer} and {@link SegmentWriter},
 * then opens them whole and streamed: {@code open(seal(x)) == x}, with the header and chain
 * digest the sealer reported. Then one fuzzer-chosen mutation of the sealed bytes (bit flip,
 * truncation, extension, overwrite, removal, duplication) must fail with a typed exception: the
 * whole-segment open releases nothing, and the stream releases only a prefix of {@code x} (the
 * chunks that authenticated) and leaves the caller's buffer (pre-filled with a sentinel)
 * untouched by the read that throws. Regression inputs: {@code SegmentOpenerFuzzTestInputs/}.
 */
class SegmentOpenerFuzzTest {
  static final StreamId STREAM = StreamId.of("fuzz-cam");
  static final byte[] KEY = new byte[32];
  static final int MAX_SEALED = 1 << 20;
  static final byte SENTINEL = (byte) 0xA5;

  static {
    Arrays.fill(KEY, (byte) 9);
  }

  /** The same key for every epoch: a mutated header must still fail on its commitment. */
  static final EpochKeyResolver RESOLVER = (StreamId s, EpochId e) ->
      new EpochKey(s, e, SecretBytes.copyFrom(KEY, InsecureSecretAccess.get()));

  @FuzzTest(maxDuration = "90s")
  void sealOpenMutate(FuzzedDataProvider in) throws IOException, MalformedDataException,
      dev.obscura.core.ObscuraException {
    long seq = in.consumeLong(0, 1 << 20);
    EpochId epoch = EpochId.of(in.consumeLong(0, 1 << 20));
    Instant start = Instant.ofEpochSecond(in.consumeLong(0, 4_102_444_800L), in.consumeInt(0, 999_999) * 1000L);
    long duration = in.consumeLong(0, SegmentHeader.MAX_DURATION_MICROS);
    byte[] previous = seq == 0 ? new byte[32] : Arrays.copyOf(in.consumeBytes(32), 32);
    boolean pad = in.consumeBoolean();
    byte[] x = Mutations.plaintext(in, 3 * 16384 + 100);
    if (SegmentPadding.startsWithBox(x, x.length)) {
      x[4] ^= 1; // a plaintext that starts with Obscura's padding box is read as padded (by design)
    }
    MemoryStore store = new MemoryStore();
    SealedSegmentInfo info;
    try (SegmentSealer sealer = SegmentSealer.builder().resumeAt(store, seq, previous).stream(STREAM)
        .epochKey(RESOLVER.resolve(STREAM, epoch)).maxSegmentBytes(MAX_SEALED / 2)
        .entropy(EntropySource.insecureDeterministicForTests(in.consumeLong())).build();
        SegmentWriter w = sealer.open(start, duration)) {
      if (pad) {
        SegmentPadding.write(w, PaddingPolicies.buckets(1.25, 256), x, 0, x.length);
      } else {
        for (int off = 0; off < x.length; ) {
          int n = Math.min(x.length - off, in.consumeInt(1, 20_000));
          w.write(x, off, n);
          off += n;
        }
      }
      info = w.finish();
    }
    byte[] sealed = store.take();
    assertEquals(info.sealedSizeBytes(), sealed.length);
    assertArrayEquals(SegmentFormat.digest(sealed), info.digest());

    SegmentOpener opener = new SegmentOpener(MAX_SEALED);
    OpenedSegment opened = opener.open(sealed, RESOLVER);
    assertArrayEquals(x, opened.plaintext());
    assertEquals(info.header(), opened.header());
    assertArrayEquals(info.digest(), opened.digest());
    try (SegmentInputStream s = opener.openStream(new ByteArrayInputStream(sealed), RESOLVER)) {
      assertArrayEquals(x, readAll(s, in.consumeInt(1, 20_000)));
      assertArrayEquals(info.digest(), s.digest());
    }
    assertEquals(info.header(), SegmentFormat.parseHeader(sealed));

    byte[] bad = Mutations.mutate(in, sealed);
    if (Arrays.equals(bad, sealed)) {
      return;
    }
    try {
      opener.open(bad, RESOLVER);
      throw new AssertionError("a mutated segment opened");
    } catch (MalformedDataException | IntegrityException expected) {
      // typed, and open returned nothing
    }
    streamMustFail(opener, bad, x, in.consumeInt(1, 20_000));
  }

  /** Reads {@code s} to its end in reads of {@code size}. */
  static byte[] readAll(SegmentInputStream s, int size) throws IOException, IntegrityException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[size];
    for (int n; (n = s.readChecked(buf, 0, buf.length)) != -1; ) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * Streams {@code bad}: it must fail typed, before the end of stream, having released only a
   * prefix of {@code x}; the read that throws leaves the sentinel-filled buffer as it was, and a
   * later read fails again.
   */
  static void streamMustFail(SegmentOpener opener, byte[] bad, byte[] x, int size) throws IOException {
    SegmentInputStream s;
    try {
      s = opener.openStream(new ByteArrayInputStream(bad), RESOLVER);
    } catch (MalformedDataException | IntegrityException expected) {
      return; // refused before any plaintext
    } catch (dev.obscura.core.ObscuraException e) {
      throw new AssertionError("untyped failure", e);
    }
    try (s) {
      byte[] buf = new byte[size];
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
          throw new AssertionError("a mutated segment streamed to a clean end (" + released + " bytes)");
        }
        if (released + n > x.length
            || !Arrays.equals(buf, 0, n, x, released, released + n)) {
          throw new AssertionError("the stream released bytes that are not the sealed plaintext");
        }
        released += n;
      }
    }
  }
}
