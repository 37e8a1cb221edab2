package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded property tests: random segment layouts (sizes around chunk boundaries, suites, epoch
 * rotations) round-trip through sealer, store and reader; one random mutation of the stored
 * stream (bit flip, truncation, chunk swap or duplication, dropped, duplicated or swapped segment,
 * trailing bytes) is always caught with a typed exception at or before the mutated segment, and
 * nothing after it is returned. A failing seed reproduces exactly.
 */
class SegmentPropertyTest {
  static final int C = ChunkedEncryption.CHUNK_SIZE_BYTES;
  static final int E = ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES;

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  static int randomSize(SplittableRandom r) {
    switch (r.nextInt(5)) {
      case 0:
        return r.nextInt(3);
      case 1:
        return (1 + r.nextInt(4)) * C + r.nextInt(3) - 1;
      case 2:
        return r.nextInt(200);
      default:
        return r.nextInt(90_000);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void layoutsRoundTripAndMutationsAreCaught(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    StreamId stream = StreamId.of("cam-" + r.nextInt(1000));
    MemoryStore store = new MemoryStore();
    Fixtures.Keyring ring = new Fixtures.Keyring();
    SealingSuite suite = r.nextBoolean() ? SealingSuite.AES_256_GCM : SealingSuite.AES_128_GCM;
    int n = 1 + r.nextInt(6);
    List<byte[]> plain = new ArrayList<>();
    long epoch = 0;
    try (SegmentSealer sealer = SegmentSealer.builder().store(store).stream(stream)
        .epochKey(ring.create(stream, epoch, seed)).suite(suite)
        .entropy(Fixtures.entropy(seed)).build()) {
      for (int i = 0; i < n; i++) {
        if (i > 0 && r.nextInt(3) == 0) {
          epoch += 1 + r.nextInt(3);
          sealer.rotate(ring.create(stream, epoch, seed * 1000 + epoch));
        }
        byte[] data = Fixtures.bytes(seed * 100 + i, randomSize(r));
        plain.add(data);
        sealer.seal(new dev.obscura.core.MediaSegment(i, Fixtures.T0.plusSeconds(4L * i), 0, 1, 1,
            data));
      }
    }
    try (StreamReader reader = StreamReader.open(store, stream, ring)) {
      for (int i = 0; i < n; i++) {
        OpenedSegment o = reader.next();
        assertEquals(i, o.header().sequence());
        assertArrayEquals(plain.get(i), o.plaintext());
      }
      assertEquals(null, reader.next());
    }

    // one mutation
    int target = r.nextInt(n);
    String name = ObjectNames.segment(new SegmentId(stream, target));
    byte[] obj = store.get(name);
    int hl = obj.length - (int) ChunkedEncryption.ciphertextSize(plain.get(target).length);
    int kind = r.nextInt(8);
    String what;
    switch (kind) {
      case 0: {
        int bit = r.nextInt(obj.length * 8);
        obj = obj.clone();
        obj[bit / 8] ^= (byte) (1 << (bit % 8));
        what = "flip bit " + bit;
        break;
      }
      case 1: {
        int len = r.nextInt(obj.length);
        obj = Arrays.copyOf(obj, len);
        what = "truncate to " + len;
        break;
      }
      case 2: {
        int chunks = plain.get(target).length / C;
        if (chunks < 2) {
          obj = Arrays.copyOf(obj, obj.length + 1 + r.nextInt(40));
          what = "append trailing bytes";
        } else {
          int a = r.nextInt(chunks);
          int b = (a + 1 + r.nextInt(chunks - 1)) % chunks;
          byte[] m = obj.clone();
          System.arraycopy(obj, hl + 56 + a * E, m, hl + 56 + b * E, E);
          if (r.nextBoolean()) {
            System.arraycopy(obj, hl + 56 + b * E, m, hl + 56 + a * E, E);
            what = "swap chunks " + a + "," + b;
          } else {
            what = "duplicate chunk " + a + " over " + b;
          }
          obj = m;
        }
        break;
      }
      case 3: {
        if (n < 3) {
          obj = Arrays.copyOf(obj, obj.length + 16);
          what = "append 16 bytes";
          break;
        }
        target = 1 + r.nextInt(n - 2);
        store.objects.remove(ObjectNames.segment(new SegmentId(stream, target)));
        obj = null;
        what = "drop segment " + target;
        break;
      }
      case 4: {
        if (n < 2) {
          obj = Arrays.copyOf(obj, obj.length - 1);
          what = "cut last byte";
          break;
        }
        int src = r.nextInt(n);
        target = (src + 1 + r.nextInt(n - 1)) % n;
        obj = store.get(ObjectNames.segment(new SegmentId(stream, src)));
        name = ObjectNames.segment(new SegmentId(stream, target));
        what = "copy segment " + src + " over " + target;
        break;
      }
      case 5: {
        if (n < 2) {
          obj = obj.clone();
          obj[r.nextInt(hl)] ^= 0x40;
          what = "flip a header byte";
          break;
        }
        int other = (target + 1 + r.nextInt(n - 1)) % n;
        String otherName = ObjectNames.segment(new SegmentId(stream, other));
        byte[] mine = store.get(name);
        store.set(name, store.get(otherName));
        store.set(otherName, mine);
        obj = null;
        what = "swap segments " + target + "," + other;
        target = Math.min(target, other);
        break;
      }
      default: {
        obj = obj.clone();
        int pos = r.nextInt(obj.length);
        obj[pos] = (byte) r.nextInt(256);
        if (Arrays.equals(obj, store.get(name))) {
          obj[pos] ^= 1;
        }
        what = "overwrite byte " + pos;
      }
    }
    if (obj != null) {
      store.set(name, obj);
    }
    try (StreamReader reader = StreamReader.open(store, stream, ring)) {
      for (int i = 0; i <= n; i++) {
        OpenedSegment o;
        try {
          o = reader.next();
        } catch (IntegrityException | MalformedDataException e) {
          assertTrue(i <= target, "seed " + seed + " " + what + ": caught late at " + i);
          if (what.startsWith("drop") || what.startsWith("swap segments")
              || what.startsWith("copy segment")) {
            assertEquals(ChainBrokenException.class, e.getClass(), "seed " + seed + " " + what);
          }
          return;
        } catch (ObscuraException e) {
          fail("seed " + seed + " " + what + ": untyped " + e);
          return;
        }
        if (o == null) {
          fail("seed " + seed + " " + what + ": mutation not detected");
        }
        assertTrue(i < target || Arrays.equals(plain.get(i), o.plaintext()),
            "seed " + seed + " " + what);
        assertArrayEquals(plain.get(i), o.plaintext(), "seed " + seed + " " + what);
      }
      fail("seed " + seed + " " + what + ": read past the end");
    }
  }
}
