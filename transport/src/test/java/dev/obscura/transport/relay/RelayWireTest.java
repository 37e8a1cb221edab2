package dev.obscura.transport.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.core.MalformedDataException;
import dev.obscura.transport.testing.SecretScan;
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
    assertBad(with(with(good, 1, 2), 19, 1)); // an envelope's sequence is not zero
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
    // random-looking bytes, as a sealed frame is, then text (caught however it is decoded)
    byte[] payload = new byte[64];
    new java.util.SplittableRandom(7).nextBytes(payload);
    byte[] text = "SECRET-PAYLOAD-BYTES".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, payload, payload.length - text.length, text.length);
    byte[] bad = with(RelayWire.encode(new RelayFrame(1, 2, false, payload)), 0, 9);
    MalformedDataException e =
        assertThrows(MalformedDataException.class, () -> RelayWire.decode(bad, MAX));
    // no 8-byte window of the payload, in any encoding, in the message or the toString
    SecretScan.assertNoLeak(e.getMessage(), payload);
    SecretScan.assertNoLeak(new RelayFrame(1, 2, false, payload).toString(), payload);
  }

  /** Seeded mutations: every input either parses to what re-encodes to it, or is refused. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void mutatedMessagesParseExactlyOrAreRefused(long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    for (int i = 0; i < 2000; i++) {
      byte[] payload = new byte[1 + r.nextInt(64)];
      r.nextBytes(payload);
      RelayMessage m = r.nextBoolean()
          ? new RelayFrame(r.nextLong(0, Long.MAX_VALUE), r.nextLong(), r.nextBoolean(), payload)
          : new RelayEnvelope(r.nextLong(0, Long.MAX_VALUE), payload);
      byte[] wire = RelayWire.encode(m);
      switch (r.nextInt(3)) {
        case 0 -> wire[r.nextInt(wire.length)] ^= (byte) (1 << r.nextInt(8));
        case 1 -> wire = Arrays.copyOf(wire, r.nextInt(wire.length + 8));
        default -> {
          for (int k = 0; k < 4; k++) {
            wire[r.nextInt(Math.min(wire.length, RelayWire.HEADER_LENGTH))] = (byte) r.nextInt();
          }
        }
      }
      try {
        RelayMessage parsed = RelayWire.decode(wire, 4096);
        assertArrayEquals(wire, RelayWire.encode(parsed));
      } catch (MalformedDataException expected) {
        // refused, with the typed error and nothing else
      }
    }
  }

  private static byte[] with(byte[] b, int index, int value) {
    byte[] c = b.clone();
    c[index] = (byte) value;
    return c;
  }

  @Test
  void messagesRefuseANegativeEpochAndAnEmptyOrMissingPayload() {
    assertEquals("epoch must be >= 0", assertThrows(IllegalArgumentException.class,
        () -> new RelayFrame(-1, 0, true, new byte[1])).getMessage());
    assertEquals("epoch must be >= 0", assertThrows(IllegalArgumentException.class,
        () -> new RelayEnvelope(-1, new byte[1])).getMessage());
    assertEquals("payload must not be empty", assertThrows(IllegalArgumentException.class,
        () -> new RelayFrame(0, 0, false, new byte[0])).getMessage());
    assertEquals("payload must not be empty", assertThrows(IllegalArgumentException.class,
        () -> new RelayEnvelope(0, new byte[0])).getMessage());
    assertThrows(NullPointerException.class, () -> new RelayFrame(0, 0, false, null));
    assertThrows(NullPointerException.class, () -> new RelayEnvelope(0, null));
    assertEquals(Long.MAX_VALUE, new RelayEnvelope(Long.MAX_VALUE, new byte[1]).epoch());
  }

  private static void assertBad(byte[] message) {
    assertThrows(MalformedDataException.class, () -> RelayWire.decode(message, MAX));
  }
}
