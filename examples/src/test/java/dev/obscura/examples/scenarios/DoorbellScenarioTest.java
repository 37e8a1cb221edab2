package dev.obscura.examples.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.FfmpegLogs;
import dev.obscura.codec.Mp4Probe;
import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentId;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.examples.scenarios.doorbell.Doorbell;
import dev.obscura.transport.FileSystemSegmentStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doorbell scenario with real parts: the filesystem store, a relay on loopback, the synthetic
 * camera (320x240, 15 fps): 2 s live, 3 s recorded in 1 s segments. Then the store turns hostile.
 */
class DoorbellScenarioTest {
  static {
    FfmpegLogs.errorsOnly();
  }

  @Test
  void thePhoneWatchesLiveThenExportsTheVerifiedVisit(@TempDir Path dir) throws Exception {
    Doorbell.Result r = Doorbell.run(dir, Duration.ofSeconds(2), Duration.ofSeconds(3));

    assertEquals(30, r.framesPublished(), "2 s at 15 fps");
    assertEquals(r.framesPublished(), r.framesSeenLive(), "the phone verified every live frame");
    assertEquals(0, r.liveRefused());
    assertEquals(0, r.eavesdropperFrames(), "a relay insider with the subscribe token decrypts nothing");
    assertEquals(r.framesPublished(), r.eavesdropperNoKey(), "it got every frame, sealed");

    assertEquals(45, r.framesRecorded(), "3 s at 15 fps");
    assertEquals(3, r.segmentsRecorded());
    assertTrue(r.clipVerified(), r.toString());
    Mp4Probe.Result probe = Mp4Probe.probe(r.clipFile());
    assertEquals(45, probe.frames());
    assertEquals(320, probe.width());
    ScenarioFiles.assertCiphertextOnly(dir.resolve("cloud"), r.clipFile());
  }

  @Test
  void aStoreThatAltersOrDropsTheVisitIsRefused(@TempDir Path dir) throws Exception {
    Doorbell.run(dir, Duration.ofSeconds(1), Duration.ofSeconds(3));
    Path cloud = dir.resolve("cloud");
    Household home = Household.of(new FileSystemSegmentStore(cloud),
        FileTrustStore.besideKeyFile(dir.resolve("phone.key")), "cloud");
    ViewerIdentity phone = ViewerIdentity.readFrom(dir.resolve("phone.key"),
        KeyProtection.platformKey(dir.resolve("phone-keystore.key")));
    Path out = dir.resolve("again.mp4");

    // one byte of the middle segment's ciphertext changed
    Path middle = cloud.resolve(ObjectNames.segment(new SegmentId(Doorbell.FRONT_DOOR, 1)));
    byte[] saved = ScenarioFiles.flipLastByte(middle);
    ObscuraException altered = assertThrows(IntegrityException.class,
        () -> Clips.export(home.open(null), phone, Doorbell.FRONT_DOOR, StreamRange.all(), out));
    assertEquals(Outcome.INTEGRITY, altered.outcome());
    java.nio.file.Files.write(middle, saved);

    // the newest segment withheld: the camera's signed manifest lists it
    java.nio.file.Files.delete(cloud.resolve(ObjectNames.segment(new SegmentId(Doorbell.FRONT_DOOR, 2))));
    ObscuraException dropped = assertThrows(ChainBrokenException.class,
        () -> Clips.export(home.open(null), phone, Doorbell.FRONT_DOOR, StreamRange.all(), out));
    assertEquals(Outcome.INTEGRITY, dropped.outcome());
  }
}
