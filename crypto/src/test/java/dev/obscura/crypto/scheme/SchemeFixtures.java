package dev.obscura.crypto.scheme;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.SecretBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded frames and contexts for the scheme tests. */
final class SchemeFixtures {
  static final int MIB = 1 << 20;

  private SchemeFixtures() {}

  static SchemeContext context(String stream, long keySeed) {
    return new SchemeContext(StreamId.of(stream),
        SecretBytes.random(SchemeContext.KEY_BYTES, EntropySource.insecureDeterministicForTests(keySeed)),
        EntropySource.insecureDeterministicForTests(keySeed * 31 + 7));
  }

  /** A context of the same stream and key as {@code c}, with its own randomness. */
  static SchemeContext sameKey(SchemeContext c, long entropySeed) {
    return new SchemeContext(c.stream(), c.key(),
        EntropySource.insecureDeterministicForTests(entropySeed));
  }

  static EncodedFrame frame(Random r, long pts, boolean key, int size) {
    byte[] b = new byte[size];
    r.nextBytes(b);
    return new EncodedFrame(pts, key, b);
  }

  /**
   * {@code segments} segments of 1 keyframe and {@code pFrames} P-frames of random sizes; the
   * first segment's keyframe is 1 MiB and it holds a 0-byte P-frame.
   */
  static List<List<EncodedFrame>> segments(long seed, int segments, int pFrames, int maxP) {
    Random r = new Random(seed);
    List<List<EncodedFrame>> out = new ArrayList<>();
    long pts = 0;
    for (int s = 0; s < segments; s++) {
      List<EncodedFrame> seg = new ArrayList<>();
      seg.add(frame(r, pts, true, s == 0 ? MIB : 1000 + r.nextInt(40_000)));
      pts += 33_333;
      for (int i = 0; i < pFrames; i++) {
        int size = s == 0 && i == 1 ? 0 : r.nextInt(maxP + 1);
        seg.add(frame(r, pts, false, size));
        pts += 33_333;
      }
      out.add(seg);
    }
    return out;
  }

  /** Small segments, for the tampering tests (each record is opened many times). */
  static List<List<EncodedFrame>> small(long seed) {
    Random r = new Random(seed);
    List<List<EncodedFrame>> out = new ArrayList<>();
    long pts = 0;
    for (int s = 0; s < 3; s++) {
      List<EncodedFrame> seg = new ArrayList<>();
      seg.add(frame(r, pts, true, 300 + r.nextInt(300)));
      pts += 40_000;
      for (int i = 0; i < 3; i++) {
        seg.add(frame(r, pts, false, i == 1 ? 0 : 20 + r.nextInt(200)));
        pts += 40_000;
      }
      out.add(seg);
    }
    return out;
  }

  static List<List<byte[]>> sealAll(SealingScheme scheme, SchemeContext c,
      List<List<EncodedFrame>> segments) throws Exception {
    List<List<byte[]>> out = new ArrayList<>();
    try (SealingScheme.Sealer sealer = scheme.sealer(c)) {
      for (List<EncodedFrame> s : segments) {
        out.add(sealer.seal(s));
      }
    }
    return out;
  }

  static List<List<EncodedFrame>> openAll(SealingScheme scheme, SchemeContext c,
      List<List<byte[]>> records) throws Exception {
    List<List<EncodedFrame>> out = new ArrayList<>();
    try (SealingScheme.Opener opener = scheme.opener(c)) {
      for (List<byte[]> r : records) {
        out.add(opener.open(r));
      }
    }
    return out;
  }

  /** One segment's records, changed: the segment to open them as, and what was done. */
  record Tampered(int segment, List<byte[]> records, String what) {}

  /** Each record of each segment with one bit flipped, at its start, middle and end. */
  static List<Tampered> flips(List<List<byte[]>> sealed) {
    List<Tampered> out = new ArrayList<>();
    for (int s = 0; s < sealed.size(); s++) {
      for (int r = 0; r < sealed.get(s).size(); r++) {
        int len = sealed.get(s).get(r).length;
        for (int at : new int[] {0, len / 2, len - 1}) {
          List<byte[]> copy = copy(sealed.get(s));
          copy.get(r)[at] ^= 0x01;
          out.add(new Tampered(s, copy, "bit " + at + " of record " + r + " of segment " + s));
        }
      }
    }
    return out;
  }

  /** Each record of each segment cut to nothing, to half and to one byte short. */
  static List<Tampered> truncations(List<List<byte[]>> sealed) {
    List<Tampered> out = new ArrayList<>();
    for (int s = 0; s < sealed.size(); s++) {
      for (int r = 0; r < sealed.get(s).size(); r++) {
        byte[] rec = sealed.get(s).get(r);
        for (int len : new int[] {0, rec.length / 2, rec.length - 1}) {
          List<byte[]> copy = new ArrayList<>(sealed.get(s));
          copy.set(r, java.util.Arrays.copyOf(rec, len));
          out.add(new Tampered(s, copy, "record " + r + " of segment " + s + " cut to " + len));
        }
      }
    }
    return out;
  }

  /** Seals and opens four segments with a 1 MiB keyframe and a 0-byte P-frame. */
  static void assertRoundTrips(SealingScheme scheme) throws Exception {
    List<List<EncodedFrame>> big = segments(7, 4, 20, 30_000);
    SchemeContext c = context("garden", 9);
    org.junit.jupiter.api.Assertions.assertEquals(big, openAll(scheme, c, sealAll(scheme, c, big)));
    org.junit.jupiter.api.Assertions.assertEquals(0, big.get(0).get(2).sizeBytes());
    org.junit.jupiter.api.Assertions.assertEquals(MIB, big.get(0).get(0).sizeBytes());
  }

  static List<byte[]> copy(List<byte[]> records) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] r : records) {
      out.add(r.clone());
    }
    return out;
  }
}
