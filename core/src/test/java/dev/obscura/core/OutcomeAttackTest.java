package dev.obscura.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/**
 * An integrity failure must never be reported as a benign, retryable outcome, however many I/O
 * layers (a buffered stream, an app's own wrapper, a store adapter) wrap it on its way up.
 */
class OutcomeAttackTest {
  @Test
  void anIntegrityFailureWrappedInTwoIoLayersIsStillIntegrity() {
    IntegrityException tampered = new IntegrityException("segment 3 does not open");
    assertEquals(Outcome.INTEGRITY, Outcome.of(new IOException("read", new IOException("chunk", tampered))));
    assertEquals(Outcome.INTEGRITY,
        Outcome.of(new UncheckedIOException(new IOException("outer", new IOException("inner", tampered)))));
    assertEquals(Outcome.INTEGRITY, Outcome.of(new IOException("x", new UncheckedIOException(
        new IOException("y", tampered)))));
  }

  @Test
  void aPlainIoFailureIsIoAndACauseCycleEnds() {
    assertEquals(Outcome.IO, Outcome.of(new IOException("disk", new IOException("full"))));
    IOException a = new IOException("a");
    IOException b = new IOException("b", a);
    a.initCause(b);
    assertEquals(Outcome.IO, Outcome.of(b));
  }
}
