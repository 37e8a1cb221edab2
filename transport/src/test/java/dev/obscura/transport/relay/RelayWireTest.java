package dev.obscura.transport.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.core.MalformedDataException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RelayWireTest {
  private static final int MAX = 4 << 20;

  @Test
  void framesAndEnvelopesRoundTripWithTheDocumentedLayout() throws Exception {
    RelayFrame f = new RelayFrame(7, 0xFFFF_FFFF_FFFF_FFFEL, true, new byte[] {1, 2, 3});
    byte[] wire = RelayWire.encode(f);
    assertArrayEquals(new byte[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 7,
        -1, -1, -1, -1, -1, -1, -1, -2, 0, 0, 0, 3, 1, 2, 3}, wire);
    assertEquals(f, RelayWire.decode(wire, MAX));

    RelayEnvelope e = new RelayEnvelope(Long.MAX_VALUE, new byte[] {9});
    byte[] ew = RelayWire.encode(e);
    assertEquals(2, ew[1]);
    assertEquals(0, ew[2]);
    assertEquals(e, RelayWire.decode(ew, MAX));
  }

  @Test
  void everyBadFieldIsRefusedWithATypedError() {
    byte[] good = RelayWire.encode(new RelayFrame(1, 2, false, new byte[] {5, 6}));
    assertBad(Arrays.copyOf(good, 24)); // no payload
    assertBad(new byte[0]);
    assertBad(with(good, 0, 2)); // version
    assertBad(with(good, 1, 3)); // type
    assertBad(with(good, 1, 0));
    assertBad(with(good, 2, 0x02)); // reserved flag
    assertBad(with(with(good, 1, 2), 2, 0x01)); // keyframe flag on an envelope
    assertBad(with(good, 3, 1)); // reserved byte
    assertBad(with(good, 4, 0x80)); // epoch >= 2^63
    assertBad(with(good, 23, 3)); // length too large
    assertBad(with(good, 23, 1)); // length too small
    assertBad(Arrays.copyOf(good, good.length + 1)); // trailing byte
    byte[] big = RelayWire.encode(new RelayFrame(1, 2, false, new byte[100]));
    assertThrows(MalformedDataException.class, () -> RelayWire.decode(big, 123));
    byte[] huge = ByteBuffer.allocate(25).put(0, (byte) 1).put(1, (byte) 1)
        .putInt(20, Integer.MAX_VALUE).array();
    assertBad(huge);
  }

  @Test
  void errorMessagesCarryNoPayloadBytes() {
    byte[] payload = "SECRET-PAYLOAD-BYTES".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] bad = with(RelayWire.encode(new RelayFrame(1, 2, false, payload)), 0, 9);
    MalformedDataException e =
        assertThrows(MalformedDataException.class, () -> RelayWire.decode(bad, MAX));
    assertEquals(-1, e.getMessage().indexOf("SECRET"));
    assertEquals(-1, new RelayFrame(1, 2, false, payload).toString().indexOf("SECRET"));
  }

  private static byte[] with(byte[] b, int index, int value) {
    byte[] c = b.clone();
    c[index] = (byte) value;
    return c;
  }

  private static void assertBad(byte[] message) {
    assertThrows(MalformedDataException.class, () -> RelayWire.decode(message, MAX));
  }
}
