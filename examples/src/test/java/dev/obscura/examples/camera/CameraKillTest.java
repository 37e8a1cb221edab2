package dev.obscura.examples.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.ObjectNames;
import dev.obscura.core.StoredObject;
import dev.obscura.transport.FileSystemSegmentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's short run of the recording {@link KillLoop}: a paired camera killed with SIGKILL at
 * seeded random points after its first acknowledgement and restarted, with the store truncated
 * behind its back halfway: no (key id, nonce) and no sequence number is used twice, no envelope or
 * manifest object ever changes once written, and every acknowledged segment is covered by a
 * camera-signed manifest after the last restart. {@code -Dobscura.camera.kills=N} (default 20)
 * and {@code -Dobscura.fault.seed}; {@code scripts/kill-loop.sh} runs the long loops.
 */
class CameraKillTest {
  @TempDir Path work;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES) // hang guard only
  void killedAndTruncatedTheCameraNeverReusesANumberNorOverwritesAManifest() throws Exception {
    int kills = Integer.getInteger("obscura.camera.kills", 20);
    KillLoop.Result r = KillLoop.record(work, kills, Long.getLong("obscura.fault.seed", 20261201L), 300, kills / 2);
    assertEquals(0, r.repeats());
    assertTrue(r.manifests() > 0 && r.envelopes() >= kills, r.line());
    System.out.println(r.line());
  }

  static TreeSet<Long> segments(FileSystemSegmentStore store) throws IOException {
    TreeSet<Long> out = new TreeSet<>();
    for (StoredObject o : store.list(ObjectNames.segmentPrefix(CameraKillMain.STREAM))) {
      ObjectNames.parseSegment(o.name()).ifPresent(id -> out.add(id.sequence()));
    }
    return out;
  }
}
