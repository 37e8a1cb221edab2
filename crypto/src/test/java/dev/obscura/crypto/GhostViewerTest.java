package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.ObjectNames;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterRejectedException.Reason;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.trust.TrustException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A store that injects its own device ("ghost viewer") into the roster gets no wrapped key, and
 * the camera reports the refusal.
 */
class GhostViewerTest {
  enum Attack { UNSIGNED, SIGNED_BY_NON_MEMBER, SIGNED_BY_REVOKED_DEVICE, OLDER_ROSTER_REPLAYED, CONFLICTING_VERSION }

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Attack.class)
  void ghostGetsNoKeyAndTheCameraReportsIt(Attack attack) throws Exception {
    Household h = new Household(tmp, 11);
    ViewerIdentity ghost = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(666));
    ViewerIdentity tablet = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(12));
    Reason expected;
    Roster trusted;
    try (Recorder rec = h.recorder(0)) {
      rec.seal(h.segment());
      if (attack == Attack.SIGNED_BY_REVOKED_DEVICE || attack == Attack.OLDER_ROSTER_REPLAYED
          || attack == Attack.CONFLICTING_VERSION) {
        // the tablet was enrolled (owner-signed), the camera wrapped for it, then it was revoked
        h.enrol(tablet, Roster.Role.OWNER, "tablet");
        rec.seal(h.segment());
        h.revoke(tablet.publicKey());
        rec.seal(h.segment());
        assertEquals(3, h.roster.version());
      }
      int epochsBefore = rec.epochsStarted();
      trusted = h.roster;
      switch (attack) {
        case UNSIGNED -> {
          byte[] forged = forge(trusted.next().add(ghost.publicKey(), Roster.Role.VIEWER, "ghost"), h.owner);
          h.store.put(RosterStore.objectName(trusted.version() + 1), forged);
          expected = Reason.BAD_SIGNATURE;
        }
        case SIGNED_BY_NON_MEMBER -> {
          Roster r = trusted.next().add(ghost.publicKey(), Roster.Role.OWNER, "ghost").sign(Household.sk(ghost));
          h.store.put(RosterStore.objectName(r.version()), r.encoded());
          expected = Reason.SIGNER_NOT_MEMBER;
        }
        case SIGNED_BY_REVOKED_DEVICE -> {
          // the revoked tablet, or whoever stole it, re-enrols itself and a ghost
          Roster r = trusted.next().add(ghost.publicKey(), Roster.Role.VIEWER, "ghost")
              .add(tablet.publicKey(), Roster.Role.OWNER, "tablet").sign(Household.sk(tablet));
          h.store.put(RosterStore.objectName(r.version()), r.encoded());
          expected = Reason.SIGNER_REVOKED;
        }
        case OLDER_ROSTER_REPLAYED -> {
          // the store hides version 3: its newest is version 2, which still lists the tablet
          h.store.objects.remove(RosterStore.objectName(3));
          expected = Reason.ROLLBACK;
          ghost = tablet;
        }
        case CONFLICTING_VERSION -> {
          // another "version 3", signed by the (then still enrolled) tablet, keeps the tablet and adds a ghost
          Roster v2 = RosterStore.read(h.store, 2);
          Roster r = v2.next().add(ghost.publicKey(), Roster.Role.VIEWER, "ghost").sign(Household.sk(tablet));
          h.store.put(RosterStore.objectName(3), r.encoded());
          expected = Reason.ROLLBACK;
        }
        default -> throw new AssertionError();
      }
      rec.seal(h.segment());
      rec.seal(h.segment());
      assertEquals(epochsBefore, rec.epochsStarted(), "a refused roster starts no epoch");
      assertEquals(trusted, rec.roster().orElseThrow(), "the camera keeps its roster");
      assertEquals(1, h.refused.size(), "reported once: " + h.refused);
      assertEquals(expected, h.refused.get(0).reason(), h.refused.get(0).getMessage());
    }
    // the owner's device pinned what it signed: a store that hides or replaces version 3 is refused
    // outright (nothing is read from it), and must put it back to be read at all
    if (attack == Attack.OLDER_ROSTER_REPLAYED || attack == Attack.CONFLICTING_VERSION) {
      TrustException refused = assertThrows(TrustException.class, () -> h.open(h.owner));
      assertEquals(attack == Attack.OLDER_ROSTER_REPLAYED ? TrustException.Reason.ROLLBACK : TrustException.Reason.FORK,
          refused.reason(), refused.getMessage());
      h.store.put(RosterStore.objectName(3), trusted.encoded());
    } else {
      assertFalse(h.open(h.owner).warnings().isEmpty(), "the owner's device reports the refused version");
    }
    // the ghost cannot open the current epoch's envelope, nor read any segment
    long last = h.nextIndex - 1;
    EpochId epoch = dev.obscura.crypto.segment.SegmentFormat.readHead(
        h.store.open(ObjectNames.segment(new dev.obscura.core.SegmentId(Household.STREAM, last)))).header().epoch();
    byte[] env = h.store.objects.get(ObjectNames.envelope(Household.STREAM, epoch));
    final ViewerIdentity g = ghost;
    assertThrows(KeyUnavailableException.class, () -> KeyEnvelope.open(env, g));
    assertThrows(KeyUnavailableException.class, () -> h.read(g, last - 1, last));
    // the owner still reads everything, and every envelope is the camera's, for a verified roster
    assertEquals(h.nextIndex, h.read(h.owner, 0, last).size());
    KeyEnvelope.parse(env).verifySignature(List.of(h.camera.identity().publicKey()));
    assertEquals(trusted.ref(), KeyEnvelope.parse(env).rosterRef().orElseThrow());
  }

  /** A roster that claims the owner as signer, with a signature that is not the owner's. */
  private static byte[] forge(Roster.Builder b, ViewerIdentity claimed) throws Exception {
    byte[] real = b.sign(Household.sk(claimed)).encoded();
    Arrays.fill(real, real.length - 64, real.length, (byte) 0);
    return real;
  }

  static {
    // keep the import used on all JDKs
    SignaturePurpose.values();
  }
}
