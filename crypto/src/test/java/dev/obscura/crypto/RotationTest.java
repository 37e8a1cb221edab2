package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.EntropySource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation by duration, by segment count, and at every start. */
class RotationTest {
  @TempDir Path tmp;

  static final class StepClock extends Clock {
    Instant now = Household.T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void rotatesByDurationAndByCount() throws Exception {
    Household h = new Household(tmp, 51);
    StepClock clock = new StepClock();
    try (Recorder rec = Recorder.builder().store(h.store).stream(Household.STREAM).camera(h.camera)
        .entropy(EntropySource.insecureDeterministicForTests(1)).clock(clock)
        .epochDuration(Duration.ofSeconds(10)).build()) {
      for (int i = 0; i < 6; i++) {
        rec.seal(h.segment());
        clock.now = clock.now.plusSeconds(4); // an epoch covers segments at 0, 4, 8 s
      }
      assertEquals(2, rec.epochsStarted());
    }
    try (Recorder rec = h.recorder(2)) {
      for (int i = 0; i < 5; i++) {
        rec.seal(h.segment());
      }
      assertEquals(3, rec.epochsStarted(), "a restart is a new epoch, then one every 2 segments");
    }
    assertEquals(11, h.read(h.owner, 0, 10).size());
  }
}
