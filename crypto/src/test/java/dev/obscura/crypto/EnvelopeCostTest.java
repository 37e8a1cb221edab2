package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.sign.SigningKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Envelope size per recipient (checked) and rotation cost (printed, never asserted). */
class EnvelopeCostTest {
  @Test
  void signedEnvelopeSizeIsHeaderPlus99BytesPerRecipientPlus83() {
    StreamId stream = StreamId.of("front-door"); // 10 bytes
    SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(1));
    List<ViewerPublicKey> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(100 + i)).publicKey());
    }
    StringBuilder report = new StringBuilder();
    // warm up the JIT a little, so the printed times are not all class loading
    for (int i = 0; i < 20; i++) {
      EpochKey k = EpochKey.generate(stream, EpochId.of(i), EntropySource.insecureDeterministicForTests(i));
      KeyEnvelope.seal(new EnvelopeHeader(stream, EpochId.of(i), Instant.EPOCH), k, all.subList(0, 4), camera);
    }
    for (int n : new int[] {1, 3, 4, 10, 50}) {
      EpochKey key = EpochKey.generate(stream, EpochId.of(n), EntropySource.insecureDeterministicForTests(n));
      EnvelopeHeader header = new EnvelopeHeader(stream, EpochId.of(n), Instant.parse("2026-11-26T12:00:00Z"));
      long t0 = System.nanoTime();
      byte[] env = KeyEnvelope.seal(header, key, all.subList(0, n), camera);
      long us = (System.nanoTime() - t0) / 1000;
      assertEquals(32 + 2 + 99 * n + 83, env.length, n + " recipients");
      report.append(String.format("%d recipients: %d bytes, %d us to wrap and sign%n", n, env.length, us));
    }
    System.out.print(report);
  }
}
