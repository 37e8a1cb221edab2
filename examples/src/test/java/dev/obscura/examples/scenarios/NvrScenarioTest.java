package dev.obscura.examples.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.codec.FfmpegLogs;
import dev.obscura.codec.Mp4Probe;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.examples.scenarios.nvr.Nvr;
import dev.obscura.transport.FileSystemSegmentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NVR scenario with real parts: three synthetic cameras (320x240, 15 fps, 4 s in 1 s segments)
 * sealed by one NVR into one filesystem store; the tablet revoked after two segments of each.
 */
class NvrScenarioTest {
  static {
    FfmpegLogs.errorsOnly();
  }

  static final List<StreamId> CAMERAS = List.of(StreamId.of("camera-1"), StreamId.of("camera-2"), StreamId.of("camera-3"));

  @Test
  void theOwnerExportsEveryStreamAndTheRevokedTabletOpensNothingSealedAfterItsRevocation(@TempDir Path dir)
      throws Exception {
    Nvr.Result r = Nvr.run(dir, 3, 4);
    assertEquals(CAMERAS, r.listed());
    assertEquals(3, r.rosterVersion(), "setup, the tablet's enrolment, its revocation");
    for (StreamId id : CAMERAS) {
      Nvr.StreamResult s = r.streams().get(id);
      assertEquals(4, s.recordedSegments(), id.toString());
      assertEquals(60, s.recordedFrames(), id.toString());
      assertEquals(60, s.exported().frames(), id + ": the owner's export holds every frame");
      assertEquals(60, Mp4Probe.probe(dir.resolve(id + ".mp4")).frames());
      assertEquals(2, s.tabletOpened(), id + ": what was sealed before the revocation stays readable to the tablet");
      assertEquals(2, s.tabletRefusedAt(), id + ": the first segment after the revocation is refused");
      assertEquals(Outcome.NO_KEY, s.tabletOutcome());
    }
    ScenarioFiles.assertCiphertextOnly(dir.resolve("cloud"), dir.resolve("camera-1.mp4"));
  }

  @Test
  void aSegmentMovedFromAnotherCameraIsRefused(@TempDir Path dir) throws Exception {
    Nvr.run(dir, 2, 2);
    Path cloud = dir.resolve("cloud");
    // the store serves camera-2's segment 1 as camera-1's: same NVR, same household, same epoch number
    Files.copy(cloud.resolve(ObjectNames.segment(new SegmentId(CAMERAS.get(1), 1))),
        cloud.resolve(ObjectNames.segment(new SegmentId(CAMERAS.get(0), 1))), StandardCopyOption.REPLACE_EXISTING);
    Household home = Household.of(new FileSystemSegmentStore(cloud),
        FileTrustStore.besideKeyFile(dir.resolve("owner.key")), "cloud");
    ViewerIdentity owner = ViewerIdentity.readFrom(dir.resolve("owner.key"),
        KeyProtection.platformKey(dir.resolve("owner-keystore.key")));
    ObscuraException e = assertThrows(IntegrityException.class,
        () -> Clips.export(home.open(null), owner, CAMERAS.get(0), StreamRange.all(), dir.resolve("x.mp4")));
    assertEquals(Outcome.INTEGRITY, e.outcome());
    assertEquals(false, Files.exists(dir.resolve("x.mp4")), "nothing written");
  }
}
