package dev.obscura.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypesTest {
  @ParameterizedTest
  @ValueSource(strings = {"", ".hidden", "-x", "a/b", "..", "a b", "ünïcode",
      "12345678901234567890123456789012345678901234567890123456789012345"})
  void rejectsUnsafeStreamIds(String bad) {
    assertThrows(IllegalArgumentException.class, () -> StreamId.of(bad));
  }

  @Test
  void objectNamesSortInStreamOrderAndParseBack() {
    StreamId s = StreamId.of("porch");
    String n9 = ObjectNames.segment(new SegmentId(s, 9));
    String n10 = ObjectNames.segment(new SegmentId(s, 10));
    assertTrue(n9.compareTo(n10) < 0);
    assertEquals(Optional.of(new SegmentId(s, 10)), ObjectNames.parseSegment(n10));
    assertEquals(Optional.of(s), ObjectNames.parseEnvelopeStream(ObjectNames.envelope(s, EpochId.of(2))));
    assertFalse(ObjectNames.parseSegment("porch/segments/../x.seg").isPresent());
  }

  @Test
  void deterministicEntropyIsReproducibleAndSystemIsNot() {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    EntropySource.insecureDeterministicForTests(5).nextBytes(a);
    EntropySource.insecureDeterministicForTests(5).nextBytes(b);
    assertArrayEquals(a, b);
    EntropySource.system().nextBytes(a);
    EntropySource.system().nextBytes(b);
    assertFalse(java.util.Arrays.equals(a, b));
  }

  @Test
  void negativeNumbersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SegmentId(StreamId.of("a"), -1));
    assertThrows(IllegalArgumentException.class, () -> EpochId.of(-1));
  }
}
