package dev.obscura.crypto;

import static dev.obscura.crypto.testing.ByteSearch.indexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.crypto.keys.RecoveryKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.WrongPassphraseException;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.transport.testing.SecretScan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With every device lost, the recovery code restores access to the archive; a wrong one is a typed error. */
class RecoveryTest {
  /** Cheap costs for tests; the default is measured once below. Below the floor: never in a roster. */
  static final Argon2idParams FAST = Argon2idParams.of(1024, 1, 1);
  /** The cheapest costs a roster's recovery key may have ({@link Argon2idParams.Floor#DEFAULT}). */
  static final Argon2idParams AT_FLOOR = Argon2idParams.of(19456, 2, 1);

  @TempDir Path tmp;

  @Test
  void recoveryWithAllDevicesDeleted() throws Exception {
    Household h = new Household(tmp, 41);
    Path phoneKey = tmp.resolve("phone.key");
    h.owner.writeTo(phoneKey, h.platform);
    String code = RecoveryKey.newRecoveryCode(EntropySource.insecureDeterministicForTests(42));
    assertTrue(code.matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){5}"), code);
    try (Recorder rec = h.recorder(2)) {
      rec.seal(h.segment()); // sealed before recovery init: not recoverable, by design
      rec.seal(h.segment());
      h.roster = h.sdk.setRecovery(h.owner, RecoveryKey.create(code.toCharArray(), AT_FLOOR,
          EntropySource.insecureDeterministicForTests(43))).roster();
      for (int i = 0; i < 5; i++) {
        rec.seal(h.segment());
      }
    }
    // every device is lost
    Files.delete(phoneKey);

    // the pins went with the devices: the roster chain is read as a first contact (the recovery
    // key in it unlocks only with the code, which authenticates it)
    VerifiedStore view = VerifiedStore.builder().store(h.store).open();
    assertEquals(VerifiedStore.FirstContact.TRUST_ON_FIRST_USE, view.firstContact());
    Roster latest = view.roster().orElseThrow();
    RecoveryKey published = latest.recovery().orElseThrow();
    String typed = code.replace("-", " ").toLowerCase(Locale.ROOT);
    ViewerIdentity restored = published.unlock(typed.toCharArray());
    assertEquals(5, h.read(restored, 2, 6).size());
    assertThrows(KeyUnavailableException.class, () -> h.read(restored, 0, 1));

    // the restored identity may sign the next roster: it enrols a new phone
    ViewerIdentity newPhone = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(44));
    h.roster = latest;
    h.publish(b -> b.revoke(h.owner.publicKey()).add(newPhone.publicKey(), Roster.Role.OWNER, "new phone"), restored);
    try (Recorder rec = h.recorder(2)) {
      rec.seal(h.segment());
      assertEquals(3, rec.roster().orElseThrow().version());
      assertTrue(h.refused.isEmpty(), h.refused.toString());
    }
    assertEquals(1, h.read(newPhone, 7, 7).size());
    assertThrows(KeyUnavailableException.class, () -> h.read(h.owner, 7, 7));
  }

  @Test
  void wrongPassphraseIsATypedErrorWithoutTheSecret() throws Exception {
    RecoveryKey published = RecoveryKey.create("correct horse battery".toCharArray(), FAST,
        EntropySource.insecureDeterministicForTests(1));
    WrongPassphraseException e = assertThrows(WrongPassphraseException.class,
        () -> published.unlock("correct horse battery!".toCharArray()));
    // neither passphrase, nor any 8 characters of either (plain, or their bytes in any encoding),
    // in the message or the toString
    SecretScan scan = new SecretScan().put("passphrase", "correct horse battery".getBytes(StandardCharsets.UTF_8))
        .put("wrong one", "correct horse battery!".getBytes(StandardCharsets.UTF_8));
    assertEquals(java.util.List.of(), scan.leaks(e.getMessage() + "\n" + published));
    assertEquals(published.recipient(), published.unlock("correct horse battery".toCharArray()).publicKey());
    assertEquals(published,
        RecoveryKey.decode(published.encode(), Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS));
  }

  @Test
  void recoveryKeysBelowTheFloorAreRefused() throws Exception {
    RecoveryKey cheap = RecoveryKey.create("correct horse battery".toCharArray(), FAST,
        EntropySource.insecureDeterministicForTests(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RecoveryKey.decode(cheap.encode()));
    assertTrue(e.getMessage().contains("Argon2id memory m=1024 KiB is below the floor of 19456 KiB"),
        e.getMessage());
    RecoveryKey atFloor = RecoveryKey.create("correct horse battery".toCharArray(), AT_FLOOR,
        EntropySource.insecureDeterministicForTests(1));
    assertEquals(atFloor, RecoveryKey.decode(atFloor.encode()));
    // each field on its own: t = 1 at the floor's memory
    byte[] oneIteration = atFloor.encode();
    java.nio.ByteBuffer.wrap(oneIteration).putInt(RecoveryKey.ENCODED_BYTES - 5, 1);
    e = assertThrows(IllegalArgumentException.class, () -> RecoveryKey.decode(oneIteration));
    assertTrue(e.getMessage().contains("Argon2id iterations t=1 is below the floor of 2"), e.getMessage());
    // the maxima still apply
    byte[] huge = atFloor.encode();
    java.nio.ByteBuffer.wrap(huge).putInt(RecoveryKey.ENCODED_BYTES - 9, Argon2idParams.MAX_MEMORY_KIB + 1);
    assertThrows(IllegalArgumentException.class,
        () -> RecoveryKey.decode(huge, Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS));

    // a roster cannot be signed with such a key ...
    ViewerIdentity owner = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(2));
    dev.obscura.crypto.sign.SigningKey sk = owner.signingKey().orElseThrow();
    Roster.Builder b = Roster.genesis().add(owner.publicKey(), Roster.Role.OWNER, "phone");
    assertThrows(IllegalArgumentException.class, () -> b.recovery(cheap).sign(sk));
    // ... and one planted in the store with its costs lowered (re-signed) does not parse
    Roster good = Roster.genesis().add(owner.publicKey(), Roster.Role.OWNER, "phone").recovery(atFloor).sign(sk);
    byte[] planted = good.encoded();
    int at = indexOf(planted, atFloor.encode());
    assertTrue(at > 0);
    System.arraycopy(cheap.encode(), 0, planted, at, RecoveryKey.ENCODED_BYTES);
    byte[] body = java.util.Arrays.copyOf(planted, planted.length - 64);
    System.arraycopy(sk.sign(dev.obscura.crypto.sign.SignaturePurpose.ROSTER, body), 0, planted, body.length, 64);
    dev.obscura.core.MalformedDataException m = assertThrows(dev.obscura.core.MalformedDataException.class,
        () -> Roster.parse(planted));
    assertTrue(m.getMessage().contains("recovery key") && m.getMessage().contains("memory m=1024"), m.getMessage());
  }

  /**
   * A recovery key made at the default costs carries them in its public encoding, and its
   * passphrase unlocks it (its time is measured in the benchmarks module, {@code
   * Argon2idBenchmark}).
   */
  @Test
  void aRecoveryKeyAtTheDefaultCostsRecordsThemAndUnlocks() throws Exception {
    RecoveryKey k = RecoveryKey.create("x".toCharArray(), Argon2idParams.DEFAULT,
        EntropySource.insecureDeterministicForTests(2));
    byte[] enc = k.encode();
    assertEquals(RecoveryKey.ENCODED_BYTES, enc.length);
    // ... || salt (16) || u32 memory KiB || u32 iterations || u8 parallelism, at the end
    java.nio.ByteBuffer costs = java.nio.ByteBuffer.wrap(enc, enc.length - 9, 9);
    assertEquals(65536, costs.getInt());
    assertEquals(3, costs.getInt());
    assertEquals(1, costs.get());
    RecoveryKey decoded = RecoveryKey.decode(enc);
    assertEquals(k, decoded);
    assertEquals(k.recipient().fingerprint(), decoded.unlock("x".toCharArray()).publicKey().fingerprint());
  }
}
