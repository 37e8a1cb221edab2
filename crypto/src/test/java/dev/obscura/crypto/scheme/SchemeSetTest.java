package dev.obscura.crypto.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SchemeSetTest {
  /** A scheme that only has a name and a protection (sealing is never called here). */
  static SealingScheme named(String name, SealingScheme.Protection p, String warning) {
    return new SealingScheme() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return "test scheme";
      }

      @Override
      public Protection protection() {
        return p;
      }

      @Override
      public String warning() {
        return warning;
      }

      @Override
      public Sealer sealer(SchemeContext context) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Opener opener(SchemeContext context) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void builtInHoldsTheSixSchemesInOrder() {
    assertEquals(Arrays.asList("chunked", "frame-aead", "sframe", "tink-streaming", "cenc", "selective"),
        SchemeSet.builtIn().names());
    for (SealingScheme s : SchemeSet.builtIn().all()) {
      assertTrue(s.protection() != SealingScheme.Protection.WEAK || !s.warning().isEmpty());
    }
    assertEquals(SealingScheme.Protection.WEAK, SchemeSet.builtIn().get("selective").protection());
    assertEquals(SealingScheme.Protection.CONFIDENTIAL_ONLY, SchemeSet.builtIn().get("cenc").protection());
  }

  @Test
  void selectAllAndLists() {
    SchemeSet set = SchemeSet.builtIn();
    assertEquals(set.all(), set.select("all"));
    assertEquals(set.all(), set.select(" ALL "));
    assertEquals(Arrays.asList("sframe", "chunked"),
        Arrays.asList(set.select("sframe, chunked").get(0).name(), set.select("sframe,chunked").get(1).name()));
  }

  @Test
  void refusesUnknownRepeatedAndEmptyNames() {
    SchemeSet set = SchemeSet.builtIn();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> set.select("no-such-scheme"));
    assertTrue(e.getMessage().contains("chunked"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> set.select("chunked,chunked"));
    assertThrows(IllegalArgumentException.class, () -> set.select("chunked,"));
    assertThrows(IllegalArgumentException.class, () -> set.select(""));
    assertThrows(IllegalArgumentException.class, () -> set.get("nope"));
  }

  @Test
  void refusesDuplicateNames() {
    assertThrows(IllegalArgumentException.class,
        () -> SchemeSet.builtIn().with(named("chunked", SealingScheme.Protection.AUTHENTICATED, "")));
  }

  @Test
  void refusesAWeakSchemeWithoutAWarning() {
    assertThrows(IllegalArgumentException.class,
        () -> SchemeSet.empty().with(named("weak-one", SealingScheme.Protection.WEAK, "")));
    assertThrows(IllegalArgumentException.class,
        () -> SchemeSet.empty().with(named("weak-two", SealingScheme.Protection.WEAK, null)));
    SchemeSet ok = SchemeSet.empty().with(named("weak-three", SealingScheme.Protection.WEAK, "leaks"));
    assertEquals(1, ok.names().size());
  }

  @Test
  void validatesNames() {
    for (String bad : new String[] {"", "all", "Upper", "-lead", "sp ace", "under_score",
        "a23456789012345678901234567890123", null}) {
      assertThrows(IllegalArgumentException.class,
          () -> SchemeSet.empty().with(named(bad, SealingScheme.Protection.AUTHENTICATED, "")),
          "name " + bad);
    }
    SchemeSet.empty().with(named("a2345678901234567890123456789012", SealingScheme.Protection.AUTHENTICATED, ""));
    SchemeSet.empty().with(named("my-scheme-2", SealingScheme.Protection.AUTHENTICATED, ""));
  }

  @Test
  void withReturnsANewSet() {
    SchemeSet base = SchemeSet.builtIn();
    SchemeSet more = base.with(named("mine", SealingScheme.Protection.AUTHENTICATED, ""));
    assertNotSame(base, more);
    int n = base.names().size();
    assertEquals(n + 1, more.names().size());
    assertEquals("mine", more.names().get(n));
    assertThrows(UnsupportedOperationException.class, () -> more.all().clear());
  }
}
