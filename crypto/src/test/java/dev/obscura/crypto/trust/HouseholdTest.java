package dev.obscura.crypto.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.RecoveryKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.crypto.testing.MemoryTrustStore;
import dev.obscura.crypto.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enrolment rules {@link Household} enforces before anything is signed or published. */
class HouseholdTest {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static final StreamId STREAM = StreamId.of("porch");

  @TempDir Path tmp;
  final MemStore store = new MemStore();
  final MutableClock clock = new MutableClock(T0);
  final ViewerIdentity phone = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1));
  final ViewerIdentity tablet = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(2));
  final MemoryTrustStore pins = new MemoryTrustStore();
  CameraState camera;
  Household home;
  long segments;

  @BeforeEach
  void setUp() throws Exception {
    camera = CameraState.open(tmp.resolve("camera"), KeyProtection.platformKey(tmp.resolve("platform.key")),
        EntropySource.insecureDeterministicForTests(3));
    home = Household.of(store, pins, "mem://home").withClock(clock);
  }

  Roster pair() throws Exception {
    PairingCode code = camera.newPairingCode(EntropySource.insecureDeterministicForTests(4));
    return home.create(phone, "phone", code, camera.identity().publicKey()).roster();
  }

  void recordOnce() throws Exception {
    try (Recorder r = Recorder.builder().store(store).stream(STREAM).camera(camera).clock(clock)
        .entropy(EntropySource.insecureDeterministicForTests(5)).build()) {
      r.seal(new dev.obscura.core.MediaSegment(segments++, clock.instant(), 0, 1, 1, new byte[10]));
    }
  }

  @Test
  void setupPublishesVersion1AndItsPairingRecordAndPinsIt() throws Exception {
    Roster v1 = pair();
    assertEquals(1, v1.version());
    assertEquals(camera.identity().publicKey(), v1.camera().orElseThrow());
    assertEquals(T0, v1.created());
    assertTrue(store.objects.containsKey(PairingRecord.objectName(1)));
    StorePin pin = pins.load("mem://home").orElseThrow();
    assertEquals(v1.ref(), pin.roster());
    assertEquals(v1.camera().orElseThrow(), pin.camera());
    assertTrue(pin.auditHead().isPresent(), "the setup's audit entry is pinned");
    EnrolmentException again = assertThrows(EnrolmentException.class, this::pair);
    assertEquals(EnrolmentException.Reason.HAS_ROSTER, again.reason());
  }

  @Test
  void changesNeedARosterAndAnOwner() throws Exception {
    EnrolmentException none = assertThrows(EnrolmentException.class,
        () -> home.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet"));
    assertEquals(EnrolmentException.Reason.NO_ROSTER, none.reason());
    pair();
    home.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet");
    EnrolmentException twice = assertThrows(EnrolmentException.class,
        () -> home.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet"));
    assertEquals(EnrolmentException.Reason.ALREADY_ENROLLED, twice.reason());
    Household tabletHome = Household.of(store, new MemoryTrustStore(), "mem://home");
    EnrolmentException viewer = assertThrows(EnrolmentException.class,
        () -> tabletHome.revoke(tablet, phone.publicKey()));
    assertEquals(EnrolmentException.Reason.NOT_AN_OWNER, viewer.reason());
    EnrolmentException self = assertThrows(EnrolmentException.class, () -> home.revoke(phone, phone.publicKey()));
    assertEquals(EnrolmentException.Reason.SELF_REVOCATION, self.reason());
    assertEquals(2, RosterStore.versions(store).size(), "nothing refused was published");
  }

  @Test
  void aSuccessorIsNeverSignedBeforeItsPredecessorEvenWithALateClock() throws Exception {
    Roster v1 = pair();
    clock.set(T0.minus(Duration.ofHours(1)));
    Roster v2 = home.renew(phone).roster();
    assertEquals(v1.created(), v2.created());
    v2.verifySuccessorOf(v1);
  }

  @Test
  void theRecoveryKeyCannotPairACameraButTheOwnerItEnrolsCan() throws Exception {
    pair();
    RecoveryKey recovery = RecoveryKey.create("pass phrase".toCharArray(), Argon2idParams.of(19456, 2, 1),
        EntropySource.insecureDeterministicForTests(6));
    home.setRecovery(phone, recovery);
    recordOnce();
    // every device lost, the camera reset
    camera.forgetRoster();
    PairingCode code = camera.newPairingCode(EntropySource.insecureDeterministicForTests(7));
    ViewerIdentity restored = recovery.unlock("pass phrase".toCharArray());
    Household recovering = Household.of(store, new MemoryTrustStore(), "mem://home").withClock(clock);
    EnrolmentException e = assertThrows(EnrolmentException.class,
        () -> recovering.pairCamera(restored, code, camera.identity().publicKey()));
    assertEquals(EnrolmentException.Reason.NOT_AN_OWNER, e.reason());
    assertTrue(e.getMessage().contains("enrol a new owner device first"), e.getMessage());
    assertEquals(2, RosterStore.versions(store).size(), "no roster the camera would refuse was published");
    // the way that works: the recovery key enrols a new phone, which pairs the camera
    ViewerIdentity newPhone = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(8));
    recovering.enrol(restored, newPhone.publicKey(), Roster.Role.OWNER, "new phone");
    Roster paired = recovering.pairCamera(newPhone, code, camera.identity().publicKey()).roster();
    recordOnce();
    assertEquals(paired, camera.pinnedRoster().orElseThrow());
  }
}
