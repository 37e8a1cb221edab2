package dev.obscura.crypto.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class EnrolmentCodeTest {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  final ViewerIdentity owner = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1));
  final ViewerIdentity tablet = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(2));
  final SigningKey signer = owner.signingKey().orElseThrow();
  final VerifyingKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(3)).verifyingKey();
  final Roster v1 = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone").camera(camera)
      .sign(signer);
  final Roster v2 = v1.next().created(T0).add(tablet.publicKey(), Roster.Role.VIEWER, "tablet").sign(signer);

  @Test
  void roundTripsThroughItsPrintedForm() {
    EnrolmentCode c = EnrolmentCode.of(v2);
    String printed = c.toString();
    assertTrue(printed.matches("2:[A-Z2-7]{4}(-[A-Z2-7]{4}){7}:[A-Z2-7]{4}-[A-Z2-7]{4}"), printed);
    assertEquals(c, EnrolmentCode.parse(printed));
    assertEquals(c.hashCode(), EnrolmentCode.parse(printed).hashCode());
    assertEquals(c, EnrolmentCode.parse("  " + printed.toLowerCase(Locale.ROOT).replace('-', ' ') + "\n"));
    assertEquals(2, c.version());
    assertArrayEquals(Arrays.copyOf(v2.digest(), 20), c.digestPrefix());
    assertArrayEquals(Arrays.copyOf(camera.keyId(), 5), c.cameraPrefix());
  }

  @Test
  void namesItsRosterAndNoOther() {
    EnrolmentCode c = EnrolmentCode.of(v2);
    assertTrue(c.names(v2));
    assertFalse(c.names(v1), "another version");
    assertFalse(c.names(v2.next().created(T0).sign(signer)), "its successor");
    Roster fork = v1.next().created(T0).add(tablet.publicKey(), Roster.Role.OWNER, "tablet").sign(signer);
    assertFalse(c.names(fork), "another roster at the same version");
    Roster noCamera = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone").sign(signer);
    EnrolmentCode none = EnrolmentCode.of(noCamera);
    assertArrayEquals(new byte[5], none.cameraPrefix(), "no camera: zero bytes");
    assertTrue(none.names(noCamera));
    // a code whose camera part was changed does not name the roster it came from
    byte[] cam = c.cameraPrefix();
    cam[0] ^= 1;
    EnrolmentCode wrongCamera = new EnrolmentCode(2, c.digestPrefix(), cam);
    assertFalse(wrongCamera.names(v2));
    assertNotEquals(c, wrongCamera);
  }

  @Test
  void malformedCodesAreRefused() {
    String good = EnrolmentCode.of(v2).toString();
    String[] parts = good.split(":");
    for (String bad : new String[] {"", "2", parts[0] + ":" + parts[1], good + ":AAAA", "x:" + parts[1] + ":" + parts[2],
        "0:" + parts[1] + ":" + parts[2], "-2:" + parts[1] + ":" + parts[2],
        "2:" + parts[1].substring(5) + ":" + parts[2], "2:" + parts[1] + ":" + parts[2] + "AAAA",
        "2:" + parts[1].replace('A', '1') + "1:" + parts[2]}) {
      assertThrows(IllegalArgumentException.class, () -> EnrolmentCode.parse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new EnrolmentCode(1, new byte[19], new byte[5]));
    assertThrows(IllegalArgumentException.class, () -> new EnrolmentCode(1, new byte[20], new byte[4]));
    assertThrows(IllegalArgumentException.class, () -> new EnrolmentCode(0, new byte[20], new byte[5]));
  }

  @Test
  void itsPartsAreCopies() {
    byte[] d = new byte[20];
    byte[] c = new byte[5];
    EnrolmentCode code = new EnrolmentCode(3, d, c);
    d[0] = 1;
    c[0] = 1;
    assertArrayEquals(new byte[20], code.digestPrefix());
    code.digestPrefix()[1] = 1;
    assertArrayEquals(new byte[20], code.digestPrefix());
    assertArrayEquals(new byte[5], code.cameraPrefix());
  }
}
