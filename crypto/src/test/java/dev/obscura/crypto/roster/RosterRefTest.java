package dev.obscura.crypto.roster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.sign.SigningKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RosterRefTest {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  final ViewerIdentity owner = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1));
  final SigningKey signer = owner.signingKey().orElseThrow();
  final Roster v1 = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone").sign(signer);
  final Roster v2 = v1.next().created(T0).sign(signer);

  @Test
  void encodesAsVersionThenDigest() {
    RosterRef r = v2.ref();
    byte[] b = r.encode();
    assertEquals(RosterRef.ENCODED_BYTES, b.length);
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 2}, Arrays.copyOf(b, 8));
    assertArrayEquals(v2.digest(), Arrays.copyOfRange(b, 8, 40));
    assertEquals(r, RosterRef.decode(b));
    RosterRef big = new RosterRef(Long.MAX_VALUE, v2.digest());
    assertEquals(big, RosterRef.decode(big.encode()));
    assertEquals("7fffffffffffffff", HexFormat.of().formatHex(big.encode(), 0, 8));
  }

  @Test
  void namesExactlyItsRoster() {
    assertTrue(v1.ref().names(v1));
    assertFalse(v1.ref().names(v2));
    assertFalse(new RosterRef(2, v1.digest()).names(v2), "right version, wrong digest");
    assertFalse(new RosterRef(1, v2.digest()).names(v2), "right digest, wrong version");
    Roster other = Roster.genesis().created(T0.plusSeconds(1)).add(owner.publicKey(), Roster.Role.OWNER, "phone")
        .sign(signer);
    assertFalse(v1.ref().names(other));
  }

  @Test
  void refusesInvalidParts() {
    assertThrows(IllegalArgumentException.class, () -> new RosterRef(0, new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> new RosterRef(-1, new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> new RosterRef(1, new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> new RosterRef(1, new byte[33]));
    assertThrows(NullPointerException.class, () -> new RosterRef(1, null));
    assertThrows(IllegalArgumentException.class, () -> RosterRef.decode(new byte[39]));
    assertThrows(IllegalArgumentException.class, () -> RosterRef.decode(new byte[41]));
    assertThrows(IllegalArgumentException.class, () -> RosterRef.decode(new byte[40]), "version 0");
    byte[] negative = new byte[40];
    negative[0] = (byte) 0x80;
    assertThrows(IllegalArgumentException.class, () -> RosterRef.decode(negative), "version above 2^63-1");
  }

  @Test
  void isAValueWithCopiedDigests() {
    byte[] d = v1.digest();
    RosterRef r = new RosterRef(1, d);
    d[0] ^= 1;
    assertTrue(r.names(v1), "the constructor copied the digest");
    r.digest()[0] ^= 1;
    assertTrue(r.names(v1), "digest() returns a copy");
    assertEquals(v1.ref(), r);
    assertEquals(v1.ref().hashCode(), r.hashCode());
    assertNotEquals(v1.ref(), v2.ref());
    assertNotEquals(v1.ref(), new RosterRef(2, v1.digest()));
    String s = r.toString();
    assertTrue(s.contains("roster version 1") && s.contains(HexFormat.of().formatHex(v1.digest(), 0, 8)), s);
    assertFalse(s.contains(HexFormat.of().formatHex(v1.digest())), "a short prefix only: " + s);
  }
}
