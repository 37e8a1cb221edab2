package dev.obscura.crypto.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PairingRecordTest {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  final ViewerIdentity owner = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1));
  final SigningKey signer = owner.signingKey().orElseThrow();
  final VerifyingKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(2)).verifyingKey();
  final VerifyingKey other = SigningKey.generate(EntropySource.insecureDeterministicForTests(3)).verifyingKey();
  final PairingCode code = PairingCode.generate(camera, EntropySource.insecureDeterministicForTests(4));
  final Roster v1 = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone").camera(camera)
      .sign(signer);

  @Test
  void roundTripAndLayout() throws Exception {
    PairingRecord r = PairingRecord.create(v1, code);
    byte[] b = r.encode();
    assertEquals(PairingRecord.ENCODED_BYTES, b.length);
    assertEquals(4 + 1 + 8 + 32 + 32, b.length);
    ByteBuffer in = ByteBuffer.wrap(b);
    byte[] magic = new byte[4];
    in.get(magic);
    assertArrayEquals("OBSP".getBytes(java.nio.charset.StandardCharsets.US_ASCII), magic);
    assertEquals(1, in.get());
    assertEquals(1L, in.getLong());
    byte[] key = new byte[32];
    in.get(key);
    assertArrayEquals(camera.rawBytes(), key);
    PairingRecord back = PairingRecord.parse(b);
    assertEquals(1, back.version());
    assertEquals(camera, back.camera());
    assertArrayEquals(b, back.encode());
    assertTrue(back.authenticates(v1, camera, code.secret()));
    assertTrue(back.toString().contains("roster version 1"), back.toString());
    assertEquals(RosterStore.objectName(1).replace(".roster", ".pairing"), PairingRecord.objectName(1));
    assertEquals("roster/0000000000000000001.pairing", PairingRecord.objectName(1));
  }

  @Test
  void parseRefusesAnythingButAVersion1RecordOfTheExactSize() {
    byte[] good = PairingRecord.create(v1, code).encode();
    for (int len : new int[] {0, 1, 76, 78, 4096}) {
      byte[] b = Arrays.copyOf(good, len);
      MalformedDataException e = assertThrows(MalformedDataException.class, () -> PairingRecord.parse(b), "" + len);
      assertTrue(e.getMessage().contains("77 bytes"), e.getMessage());
    }
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertThrows(MalformedDataException.class, () -> PairingRecord.parse(magic));
    byte[] format = good.clone();
    format[4] = 2;
    assertThrows(MalformedDataException.class, () -> PairingRecord.parse(format));
    byte[] zero = good.clone();
    Arrays.fill(zero, 5, 13, (byte) 0);
    assertThrows(MalformedDataException.class, () -> PairingRecord.parse(zero));
    byte[] negative = good.clone();
    negative[5] = (byte) 0x80;
    assertThrows(MalformedDataException.class, () -> PairingRecord.parse(negative));
    assertThrows(NullPointerException.class, () -> PairingRecord.parse(null));
  }

  @Test
  void theTagBindsTheRosterDigestTheVersionAndTheCamera() throws Exception {
    PairingRecord r = PairingRecord.create(v1, code);
    byte[] good = r.encode();
    // another version 1 (another member name): another digest
    Roster otherV1 = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone 2").camera(camera)
        .sign(signer);
    assertFalse(r.authenticates(otherV1, camera, code.secret()));
    // the same contents at version 2, with the record's version patched to 2
    Roster v2 = v1.next().created(T0).sign(signer);
    byte[] moved = good.clone();
    moved[12] = 2;
    PairingRecord m = PairingRecord.parse(moved);
    assertEquals(2, m.version());
    assertFalse(m.authenticates(v2, camera, code.secret()), "the version is in the tag");
    assertFalse(r.authenticates(v2, camera, code.secret()), "the record names version 1");
    // another camera: asked for, named in the record, or pinned by the roster
    assertFalse(r.authenticates(v1, other, code.secret()));
    byte[] swapped = good.clone();
    System.arraycopy(other.rawBytes(), 0, swapped, 13, 32);
    assertFalse(PairingRecord.parse(swapped).authenticates(v1, other, code.secret()));
    assertFalse(PairingRecord.parse(swapped).authenticates(v1, camera, code.secret()));
    Roster pinsOther = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone").camera(other)
        .sign(signer);
    assertFalse(r.authenticates(pinsOther, camera, code.secret()));
    // another secret
    PairingCode guessed = PairingCode.generate(camera, EntropySource.insecureDeterministicForTests(5));
    assertFalse(r.authenticates(v1, camera, guessed.secret()));
    assertFalse(PairingRecord.create(v1, guessed).authenticates(v1, camera, code.secret()));
    // every bit of the tag
    for (int bit = 0; bit < 256; bit++) {
      byte[] b = good.clone();
      b[45 + bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(PairingRecord.parse(b).authenticates(v1, camera, code.secret()), "tag bit " + bit);
    }
    assertTrue(PairingRecord.parse(good).authenticates(v1, camera, code.secret()));
  }

  @Test
  void createNeedsARosterPinningTheCameraTheCodeNames() {
    Roster noCamera = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone").sign(signer);
    assertThrows(IllegalArgumentException.class, () -> PairingRecord.create(noCamera, code));
    Roster pinsOther = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone").camera(other)
        .sign(signer);
    assertThrows(IllegalArgumentException.class, () -> PairingRecord.create(pinsOther, code));
  }
}
