package dev.obscura.crypto.scheme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.Hex;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.cenc.Subsamples;
import dev.obscura.crypto.keys.SecretBytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The {@code cenc} scheme: frames round-trip; start codes, NAL headers and parameter sets stay
 * clear while slice data does not; and, honestly, a flipped ciphertext bit is not detected (it is
 * labelled {@link SealingScheme.Protection#CONFIDENTIAL_ONLY}).
 */
class CencSchemeTest {
  static final EntropySource E = EntropySource.insecureDeterministicForTests(42);
  static final SchemeContext CTX = new SchemeContext(StreamId.of("porch"), SecretBytes.random(32, E), E);

  /** An Annex B access unit like the codec's: SPS and PPS before keyframes, then a slice. */
  static EncodedFrame frame(long pts, boolean key, int sliceBytes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] slice = new byte[sliceBytes];
    for (int i = 0; i < slice.length; i++) {
      slice[i] = (byte) (1 + r.nextInt(255)); // no zero bytes: no accidental start code
    }
    byte[] head = key ? Hex.parse("0000000167640016acd940a02ff9610000030001" + "0000000168ebecb22c") : new byte[0];
    byte[] out = Arrays.copyOf(head, head.length + 4 + 1 + sliceBytes);
    int p = head.length;
    out[p + 3] = 1;
    out[p + 4] = (byte) (key ? 0x65 : 0x41);
    System.arraycopy(slice, 0, out, p + 5, sliceBytes);
    return new EncodedFrame(pts, key, out);
  }

  static List<EncodedFrame> segment() {
    List<EncodedFrame> seg = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      seg.add(frame(i * 66_666L, i == 0, 100 + 37 * i, i));
    }
    return seg;
  }

  @Test
  void isLabelledConfidentialOnly() {
    CencScheme s = new CencScheme();
    assertEquals("cenc", s.name());
    assertEquals(SealingScheme.Protection.CONFIDENTIAL_ONLY, s.protection());
    assertTrue(s.description().contains("no integrity"));
  }

  @Test
  void framesRoundTripOneRecordPerFrame() throws Exception {
    CencScheme s = new CencScheme();
    List<EncodedFrame> seg = segment();
    List<EncodedFrame> copy = new ArrayList<>();
    for (EncodedFrame f : seg) {
      copy.add(new EncodedFrame(f.presentationMicros(), f.keyframe(), f.data().clone()));
    }
    List<byte[]> records = s.sealer(CTX).seal(seg);
    assertEquals(seg.size(), records.size());
    assertEquals(copy, seg, "sealing does not modify the frames");
    assertEquals(seg, s.opener(CTX).open(records));
  }

  @Test
  void sliceDataIsEncryptedAndHeadersAreNot() throws Exception {
    EncodedFrame key = frame(0, true, 500, 9);
    byte[] rec = new CencScheme().sealer(CTX).seal(List.of(key)).get(0);
    Subsamples map = Subsamples.forAnnexB(key.data(), 0, key.data().length);
    int body = rec.length - key.data().length;
    // SPS, PPS, the slice's start code and header are clear; the slice payload is not
    int clear = map.clearBytes(0);
    assertArrayEquals(Arrays.copyOf(key.data(), clear), Arrays.copyOfRange(rec, body, body + clear));
    assertFalse(Arrays.equals(Arrays.copyOfRange(key.data(), clear, key.data().length),
        Arrays.copyOfRange(rec, body + clear, rec.length)));
    assertEquals(500, map.protectedBytes(0), "everything after the slice header byte");
  }

  @Test
  void aFlippedCiphertextBitIsNotDetected() throws Exception {
    CencScheme s = new CencScheme();
    List<EncodedFrame> seg = segment();
    List<byte[]> records = new ArrayList<>(s.sealer(CTX).seal(seg));
    byte[] r = records.get(3).clone();
    int at = r.length - 10; // inside the slice payload
    r[at] ^= 0x04;
    records.set(3, r);
    List<EncodedFrame> opened = s.opener(CTX).open(records); // no exception: CENC has no integrity
    byte[] expected = seg.get(3).data().clone();
    expected[expected.length - 10] ^= 0x04;
    assertArrayEquals(expected, opened.get(3).data(), "the same bit flipped in the plaintext, silently");
    assertEquals(seg.subList(4, seg.size()), opened.subList(4, opened.size()));
    // and a dropped record goes unnoticed too
    records.remove(5);
    assertEquals(seg.size() - 1, s.opener(CTX).open(records).size());
  }

  @Test
  void anotherStreamOrKeyDoesNotOpenToTheFrames() throws Exception {
    CencScheme s = new CencScheme();
    List<EncodedFrame> seg = segment();
    List<byte[]> records = s.sealer(CTX).seal(seg);
    SchemeContext other = new SchemeContext(StreamId.of("garage"), CTX.key(), E);
    assertNotEquals(seg, s.opener(other).open(records));
    SchemeContext otherKey = new SchemeContext(CTX.stream(), SecretBytes.random(32, E), E);
    assertNotEquals(seg, s.opener(otherKey).open(records));
  }

  @Test
  void malformedRecordsAreRefused() {
    CencScheme s = new CencScheme();
    assertThrows(MalformedDataException.class, () -> s.opener(CTX).open(List.of(new byte[5])));
    byte[] r = new byte[CencScheme.HEADER + 2 + 6 + 3];
    r[CencScheme.HEADER + 1] = 1; // one pair
    r[CencScheme.HEADER + 2 + 5] = 9; // claims 9 protected bytes of 3
    assertThrows(MalformedDataException.class, () -> s.opener(CTX).open(List.of(r)));
  }
}
