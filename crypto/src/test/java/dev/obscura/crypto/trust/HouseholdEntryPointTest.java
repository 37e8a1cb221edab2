package dev.obscura.crypto.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.EntropySource;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.NoFootageException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.WrongPassphraseException;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.share.ShareRequest;
import dev.obscura.crypto.share.VerifiedShare;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.crypto.testing.MemoryTrustStore;
import dev.obscura.crypto.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The household entry points an owner's app calls (revoke by fingerprint, recovery, share, verify
 * a share, audit), with the rules enforced in the SDK and the store playing the hostile provider.
 */
class HouseholdEntryPointTest {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static final StreamId STREAM = StreamId.of("porch");
  static final Argon2idParams CHEAP = Argon2idParams.of(19456, 2, 1);

  @TempDir Path tmp;
  final MemStore store = new MemStore();
  final MutableClock clock = new MutableClock(T0);
  final ViewerIdentity phone = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(1));
  final ViewerIdentity tablet = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(2));
  final ViewerIdentity friend = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(6));
  CameraState camera;
  Household home;

  @BeforeEach
  void setUp() throws Exception {
    camera = CameraState.open(tmp.resolve("camera"), KeyProtection.platformKey(tmp.resolve("platform.key")),
        EntropySource.insecureDeterministicForTests(3));
    home = Household.of(store, new MemoryTrustStore(), "mem://home").withClock(clock)
        .withEntropy(EntropySource.insecureDeterministicForTests(7));
    home.create(phone, phone.publicKey(), "phone",
        camera.newPairingCode(EntropySource.insecureDeterministicForTests(4)), camera.identity().publicKey());
  }

  /** Six one-second segments, with a signed manifest every two. */
  void record() throws Exception {
    try (Recorder r = Recorder.builder().store(store).stream(STREAM).camera(camera).clock(clock)
        .chainSigner(camera.identity().signingKey(), 2).entropy(EntropySource.insecureDeterministicForTests(5)).build()) {
      for (int i = 0; i < 6; i++) {
        r.seal(new MediaSegment(i, T0.plusSeconds(i), 1_000_000, 1, 1, new byte[100]));
      }
    }
  }

  ShareRequest.Builder clip(long fromS, long toS) {
    return ShareRequest.builder().stream(STREAM).recipient(friend.publicKey()).reason("parcel")
        .range(StreamRange.all().fromOffset(Duration.ofSeconds(fromS)).toOffset(Duration.ofSeconds(toS)));
  }

  @Test
  void setupIsSignedByTheDeviceItEnrols() throws Exception {
    Household other = Household.of(new MemStore(), new MemoryTrustStore(), "mem://other");
    EnrolmentException e = assertThrows(EnrolmentException.class, () -> other.create(phone, tablet.publicKey(), "x",
        camera.newPairingCode(EntropySource.insecureDeterministicForTests(8)), camera.identity().publicKey()));
    assertEquals(EnrolmentException.Reason.NOT_SELF_SIGNED, e.reason());
    assertEquals(Outcome.USAGE, e.outcome());
  }

  @Test
  void revokeByFingerprintAndTheRulesAroundIt() throws Exception {
    home.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet");
    String fp = home.roster().member(tablet.publicKey()).orElseThrow().fingerprint();
    EnrolmentException unknown = assertThrows(EnrolmentException.class, () -> home.revoke(phone, "12345 12345"));
    assertEquals(EnrolmentException.Reason.NOT_A_MEMBER, unknown.reason());
    assertEquals(Outcome.CONFLICT, unknown.outcome());
    EnrolmentException self = assertThrows(EnrolmentException.class,
        () -> home.revoke(phone, home.roster().member(phone.publicKey()).orElseThrow().fingerprint()));
    assertEquals(Outcome.USAGE, self.outcome());
    Household.Change c = home.revoke(phone, fp.replace(" ", "-"));
    assertTrue(c.roster().member(tablet.publicKey()).isEmpty());
    assertEquals(3, home.roster().version());
  }

  @Test
  void recoveryIsCheckedBeforeItIsDerivedAndRestoresTheArchive() throws Exception {
    home.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet");
    EnrolmentException viewer = assertThrows(EnrolmentException.class,
        () -> home.setRecovery(tablet, "code".toCharArray(), CHEAP));
    assertEquals(Outcome.NO_KEY, viewer.outcome());
    Household lost = Household.of(store, new MemoryTrustStore(), "mem://home");
    KeyUnavailableException none = assertThrows(KeyUnavailableException.class,
        () -> lost.recover("code".toCharArray(), null));
    assertEquals(Outcome.NO_KEY, none.outcome());

    home.setRecovery(phone, "correct horse".toCharArray(), CHEAP);
    WrongPassphraseException wrong = assertThrows(WrongPassphraseException.class,
        () -> lost.recover("wrong horse".toCharArray(), null));
    assertEquals(Outcome.NO_KEY, wrong.outcome());
    Household.Recovered r = lost.recover("correct horse".toCharArray(), null);
    assertEquals(home.roster().recovery().orElseThrow().verifyingKey(), r.identity().signingKey().orElseThrow().verifyingKey());
    // the restored identity may sign the next roster, and the recovery is in the audit log
    lost.enrol(r.identity(), ViewerIdentity.generate().publicKey(), Roster.Role.OWNER, "new phone");
    assertTrue(home.audit().log().entries().stream().anyMatch(e -> e.type() == AuditEntry.Type.RECOVERY));
  }

  @Test
  void shareAndVerifyAShare() throws Exception {
    record();
    Household.Shared s = home.share(phone, clip(1, 3).build(), null);
    VerifiedShare seen = Household.verifyShare(s.grant().encode(), friend);
    assertEquals(2, seen.segments().size());
    assertEquals(1, seen.record().firstSequence());
    assertArrayEquals(new byte[100], seen.segments().get(0).plaintext());
    Household.Audit audit = home.audit();
    assertTrue(audit.verified(), audit.problems().toString());
    assertTrue(audit.log().entries().stream().anyMatch(e -> e.type() == AuditEntry.Type.SHARE));
    String shared = Household.describeEntry(audit.log().entries().get(audit.log().entries().size() - 1));
    assertTrue(shared.contains(s.grant().record().describe().split("\\s+")[1]), shared); // names the grant
    // not the recipient: no key
    assertEquals(Outcome.NO_KEY, assertThrows(KeyUnavailableException.class,
        () -> Household.verifyShare(s.grant().encode(), tablet)).outcome());
  }

  @Test
  void onlyAnOwnerShares() throws Exception {
    home.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet");
    record();
    EnrolmentException e = assertThrows(EnrolmentException.class, () -> home.share(tablet, clip(1, 3).build(), null));
    assertEquals(EnrolmentException.Reason.NOT_AN_OWNER, e.reason());
  }

  @Test
  void rangesThatSelectNothingAreTyped() throws Exception {
    record();
    NoFootageException after = assertThrows(NoFootageException.class, () -> home.share(phone, clip(100, 200).build(), null));
    assertEquals(NoFootageException.Reason.NOT_IN_RANGE, after.reason());
    assertEquals(Outcome.CONFLICT, after.outcome());
    NoFootageException empty = assertThrows(NoFootageException.class, () -> home.share(phone, clip(3, 3).build(), null));
    assertEquals(Outcome.USAGE, empty.outcome());
    NoFootageException noStream = assertThrows(NoFootageException.class, () -> home.share(phone,
        ShareRequest.builder().stream(StreamId.of("garden")).recipient(friend.publicKey()).reason("x").build(), null));
    assertEquals(NoFootageException.Reason.NO_SEGMENTS, noStream.reason());
  }

  @Test
  void hostileStoreDeletesASignedSegmentOutsideTheRange() throws Exception {
    record();
    // the provider drops segment 4: the camera's manifest lists it, so no grant is made, even of [1, 3)
    store.objects.remove(ObjectNames.segment(new SegmentId(STREAM, 4)));
    ChainBrokenException e = assertThrows(ChainBrokenException.class, () -> home.share(phone, clip(1, 3).build(), null));
    assertEquals(Outcome.INTEGRITY, e.outcome());
    assertFalse(home.audit().log().entries().stream().anyMatch(x -> x.type() == AuditEntry.Type.SHARE),
        "nothing was recorded");
  }

  @Test
  void hostileStoreRollsBackTheRosterBeforeAShare() throws Exception {
    home.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet");
    record();
    // the provider hides roster version 2 this device pinned
    store.objects.remove(dev.obscura.crypto.roster.RosterStore.objectName(2));
    TrustException e = assertThrows(TrustException.class, () -> home.share(phone, clip(1, 3).build(), null));
    assertEquals(Outcome.INTEGRITY, e.outcome());
  }
}
