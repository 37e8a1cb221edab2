package dev.obscura.codec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.codec.MalformedMediaException;
import dev.obscura.codec.Segmenters;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.SegmentSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded random mutations of a real segment: the parsers answer with a typed error or a result, nothing else. */
class BoxParserRobustnessTest {
  static byte[] segment;
  static List<Integer> boxStarts;

  @BeforeAll
  static void makeSegment() throws Exception {
    org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    try (SegmentSource src = Segmenters.synthetic(VideoSettings.QVGA_240P15, Duration.ofMillis(1000),
        Duration.ofMillis(500), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))) {
      MediaSegment m = src.next();
      segment = m.data();
    }
    boxStarts = new ArrayList<>();
    collect(segment, 0, segment.length, 0);
  }

  /** Offsets of every box header we can find, nested ones included (for targeted size mutations). */
  static void collect(byte[] b, int from, int to, int depth) throws MalformedDataException {
    for (Boxes.Box box : Boxes.children(b, from, to)) {
      boxStarts.add(box.start());
      String t = Boxes.name(box.type());
      if (depth < 6 && List.of("moov", "trak", "mdia", "minf", "stbl", "mvex", "moof", "traf").contains(t)) {
        collect(b, box.payloadStart(), box.end(), depth + 1);
      }
    }
  }

  @Test
  void theOriginalParses() throws Exception {
    Boxes.SegmentLayout l = Boxes.parseSegment(segment);
    assertEquals(1, l.fragments().size());
    assertEquals(8, l.fragments().get(0).info().sampleCount()); // GOP = round(0.5 s * 15 fps)
    assertTrue(l.fragments().get(0).info().startsWithKeyframe());
    assertTrue(boxStarts.size() > 15, boxStarts.toString());
  }

  static IntStream seeds() {
    return IntStream.range(0, 400);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void mutatedSegmentsGiveTypedErrors(int seed) {
    Random r = new Random(seed);
    byte[] b = mutate(segment, r);
    try {
      Boxes.parseSegment(b);
    } catch (MalformedDataException expected) {
      // fine
    } catch (RuntimeException | Error e) {
      fail("seed " + seed + ": " + e, e);
    }
    // the streaming splitter, fed in random chunks, with a 1 MiB box limit, into the segment
    // assembler and the live frame extractor (sample tables, avcC, NAL lengths)
    FragmentedMp4Splitter s = new FragmentedMp4Splitter(new Both(), 1 << 20);
    try {
      int pos = 0;
      while (pos < b.length) {
        int n = Math.min(b.length - pos, 1 + r.nextInt(4096));
        s.write(b, pos, n);
        pos += n;
      }
      s.close();
    } catch (MalformedMediaException expected) {
      // fine
    } catch (IOException | RuntimeException | Error e) {
      fail("seed " + seed + ": " + e, e);
    }
  }

  static byte[] mutate(byte[] in, Random r) {
    byte[] b = in.clone();
    switch (r.nextInt(6)) {
      case 0 -> { // truncate
        return Arrays.copyOf(b, r.nextInt(b.length));
      }
      case 1 -> { // flip a few bytes anywhere
        for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
        }
      }
      case 2 -> { // absurd size field in some box header
        int at = boxStarts.get(r.nextInt(boxStarts.size()));
        long[] sizes = {0, 1, 2, 7, 8, 0x7fffffffL, 0xffffffffL, b.length + 1L, r.nextInt() & 0xffffffffL};
        put32(b, at, sizes[r.nextInt(sizes.length)]);
      }
      case 3 -> { // 64-bit large size
        int at = boxStarts.get(r.nextInt(boxStarts.size()));
        put32(b, at, 1);
        if (at + 16 <= b.length) {
          long big = r.nextBoolean() ? Long.MAX_VALUE : (1L << 40) + r.nextInt(1000);
          put32(b, at + 8, big >>> 32);
          put32(b, at + 12, big);
        }
      }
      case 4 -> { // corrupt the 32-bit words right after a header (version/flags, counts)
        int at = boxStarts.get(r.nextInt(boxStarts.size())) + 8 + 4 * r.nextInt(4);
        if (at + 4 <= b.length) {
          put32(b, at, r.nextBoolean() ? 0xffffffffL : r.nextInt() & 0xffffffffL);
        }
      }
      default -> { // splice: duplicate or drop a range
        int from = r.nextInt(b.length);
        int len = r.nextInt(Math.min(2000, b.length - from));
        byte[] out = new byte[b.length + (r.nextBoolean() ? len : -len)];
        if (out.length > b.length) {
          System.arraycopy(b, 0, out, 0, from + len);
          System.arraycopy(b, from, out, from + len, b.length - from);
        } else {
          System.arraycopy(b, 0, out, 0, from);
          System.arraycopy(b, from + len, out, from, b.length - from - len);
        }
        return out;
      }
    }
    return b;
  }

  @Test
  void hugeDeclaredSizesAreRejectedFromTheHeader() {
    FragmentedMp4Splitter s = new FragmentedMp4Splitter(new Discard(), 1 << 20);
    byte[] header = new byte[16];
    put32(header, 0, 1);
    header[4] = 'm';
    header[5] = 'd';
    header[6] = 'a';
    header[7] = 't';
    put32(header, 8, 0x3fffffffL);
    put32(header, 12, 0);
    MalformedMediaException e = assertThrows(MalformedMediaException.class, () -> s.write(header, 0, 16));
    assertTrue(e.getCause() instanceof MalformedDataException);
    // and a plain 32-bit size above the limit
    FragmentedMp4Splitter s2 = new FragmentedMp4Splitter(new Discard(), 1 << 20);
    byte[] h2 = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 'm', 'd', 'a', 't'};
    assertThrows(MalformedMediaException.class, () -> s2.write(h2, 0, 8));
    // byte-array parser: size past the buffer
    assertThrows(MalformedDataException.class, () -> Boxes.boxAt(h2, 0, h2.length));
  }

  @Test
  void absurdSampleCountIsRejected() throws Exception {
    byte[] b = segment.clone();
    int trun = indexOf(b, "trun") - 4;
    put32(b, trun + 12, 0x7fffffffL); // sample_count after version/flags
    assertThrows(MalformedDataException.class, () -> Boxes.parseSegment(b));
  }

  @Test
  void hugeDecodeTimesAreATypedError() throws Exception {
    byte[] b = segment.clone();
    int tfdt = indexOf(b, "tfdt") - 4;
    assertEquals(1, b[tfdt + 8], "FFmpeg writes a version 1 (64-bit) tfdt");
    put32(b, tfdt + 12, 0x7fffffffL);
    put32(b, tfdt + 16, 0xffffffffL);
    FragmentedMp4Splitter s = new FragmentedMp4Splitter(new Both(), 1 << 20);
    s.write(b, 0, b.length); // first fragment sets the origin; fine
    // a second fragment far from the first overflows the microsecond conversion
    FragmentedMp4Splitter s2 = new FragmentedMp4Splitter(new Both(), 1 << 20);
    s2.write(segment, 0, segment.length);
    int initEnd = Boxes.parseSegment(b).initEnd();
    assertThrows(MalformedMediaException.class, () -> s2.write(b, initEnd, b.length - initEnd));
  }

  @Test
  void endsInsideABoxIsAnError() throws Exception {
    FragmentedMp4Splitter s = new FragmentedMp4Splitter(new Discard(), 1 << 20);
    s.write(segment, 0, segment.length - 1);
    assertThrows(MalformedMediaException.class, s::close);
  }

  static int indexOf(byte[] b, String type) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + 4 <= b.length; i++) {
      for (int k = 0; k < 4; k++) {
        if (b[i + k] != t[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError(type + " not found");
  }

  static void put32(byte[] b, int at, long v) {
    if (at + 4 > b.length) {
      return;
    }
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  static final class Both implements FragmentedMp4Splitter.Listener {
    final SegmentAssembler assembler = new SegmentAssembler(Duration.ofMillis(500), Instant.EPOCH);
    final LiveFrameExtractor live = new LiveFrameExtractor();

    @Override
    public void init(byte[] init, Boxes.InitInfo info) throws IOException {
      assembler.init(init, info);
      live.init(init, info);
    }

    @Override
    public void fragment(byte[] fragment, Boxes.FragmentInfo info) throws IOException {
      assembler.fragment(fragment, info);
      live.fragment(fragment, info);
    }
  }

  static final class Discard implements FragmentedMp4Splitter.Listener {
    @Override
    public void init(byte[] init, Boxes.InitInfo info) {}

    @Override
    public void fragment(byte[] fragment, Boxes.FragmentInfo info) {}
  }
}
