package dev.obscura.crypto.roster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.crypto.keys.RecoveryKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.roster.RosterRejectedException.Reason;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.crypto.trust.NotPairedException;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.crypto.trust.PairingRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RosterTest {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  final ViewerIdentity owner = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1));
  final ViewerIdentity tablet = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(2));
  final ViewerIdentity laptop = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(3));
  final ViewerIdentity stranger = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(4));

  static SigningKey sk(ViewerIdentity id) {
    return id.signingKey().orElseThrow();
  }

  Roster v1() {
    return Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone").sign(sk(owner));
  }

  @Test
  void encodesCanonicallyAndParsesBack() throws Exception {
    RecoveryKey rec = RecoveryKey.create("correct horse".toCharArray(), Argon2idParams.of(19456, 2, 1),
        EntropySource.insecureDeterministicForTests(9));
    Roster v1 = v1();
    Roster v2 = v1.next().created(T0.plusSeconds(60)).add(tablet.publicKey(), Roster.Role.VIEWER, "tablet")
        .add(laptop.publicKey(), Roster.Role.OWNER, "laptop")
        .camera(SigningKey.generate(EntropySource.insecureDeterministicForTests(5)).verifyingKey())
        .recovery(rec).sign(sk(owner));
    Roster back = Roster.parse(v2.encoded());
    assertEquals(v2, back);
    assertArrayEquals(v2.digest(), back.digest());
    assertEquals(3, back.members().size());
    assertEquals(rec, back.recovery().orElseThrow());
    assertEquals(4, back.recipients().size(), "three members and the recovery key");
    assertTrue(back.camera().isPresent());
    assertEquals(2, back.version());
    assertArrayEquals(v1.digest(), back.previousDigest());
    v2.verifySuccessorOf(v1);
    v1.verifyGenesis();
    assertTrue(v2.fingerprint().matches("\\d{5}( \\d{5}){5}"));
    // members are sorted whatever the order they were added in
    Roster other = v1.next().created(T0.plusSeconds(60)).add(laptop.publicKey(), Roster.Role.OWNER, "laptop")
        .add(tablet.publicKey(), Roster.Role.VIEWER, "tablet")
        .camera(SigningKey.generate(EntropySource.insecureDeterministicForTests(5)).verifyingKey())
        .recovery(rec).sign(sk(owner));
    assertArrayEquals(v2.encoded(), other.encoded());
    assertTrue(v2.toString().contains(v2.fingerprint()));
  }

  @Test
  void fingerprintsAreStable() {
    // Same keys, same time: the same bytes (Ed25519 is deterministic), the same safety numbers.
    Roster a = v1();
    Roster b = Roster.genesis().created(T0).add(
        ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1)).publicKey(), Roster.Role.OWNER, "phone")
        .sign(sk(ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1))));
    assertEquals(a.fingerprint(), b.fingerprint());
    assertEquals(owner.fingerprint(), ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1)).fingerprint());
    assertNotEquals(a.fingerprint(), Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone2")
        .sign(sk(owner)).fingerprint());
    // golden values: a change here is a format change
    assertEquals(GOLDEN_DEVICE, owner.fingerprint());
    assertEquals(GOLDEN_ROSTER, a.fingerprint());
  }

  static final String GOLDEN_DEVICE = "01787 57141 78957 78014 48744 77329";
  /** Roster format 2 (format 1 was "33331 24679 49435 15956 32644 29902"). */
  static final String GOLDEN_ROSTER = "19795 16369 72457 14263 13147 78089";

  @Test
  void everyBitFlipOfASmallRosterIsRejected() throws Exception {
    // Every bit of a one-member version 1 (about 1,700 flips), and of the parts of a version 2
    // that chain it to version 1 (version, previous digest) are checked.
    Roster v1 = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "").sign(sk(owner));
    checkFlips(v1.encoded(), null, 0, v1.encoded().length * 8);
    Roster v2 = v1.next().created(T0).sign(sk(owner));
    byte[] e = v2.encoded();
    checkFlips(e, v1, 5 * 8, 45 * 8);
  }

  private static void checkFlips(byte[] good, Roster previous, int fromBit, int toBit) {
    for (int bit = fromBit; bit < toBit; bit++) {
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      try {
        Roster r = Roster.parse(bad);
        if (previous == null) {
          r.verifyGenesis();
        } else {
          r.verifySuccessorOf(previous);
        }
        fail("bit " + bit + " flipped was accepted");
      } catch (MalformedDataException | RosterRejectedException expected) {
        // refused
      }
    }
  }

  @Test
  void successorRules() throws Exception {
    Roster v1 = v1();
    Roster v2 = v1.next().add(tablet.publicKey(), Roster.Role.VIEWER, "tablet")
        .add(laptop.publicKey(), Roster.Role.OWNER, "laptop").sign(sk(owner));
    v2.verifySuccessorOf(v1);
    assertReason(Reason.SIGNER_NOT_OWNER, v2.next().add(stranger.publicKey(), Roster.Role.VIEWER, "").sign(sk(tablet)), v2);
    assertReason(Reason.SIGNER_NOT_MEMBER, v2.next().add(stranger.publicKey(), Roster.Role.VIEWER, "").sign(sk(stranger)), v2);
    assertReason(Reason.SIGNER_REMOVED, v2.next().revoke(laptop.publicKey()).sign(sk(laptop)), v2);
    Roster otherV1 = Roster.genesis().created(T0.plusSeconds(1)).add(owner.publicKey(), Roster.Role.OWNER, "").sign(sk(owner));
    assertReason(Reason.NOT_SUCCESSOR, v2, otherV1);
    Roster v3 = v2.next().revoke(laptop.publicKey()).sign(sk(owner));
    v3.verifySuccessorOf(v2);
    assertEquals(1, v3.revokedKeyIds().size());
    assertReason(Reason.SIGNER_REVOKED, v3.next().add(stranger.publicKey(), Roster.Role.VIEWER, "").sign(sk(laptop)), v3);
    assertReason(Reason.ROLLBACK, v2, v3);
    assertReason(Reason.ROLLBACK, v1, v3);
    // skipping a version
    Roster v4 = v3.next().sign(sk(owner));
    Roster v5 = v4.next().sign(sk(owner));
    assertReason(Reason.NOT_SUCCESSOR, v5, v3);
    // a fork: another v4 does not follow the trusted v4
    Roster fork = v3.next().add(stranger.publicKey(), Roster.Role.VIEWER, "").sign(sk(owner));
    assertReason(Reason.ROLLBACK, fork, v4);
    // a version 1 signed by a non-member, or by a viewer
    assertThrows(RosterRejectedException.class,
        () -> Roster.genesis().add(owner.publicKey(), Roster.Role.OWNER, "").sign(sk(stranger)).verifyGenesis());
    // there must be an owner
    assertThrows(IllegalArgumentException.class,
        () -> Roster.genesis().add(owner.publicKey(), Roster.Role.VIEWER, "").sign(sk(owner)));
  }

  @Test
  void theRecoveryKeyMaySignTheNextRoster() throws Exception {
    RecoveryKey rec = RecoveryKey.create("pass phrase".toCharArray(), Argon2idParams.of(19456, 2, 1),
        EntropySource.insecureDeterministicForTests(3));
    Roster v2 = v1().next().recovery(rec).sign(sk(owner));
    ViewerIdentity restored = rec.unlock("pass phrase".toCharArray());
    Roster v3 = v2.next().revoke(owner.publicKey()).add(tablet.publicKey(), Roster.Role.OWNER, "new phone")
        .sign(sk(restored));
    v3.verifySuccessorOf(v2);
    assertEquals("the recovery key", v3.signerDescription(v2));
  }

  @Test
  void storeChainStopsAtTheFirstInvalidVersion() throws Exception {
    MemStore store = new MemStore();
    Roster v1 = v1();
    Roster v2 = v1.next().add(tablet.publicKey(), Roster.Role.VIEWER, "").sign(sk(owner));
    Roster ghost = v2.next().add(stranger.publicKey(), Roster.Role.VIEWER, "").sign(sk(stranger));
    RosterStore.publish(store, v1);
    RosterStore.publish(store, v2);
    store.put(RosterStore.objectName(3), ghost.encoded());
    RosterStore.Chain chain = RosterStore.verifiedChain(store);
    assertEquals(List.of(v1, v2), chain.verified());
    assertEquals(Reason.SIGNER_NOT_MEMBER, chain.refused().get(0).reason());
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> RosterStore.publish(store, v2));
  }

  @Test
  void guardRefusesRollbackAndKeepsItsPin() throws Exception {
    MemStore store = new MemStore();
    SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(7));
    PairingCode code = PairingCode.generate(camera.verifyingKey(), EntropySource.insecureDeterministicForTests(8));
    MemoryPin pin = new MemoryPin(code);
    RosterGuard guard = new RosterGuard(store, pin, camera.verifyingKey(), Duration.ZERO);
    Roster v1 = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone")
        .camera(camera.verifyingKey()).sign(sk(owner));
    Roster v2 = v1.next().created(T0).add(tablet.publicKey(), Roster.Role.VIEWER, "").sign(sk(owner));
    Roster v3 = v2.next().created(T0).revoke(tablet.publicKey()).sign(sk(owner));
    store.put(PairingRecord.objectName(1), PairingRecord.create(v1, code).encode());
    RosterStore.publish(store, v1);
    RosterStore.publish(store, v2);
    RosterStore.publish(store, v3);
    assertEquals(Optional.of(v3), guard.refresh().accepted());
    assertArrayEquals(v3.encoded(), pin.bytes);
    assertTrue(pin.pairing().isEmpty(), "pinning forgets the pairing secret");
    // the store hides v3: its newest is v2, which still lists the tablet
    store.objects.remove(RosterStore.objectName(3));
    RosterGuard.Update u = guard.refresh();
    assertTrue(u.accepted().isEmpty());
    assertEquals(Reason.ROLLBACK, u.refused().get(0).reason());
    assertEquals(Optional.of(v3), guard.current());
    assertTrue(guard.refresh().refused().isEmpty(), "reported once");
    // a fresh guard on the same pin (camera restart) also keeps v3
    RosterGuard restarted = new RosterGuard(store, pin, camera.verifyingKey(), Duration.ZERO);
    RosterGuard.Update r = restarted.refresh();
    assertEquals(Optional.of(v3), restarted.current());
    assertEquals(Reason.ROLLBACK, r.refused().get(0).reason());
  }

  @Test
  void guardWithoutPinOrPairingSecretRefusesToStart() throws Exception {
    MemStore store = new MemStore();
    SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(7));
    Roster v1 = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone")
        .camera(camera.verifyingKey()).sign(sk(owner));
    RosterStore.publish(store, v1);
    // trust on first use is gone: a valid, self-signed version 1 alone does not pair the camera
    RosterGuard guard = new RosterGuard(store, new MemoryPin(null), camera.verifyingKey(), Duration.ZERO);
    assertThrows(NotPairedException.class, guard::refresh);
    assertTrue(guard.current().isEmpty());
  }

  static final class MemoryPin implements RosterGuard.Pin {
    byte[] bytes;
    PairingCode pairing;

    MemoryPin(PairingCode pairing) {
      this.pairing = pairing;
    }

    @Override
    public Optional<byte[]> load() {
      return Optional.ofNullable(bytes);
    }

    @Override
    public void save(Roster roster) {
      bytes = roster.encoded();
      pairing = null;
    }

    @Override
    public Optional<PairingCode> pairing() {
      return Optional.ofNullable(pairing);
    }
  }

  private static void assertReason(Reason reason, Roster candidate, Roster trusted) {
    RosterRejectedException e = assertThrows(RosterRejectedException.class, () -> candidate.verifySuccessorOf(trusted));
    assertEquals(reason, e.reason(), e.getMessage());
  }
}
