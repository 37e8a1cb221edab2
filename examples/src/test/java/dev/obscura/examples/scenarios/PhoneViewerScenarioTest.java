package dev.obscura.examples.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.codec.FfmpegLogs;
import dev.obscura.codec.Mp4Probe;
import dev.obscura.core.Outcome;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.trust.EnrolmentCode;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.TrustException;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.examples.scenarios.phoneviewer.PhoneViewer;
import dev.obscura.transport.FileSystemSegmentStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phone-viewer scenario with real parts: the filesystem store, the synthetic camera (320x240,
 * 15 fps; 3 s recorded in 1 s segments, 2 s live), a relay on loopback, and the provider's old
 * copy of the store.
 */
class PhoneViewerScenarioTest {
  static {
    FfmpegLogs.errorsOnly();
  }

  @Test
  void theTabletEnrolsExportsTheNewestClipWatchesLiveAndRefusesARolledBackStore(@TempDir Path dir) throws Exception {
    PhoneViewer.Result r = PhoneViewer.run(dir, Duration.ofSeconds(3), Duration.ofSeconds(2));
    assertEquals(VerifiedStore.FirstContact.ENROLMENT_CODE, r.firstContact(), "the first roster was authenticated");
    assertEquals(2, r.pinnedVersion());
    assertEquals(List.of(PhoneViewer.PORCH), r.streams());
    assertEquals(3, r.recordedSegments());
    assertEquals(1, r.newestClip().segments(), "the newest clip is the last segment");
    assertEquals(15, r.newestClip().frames());
    assertEquals(15, Mp4Probe.probe(r.clipFile()).frames());
    assertEquals(30, r.framesPublished());
    assertEquals(30, r.framesSeenLive(), "the tablet verified every live frame");
    assertEquals(0, r.liveRefused());
    assertEquals(Outcome.INTEGRITY, r.rollbackOutcome());
    assertEquals(TrustException.Reason.ROLLBACK, r.rollbackReason());
  }

  @Test
  void aFirstContactWhoseRosterIsNotTheOneTheCodeNamesIsRefused(@TempDir Path dir) throws Exception {
    // the store shows a household of its own making to a device that holds another household's code
    Path store = dir.resolve("cloud");
    ViewerIdentity owner = ViewerIdentity.generate();
    ViewerIdentity tablet = ViewerIdentity.generate();
    Household real = Household.of(new FileSystemSegmentStore(dir.resolve("real")), FileTrustStore.besideKeyFile(
        dir.resolve("owner.key")), "real");
    dev.obscura.crypto.keys.CameraIdentity cam = dev.obscura.crypto.keys.CameraIdentity.generate(
        dev.obscura.core.EntropySource.system());
    real.create(owner, "owner", dev.obscura.crypto.trust.PairingCode.generate(cam.publicKey(),
        dev.obscura.core.EntropySource.system()), cam.publicKey());
    EnrolmentCode code = real.enrol(owner, tablet.publicKey(), Roster.Role.VIEWER, "tablet").enrolmentCode();
    Household ghost = Household.of(new FileSystemSegmentStore(store), FileTrustStore.besideKeyFile(
        dir.resolve("ghost.key")), "cloud");
    ViewerIdentity provider = ViewerIdentity.generate();
    dev.obscura.crypto.keys.CameraIdentity ghostCam = dev.obscura.crypto.keys.CameraIdentity.generate(
        dev.obscura.core.EntropySource.system());
    ghost.create(provider, "provider", dev.obscura.crypto.trust.PairingCode.generate(ghostCam.publicKey(),
        dev.obscura.core.EntropySource.system()), ghostCam.publicKey());
    ghost.enrol(provider, tablet.publicKey(), Roster.Role.VIEWER, "tablet");

    Household onTablet = Household.of(new FileSystemSegmentStore(store), FileTrustStore.besideKeyFile(
        dir.resolve("tablet.key")), "cloud");
    TrustException e = assertThrows(TrustException.class, () -> onTablet.open(EnrolmentCode.parse(code.toString())));
    assertEquals(TrustException.Reason.ENROLMENT_CODE, e.reason());
    assertEquals(Outcome.INTEGRITY, e.outcome());
  }
}
