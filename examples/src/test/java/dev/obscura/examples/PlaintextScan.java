package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.SyntheticCamera;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plaintext scan of the first issue, over anything a third party holds: no MP4 box name with
 * a plausible size, no H.264 SPS, no {@link SyntheticCamera#MARKER}, and no 16-byte run (of at
 * least six distinct byte values) of any plaintext.
 */
final class PlaintextScan {
  static final int WINDOW = 16;
  static final List<String> BOXES = List.of("ftyp", "moov", "moof", "mdat", "avcC", "trun", "tfdt");

  private PlaintextScan() {}

  /** Fails if any of {@code held} (name to bytes) shows any of {@code plaintexts}. */
  static void assertNothingIn(Map<String, byte[]> held, List<byte[]> plaintexts) {
    byte[] marker = SyntheticCamera.MARKER.getBytes(StandardCharsets.US_ASCII);
    Set<Window> windows = new HashSet<>();
    for (Map.Entry<String, byte[]> o : held.entrySet()) {
      byte[] b = o.getValue();
      for (String box : BOXES) {
        assertTrue(!NoPlaintextAtRestTest.findBox(b, box), () -> o.getKey() + " holds an MP4 '" + box + "' box in the clear");
      }
      assertTrue(!NoPlaintextAtRestTest.findSps(b), () -> o.getKey() + " holds an H.264 sequence parameter set in the clear");
      assertTrue(NoPlaintextAtRestTest.indexOf(b, marker) < 0, () -> o.getKey() + " holds the synthetic camera's marker");
      for (int i = 0; i + WINDOW <= b.length; i++) {
        windows.add(new Window(b, i));
      }
    }
    for (byte[] p : plaintexts) {
      for (int i = 0; i + WINDOW <= p.length; i++) {
        if (!isBoring(p, i) && windows.contains(new Window(p, i))) {
          throw new AssertionError("a 16-byte run of plaintext is held in the clear: "
              + HexFormat.of().formatHex(p, i, i + WINDOW));
        }
      }
    }
  }

  static boolean isBoring(byte[] b, int off) {
    BitSet seen = new BitSet(256);
    for (int i = 0; i < WINDOW; i++) {
      seen.set(b[off + i] & 0xff);
    }
    return seen.cardinality() < 6;
  }

  /** Whether some run of {@code plaintext} appears in {@code hay}: the scan's positive control. */
  static boolean sharesARun(byte[] hay, byte[] plaintext) {
    Set<Window> windows = new HashSet<>();
    for (int i = 0; i + WINDOW <= hay.length; i++) {
      windows.add(new Window(hay, i));
    }
    for (int i = 0; i + WINDOW <= plaintext.length; i++) {
      if (!isBoring(plaintext, i) && windows.contains(new Window(plaintext, i))) {
        return true;
      }
    }
    return false;
  }

  private record Window(long a, long b) {
    Window(byte[] bytes, int off) {
      this(ByteBuffer.wrap(bytes, off, WINDOW).getLong(), ByteBuffer.wrap(bytes, off + 8, 8).getLong());
    }
  }
}
