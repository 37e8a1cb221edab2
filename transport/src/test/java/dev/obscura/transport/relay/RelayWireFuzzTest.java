package dev.obscura.transport.relay;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.MalformedDataException;
import java.util.Arrays;

/**
 * Fuzzes the relay protocol v1 parser ({@link RelayWire#decode}, {@link RelayWire#parseHeader})
 * with arbitrary bytes, as a relay gets them from any WebSocket peer and a viewer from the relay.
 *
 * <p>Invariants: only {@link MalformedDataException} escapes; {@code parseHeader} and {@code
 * decode} agree on accepting; a decoded message re-encodes to the input byte for byte (the format
 * is canonical: version, reserved bits and byte, the envelope's zero sequence and the length are
 * all fixed by the fields) and decodes again to an equal value; {@code toString()} holds no
 * payload. The limit is taken from the input's first byte, so limits below, at and above the
 * message length are all reached. Corpus: {@code RelayWireFuzzTestInputs/} (real frames and
 * envelopes encoded by {@link RelayWire#encode}, odd ones, findings). {@code JAZZER_FUZZ=1}
 * fuzzes (scripts/fuzz.sh).
 */
class RelayWireFuzzTest {
  @FuzzTest
  void decodeArbitraryBytes(byte[] data) {
    if (data.length == 0) {
      return;
    }
    // first byte picks the limit: 0 -> 64 KiB, else a limit around the message length
    int sel = data[0] & 0xff;
    byte[] message = Arrays.copyOfRange(data, 1, data.length);
    int limit = sel == 0 ? 64 * 1024 : message.length - 8 + (sel % 17);
    RelayMessage m;
    try {
      m = RelayWire.decode(message, limit);
    } catch (MalformedDataException e) {
      boolean headerRefuses;
      try {
        RelayWire.parseHeader(message, limit);
        headerRefuses = false;
      } catch (MalformedDataException again) {
        headerRefuses = true;
      }
      if (!headerRefuses) {
        throw new AssertionError("parseHeader accepts what decode refuses", e);
      }
      return;
    }
    if (message.length > limit) {
      throw new AssertionError("accepted a message above the limit");
    }
    RelayWire.Header h;
    try {
      h = RelayWire.parseHeader(message, limit);
    } catch (MalformedDataException e) {
      throw new AssertionError("decode accepts what parseHeader refuses", e);
    }
    if (h.isFrame() != (m instanceof RelayFrame) || h.epoch() != m.epoch()
        || h.payloadLength() != m.payload().length) {
      throw new AssertionError("header " + h + " disagrees with " + m);
    }
    if (m instanceof RelayFrame f && (f.sequence() != h.sequence() || f.keyframe() != h.keyframe())) {
      throw new AssertionError("header " + h + " disagrees with " + m);
    }
    byte[] again = RelayWire.encode(m);
    if (!Arrays.equals(again, message)) {
      throw new AssertionError("not canonical: re-encoding " + m + " gives other bytes");
    }
    if (m.wireLength() != message.length) {
      throw new AssertionError("wireLength " + m.wireLength() + " != " + message.length);
    }
    RelayMessage back;
    try {
      back = RelayWire.decode(again, limit);
    } catch (MalformedDataException e) {
      throw new AssertionError("re-encoded message does not decode", e);
    }
    if (!back.equals(m) || back.hashCode() != m.hashCode()) {
      throw new AssertionError("round trip changed " + m + " into " + back);
    }
    String s = m.toString();
    if (m.payload().length >= 4 && s.contains(hexOf(m.payload()))) {
      throw new AssertionError("toString shows payload bytes");
    }
  }

  private static String hexOf(byte[] p) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(p.length, 8); i++) {
      b.append(String.format(java.util.Locale.ROOT, "%02x", p[i]));
    }
    return b.toString();
  }
}
