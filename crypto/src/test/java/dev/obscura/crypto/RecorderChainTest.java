package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.chain.ChainManifest;
import dev.obscura.crypto.chain.ChainVerifier;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.testing.MemStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecorderChainTest {
  @Test
  void recorderSignsTheChainEveryNAndAtCloseAndAcrossRestarts() throws Exception {
    MemStore store = new MemStore();
    StreamId cam = StreamId.of("porch");
    SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(3));
    ViewerIdentity viewer = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(4));
    Instant t0 = Instant.parse("2026-11-26T12:00:00Z");
    for (int run = 0; run < 2; run++) {
      try (Recorder r = Recorder.builder().store(store).stream(cam)
          .recipients(List.of(viewer.publicKey())).chainSigner(camera, 2)
          .entropy(EntropySource.insecureDeterministicForTests(5 + run)).build()) {
        for (int i = 0; i < 3; i++) {
          r.seal(new MediaSegment(i, t0.plusSeconds(10L * run + 2L * i), 0, 2_000_000, 30, new byte[100 + i]));
        }
        assertEquals(1, r.chainPendingSegments());
      }
    }
    assertEquals(
        List.of(ChainManifest.objectName(cam, 1), ChainManifest.objectName(cam, 2),
            ChainManifest.objectName(cam, 4), ChainManifest.objectName(cam, 5)),
        store.list(ChainManifest.prefix(cam)).stream().map(o -> o.name()).toList());
    ChainVerifier v = ChainVerifier.load(store, cam, camera.verifyingKey());
    assertEquals(5, v.lastCovered());
    for (long s = 0; s <= 5; s++) {
      assertTrue(v.covers(s));
    }
  }
}
