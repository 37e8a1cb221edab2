package dev.obscura.examples.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StoredObject;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.chain.ChainVerifier;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.transport.FileSystemSegmentStore;
import dev.obscura.transport.testing.KilledChild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A paired camera killed with SIGKILL at seeded random points and restarted, with the store
 * truncated behind its back between two runs: no sequence number is ever acknowledged twice, no
 * manifest object ever changes once written, and every acknowledged segment is covered by a
 * camera-signed manifest after the last restart. {@code -Dobscura.camera.kills=N} (default 6) and
 * {@code -Dobscura.fault.seed}.
 */
class CameraKillTest {
  @TempDir Path work;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES) // hang guard only
  void killedAndTruncatedTheCameraNeverReusesANumberNorOverwritesAManifest() throws Exception {
    int kills = Integer.getInteger("obscura.camera.kills", 6);
    Random random = new Random(Long.getLong("obscura.fault.seed", 20261201L));
    Path storeDir = work.resolve("store");
    Path cameraDir = work.resolve("camera");
    Path platform = work.resolve("platform.key");
    FileSystemSegmentStore store = new FileSystemSegmentStore(storeDir);
    CameraState camera = CameraState.open(cameraDir, KeyProtection.platformKey(platform), EntropySource.system());
    PairingCode code = camera.newPairingCode(EntropySource.system());
    Household.publishCameraKey(store, camera.identity().publicKey());
    ViewerIdentity phone = ViewerIdentity.generate();
    Household.of(store, FileTrustStore.besideKeyFile(work.resolve("phone.key")), "kill-test")
        .create(phone, "phone", PairingCode.parse(code.toCodeString()), null);

    List<Long> acknowledged = new ArrayList<>();
    Map<String, byte[]> manifests = new HashMap<>();
    long truncated = 0;
    TreeSet<Long> deleted = new TreeSet<>();
    TreeSet<Long> ackedWhenTruncated = new TreeSet<>();
    for (int run = 0; run < kills; run++) {
      acknowledged.addAll(runAndKill(storeDir, cameraDir, platform, run, random));
      checkManifestsUnchanged(store, manifests);
      if (run == kills / 2) {
        // the store drops the two newest acknowledged segments behind the camera's back
        TreeSet<Long> present = segments(store);
        ackedWhenTruncated.addAll(acknowledged);
        for (int i = 0; i < 2 && !present.isEmpty(); i++) {
          long last = present.pollLast();
          deleted.add(last);
          Files.delete(storeDir.resolve(ObjectNames.segment(new SegmentId(CameraKillMain.STREAM, last))));
          truncated++;
        }
      }
    }
    // a last, orderly start and stop: the restart signs what was pending, close signs the rest
    CameraState again = CameraState.open(cameraDir, KeyProtection.platformKey(platform), EntropySource.system());
    try (Recorder r = Recorder.builder().store(store).stream(CameraKillMain.STREAM).camera(again)
        .chainSigner(again.identity().signingKey(), 3).build()) {
      // every acknowledged segment the store deleted is reported, and nothing else: a deleted one
      // still in flight at the kill (committed, its head not yet written) is sealed again under its
      // number, one whose head was written just before the kill (not yet printed) counts as a gap
      long deletedAcknowledged = deleted.stream().filter(ackedWhenTruncated::contains).count();
      assertTrue(r.storeGaps() >= deletedAcknowledged && r.storeGaps() <= deleted.size(),
          "the truncation is reported: " + r.storeGaps() + " gap(s), deleted " + deleted + ", of them acknowledged "
              + deletedAcknowledged);
    }
    checkManifestsUnchanged(store, manifests);

    assertEquals(new TreeSet<>(acknowledged).size(), acknowledged.size(),
        "a sequence number was acknowledged twice: " + acknowledged);
    ChainVerifier chain = ChainVerifier.load(store, CameraKillMain.STREAM, camera.identity().publicKey());
    for (long seq : acknowledged) {
      assertTrue(chain.covers(seq), "acknowledged segment " + seq + " is in a signed manifest");
    }
    assertTrue(acknowledged.size() >= kills, "the camera sealed segments before each kill: " + acknowledged.size());
    System.out.printf("camera kill test: %d SIGKILLs, %d acknowledged segments, %d truncated by the store,"
        + " %d manifests, no number reused, every acknowledged segment covered%n", kills, acknowledged.size(),
        truncated, manifests.size());
  }

  static TreeSet<Long> segments(FileSystemSegmentStore store) throws IOException {
    TreeSet<Long> out = new TreeSet<>();
    for (StoredObject o : store.list(ObjectNames.segmentPrefix(CameraKillMain.STREAM))) {
      ObjectNames.parseSegment(o.name()).ifPresent(id -> out.add(id.sequence()));
    }
    return out;
  }

  /** Every manifest seen before has the same bytes now (none overwritten); new ones are added. */
  static void checkManifestsUnchanged(FileSystemSegmentStore store, Map<String, byte[]> seen) throws Exception {
    for (StoredObject o : store.list(CameraKillMain.STREAM + "/manifests/")) {
      byte[] now = store.readAll(o.name(), 1 << 24);
      byte[] before = seen.putIfAbsent(o.name(), now);
      assertTrue(before == null || Arrays.equals(before, now), "manifest " + o.name() + " was overwritten");
    }
  }

  private static List<Long> runAndKill(Path store, Path camera, Path platform, int run, Random random)
      throws Exception {
    try (KilledChild child = KilledChild.start(line -> line.matches("\\d+"),
        List.of("--enable-native-access=ALL-UNNAMED"), CameraKillMain.class,
        store.toString(), camera.toString(), platform.toString(), Integer.toString(run))) {
      child.awaitFirstAck(120, "the camera sealed nothing in run " + run);
      // anywhere: mid-seal, mid-commit, mid-head, mid-manifest
      return child.killAfter(random.nextInt(400)).stream().map(Long::parseLong).toList();
    }
  }
}
