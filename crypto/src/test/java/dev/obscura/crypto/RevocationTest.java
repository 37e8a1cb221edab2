package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three enrolled devices read the same footage; after one is revoked it fails on every later
 * segment and still reads the earlier ones (what it keeps: the epoch keys wrapped to it before).
 */
class RevocationTest {
  @TempDir Path tmp;

  @Test
  void aRevokedDeviceFailsOnEveryLaterSegmentAndStillReadsEarlierOnes() throws Exception {
    Household h = new Household(tmp, 21);
    ViewerIdentity phone = h.owner;
    ViewerIdentity tablet = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(22));
    ViewerIdentity laptop = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(23));
    h.enrol(tablet, Roster.Role.VIEWER, "tablet");
    h.enrol(laptop, Roster.Role.VIEWER, "laptop");
    int before = 4;
    int after = 4;
    try (Recorder rec = h.recorder(2)) {
      for (int i = 0; i < before; i++) {
        rec.seal(h.segment());
      }
      int epochs = rec.epochsStarted();
      h.revoke(laptop.publicKey());
      for (int i = 0; i < after; i++) {
        rec.seal(h.segment());
      }
      assertTrue(rec.epochsStarted() > epochs, "revocation rotated the epoch");
      assertEquals(4, rec.roster().orElseThrow().version());
      assertTrue(h.refused.isEmpty(), h.refused.toString());
    }
    long last = before + after - 1;
    List<byte[]> a = h.read(phone, 0, last);
    List<byte[]> b = h.read(tablet, 0, last);
    assertEquals(before + after, a.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
    }
    List<byte[]> c = h.read(laptop, 0, before - 1);
    for (int i = 0; i < before; i++) {
      assertArrayEquals(a.get(i), c.get(i), "the laptop keeps what it could already read");
    }
    for (long s = before; s <= last; s++) {
      final long seq = s;
      assertThrows(KeyUnavailableException.class, () -> h.read(laptop, seq, seq), "segment " + s);
    }
  }
}
