package dev.obscura.examples.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.FfmpegLogs;
import dev.obscura.codec.Mp4Probe;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.Outcome;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.share.ShareVerifier;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.TrustStore;
import dev.obscura.examples.scenarios.consentedshare.ConsentedShare;
import dev.obscura.transport.FileSystemSegmentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consented-share scenario with real parts: the filesystem store, the synthetic camera
 * (320x240, 15 fps, 6 s in 1 s segments), seconds 1 to 4 shared with an outside key.
 */
class ConsentedShareScenarioTest {
  static {
    FfmpegLogs.errorsOnly();
  }

  @Test
  void theRecipientVerifiesAndDecryptsTheClipAndNothingElse(@TempDir Path dir) throws Exception {
    ConsentedShare.Result r = ConsentedShare.run(dir, Duration.ofSeconds(6));
    assertEquals(6, r.recordedSegments());
    assertEquals(1, r.record().firstSequence());
    assertEquals(3, r.record().lastSequence(), "seconds 1 to 4 are segments 1, 2 and 3");
    assertEquals(3, r.sharedSegments());
    assertEquals(45, r.clip().frames());
    assertEquals(45, Mp4Probe.probe(r.clipFile()).frames());
    assertTrue(r.record().describe().contains("claim 2026-118"), r.record().describe());

    assertEquals(Outcome.NO_KEY, r.outsideOutcome(), "the recipient's key opens nothing in the store");
    assertEquals(Outcome.MALFORMED, r.cutOutcome(), "a grant with a segment cut out no longer holds what its record signs");
    assertEquals(Outcome.INTEGRITY, r.splicedOutcome(), "a segment from outside the clip breaks the signed chain");

    // the share is in the household's audit log, signed by the owner
    Household.Audit audit = Household.of(new FileSystemSegmentStore(dir.resolve("cloud")), TrustStore.none(), "cloud")
        .audit();
    assertTrue(audit.verified(), audit.problems().toString());
    assertEquals(1, audit.log().entries().stream().filter(e -> e.type() == AuditEntry.Type.SHARE).count());
  }

  @Test
  void anotherKeyCannotOpenTheGrant(@TempDir Path dir) throws Exception {
    ConsentedShare.Result r = ConsentedShare.run(dir, Duration.ofSeconds(5));
    byte[] grant = Files.readAllBytes(r.grantFile());
    KeyUnavailableException e = assertThrows(KeyUnavailableException.class,
        () -> new ShareVerifier().verify(grant, ViewerIdentity.generate()));
    assertEquals(Outcome.NO_KEY, e.outcome());
  }
}
