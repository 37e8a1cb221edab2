package dev.obscura.crypto.share;

import dev.obscura.crypto.keys.Argon2idParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.testing.MemStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prints the figures quoted in docs/spec/share-grant-v1.md: the bytes a grant adds to the sealed
 * segments it carries, and the time of one Argon2id derivation at the default costs. Checks the
 * size formula exactly; times are printed, never asserted.
 */
class ShareFiguresTest {
  @Test
  void grantOverheadFollowsTheFormula() throws Exception {
    StreamId cam = StreamId.of("front-door"); // 10 bytes
    SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(1));
    ViewerIdentity phone = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(3));
    ViewerIdentity lawyer = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(4));
    MemStore store = new MemStore();
    Instant t0 = Instant.parse("2026-11-26T12:00:00Z");
    try (Recorder r = Recorder.builder().store(store).stream(cam).recipients(List.of(phone.publicKey()))
        .chainSigner(camera, 30).entropy(EntropySource.insecureDeterministicForTests(5)).build()) {
      for (int i = 0; i < 60; i++) {
        r.seal(new MediaSegment(i, t0.plusSeconds(2L * i), 0, 2_000_000, 60, new byte[1000]));
      }
    }
    for (int k : new int[] {1, 10, 30, 60}) {
      ShareGrant g = ShareGrant.builder().store(store).stream(cam)
          .timeRange(t0, t0.plusSeconds(2L * k - 1)).epochKeys(new EnvelopeKeyResolver(store, phone))
          .cameraKeys(List.of(camera.verifyingKey())).owner(phone.signingKey().orElseThrow(), phone.publicKey()).recipient(lawyer.publicKey())
          .reason("").recordInAuditLog(false).create();
      assertEquals(k, g.segmentCount());
      long sealed = 0;
      for (int i = 0; i < k; i++) {
        sealed += g.sealedSegment(i).length;
      }
      int manifests = g.manifests().size();
      int covered = g.manifests().stream().mapToInt(m -> m.size()).sum();
      // container 5 + record (4+1+16+8+32+32+1+32+1+32+1+1+10+32+2 = 205, + 32 device key, + 32k digests) + signature 64
      // + wrap 2+96 + keys 4+12+33k+16 + manifests 2 + per manifest 4+(48+32m+64) + 4 + 4k
      long expected = 5 + 4 + 205 + 32 + 32L * k + 64 + 2 + 96 + 4 + 12 + 33L * k + 16 + 2
          + manifests * (4 + 48 + 64) + 32L * covered + 4 + 4L * k;
      long overhead = g.encode().length - sealed;
      assertEquals(expected, overhead, "k=" + k);
      System.out.printf("grant of %d segments: %d bytes over the sealed segments (%d manifest(s)"
          + " covering %d)%n", k, overhead, manifests, covered);
    }
  }

  @Test
  void argon2idAtTheDefaultCosts() {
    long start = System.nanoTime();
    byte[] k = Argon2idParams.DEFAULT.derive("a passphrase".getBytes(), new byte[16],
        ShareGrant.PASSPHRASE_AD, 32);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(32, k.length);
    assertTrue(ms >= 0);
    System.out.printf("Argon2id m=64 MiB t=3 p=1: %d ms%n", ms);
  }
}
