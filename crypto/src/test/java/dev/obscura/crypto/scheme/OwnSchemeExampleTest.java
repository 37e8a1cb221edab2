package dev.obscura.crypto.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ten-line scheme of docs/schemes.md, registered and run as written there. */
class OwnSchemeExampleTest {
  static final class ClearScheme implements SealingScheme {          // a baseline: no encryption at all
    public String name() { return "clear"; }
    public String description() { return "the framing of the frames, unencrypted"; }
    public Protection protection() { return Protection.WEAK; }
    public String warning() { return "clear stores the video unencrypted"; }
    public Sealer sealer(SchemeContext c) { return seg -> List.of(FrameFraming.encode(seg)); }
    public Opener opener(SchemeContext c) { return recs -> FrameFraming.decode(recs.get(0)); }
  }

  @Test
  void registersAndRunsBesideTheBuiltIns() throws Exception {
    SchemeSet schemes = SchemeSet.builtIn().with(new ClearScheme());
    assertEquals(SchemeSet.builtIn().all().size() + 1, schemes.all().size());
    SealingScheme clear = schemes.get("clear");
    SchemeContext c = SchemeFixtures.context("garden", 3);
    var segments = SchemeFixtures.small(1);
    assertEquals(segments, SchemeFixtures.openAll(clear, c, SchemeFixtures.sealAll(clear, c, segments)));
  }
}
