package dev.obscura.examples.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's short run of the live {@link KillLoop}: a paired camera's live view killed with
 * SIGKILL at seeded random points after its first frame left the process, and restarted: no
 * SFrame (key id, counter) is ever sent twice, every start is a new epoch, and no envelope is
 * overwritten. {@code -Dobscura.live.kills=N} (default 20) and {@code -Dobscura.fault.seed};
 * {@code scripts/kill-loop.sh} runs the long loops.
 */
class LiveKillTest {
  @TempDir Path work;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES) // hang guard only
  void killedLiveCameraNeverSendsAKeyIdAndCounterTwice() throws Exception {
    int kills = Integer.getInteger("obscura.live.kills", 20);
    KillLoop.Result r = KillLoop.live(work, kills, Long.getLong("obscura.fault.seed", 20261201L), 300);
    assertEquals(0, r.repeats());
    assertTrue(r.nonces() == r.acknowledged() && r.envelopes() >= kills, r.line());
    System.out.println(r.line());
  }
}
