package dev.obscura.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sizes as the command line writes them, and the builder's checks. */
class FrameSizesTest {
  @Test
  void parsesUnitsAndBytes() {
    assertEquals(List.of(1024, 16384, 1048576, 1500, 2000, 3_000_000), FrameSizes.parse("1KiB, 16kib,1MiB,1500,2KB,3MB"));
    assertEquals("16KiB", FrameSizes.format(16384));
    assertEquals("1MiB", FrameSizes.format(1 << 20));
    assertEquals("1500B", FrameSizes.format(1500));
  }

  @Test
  void rejectsBadSizes() {
    for (String bad : new String[] {"", "0", "1GiB", "17MiB", "12 parsecs", "1KiB,1024", "-5"}) {
      assertThrows(IllegalArgumentException.class, () -> FrameSizes.parse(bad), bad);
    }
  }

  @Test
  void builderChecksItsValues() {
    Lab.Builder ok = Lab.builder().outputDir(Paths.get("x"));
    ok.build();
    assertThrows(NullPointerException.class, () -> Lab.builder().build());
    assertThrows(IllegalArgumentException.class, () -> Lab.builder().outputDir(Paths.get("x")).rounds(0).build());
    assertThrows(IllegalArgumentException.class,
        () -> Lab.builder().outputDir(Paths.get("x")).windowSeconds(8).sceneSeconds(17).build());
    assertThrows(IllegalArgumentException.class,
        () -> Lab.builder().outputDir(Paths.get("x")).schemes(List.of(new JcaGcmBaseline())).build());
  }
}
