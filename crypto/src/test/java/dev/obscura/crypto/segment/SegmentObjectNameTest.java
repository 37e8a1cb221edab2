package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sealer's Formatter-free object name is {@link ObjectNames#segment}, string for string. */
class SegmentObjectNameTest {
  @Test
  void theSealersObjectNameIsTheCoreName() {
    byte[] scratch = new byte[SegmentFormat.OBJECT_NAME_MAX];
    StreamId longest = StreamId.of("a234567890123456789012345678901234567890123456789012345678901234");
    StreamId[] streams = {StreamId.of("x"), StreamId.of("front-door"), StreamId.of("Cam_1.b"), longest};
    long[] edges = {0, 1, 9, 10, 99, 1_000_000_007L, Long.MAX_VALUE / 2, SegmentId.MAX_SEQUENCE};
    SplittableRandom r = new SplittableRandom(5);
    for (StreamId s : streams) {
      for (long seq : edges) {
        assertEquals(ObjectNames.segment(new SegmentId(s, seq)), SegmentFormat.objectName(s, seq, scratch));
      }
      for (int i = 0; i < 1000; i++) {
        long seq = r.nextLong(SegmentId.MAX_SEQUENCE + 1);
        assertEquals(ObjectNames.segment(new SegmentId(s, seq)), SegmentFormat.objectName(s, seq, scratch));
      }
    }
  }
}
