package dev.obscura.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Hex} agrees with the JDK's {@code HexFormat} (the reference, in the test only). */
class HexTest {
  @Test
  void agreesWithTheJdkOnSeededInput() {
    Random r = new Random(20261201);
    for (int n = 0; n < 300; n++) {
      byte[] b = new byte[n];
      r.nextBytes(b);
      String jdk = HexFormat.of().formatHex(b);
      assertEquals(jdk, Hex.format(b));
      assertArrayEquals(b, Hex.parse(jdk));
      assertArrayEquals(b, Hex.parse(jdk.toUpperCase()));
      if (n > 2) {
        assertEquals(HexFormat.of().formatHex(b, 1, n - 1), Hex.format(b, 1, n - 1));
      }
    }
  }

  @Test
  void refusesWhatIsNotHexWithoutEchoingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hex.parse("s3cr"));
    assertFalse(e.getMessage().contains("s3cr"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Hex.parse("abc"));
    assertThrows(IllegalArgumentException.class, () -> Hex.parse("\u0661\u0662")); // Arabic-Indic digits
    assertThrows(IndexOutOfBoundsException.class, () -> Hex.format(new byte[2], 1, 3));
  }
}
