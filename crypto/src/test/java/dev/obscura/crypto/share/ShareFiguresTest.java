package dev.obscura.crypto.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.obscura.core.EntropySource;
import dev.obscura.core.Hex;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.testing.MemStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The figures quoted in docs/spec/share-grant-v1.md: the bytes a grant adds to the sealed segments
 * it carries (the size formula, exactly), and the Argon2id derivation a passphrase grant pays,
 * against the reference implementation's vector. Its time is the benchmarks module's
 * ({@code Argon2idBenchmark}).
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

  /**
   * The derivation a passphrase grant pays, at the default memory (64 MiB, one lane), against the
   * reference implementation's own vector (phc-winner-argon2, src/test.c: argon2id v=0x13 m=2^16
   * KiB t=2 p=1, "password", "somesalt"); its time is measured in the benchmarks module
   * ({@code Argon2idBenchmark}), not here.
   */
  @Test
  void argon2idAtTheDefaultMemoryMatchesTheReferenceImplementation() {
    byte[] pw = "password".getBytes(StandardCharsets.US_ASCII);
    byte[] salt = "somesalt".getBytes(StandardCharsets.US_ASCII);
    Argon2idParams reference = Argon2idParams.of(Argon2idParams.DEFAULT.memoryKib(), 2, 1);
    assertEquals("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7",
        Hex.format(reference.derive(pw, salt, null, 32)));
    // empty associated data is no associated data; the grant's own changes the output
    assertEquals("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7",
        Hex.format(reference.derive(pw, salt, new byte[0], 32)));
    assertNotEquals("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7",
        Hex.format(reference.derive(pw, salt, ShareGrant.PASSPHRASE_AD, 32)));
    // the default costs are the documented ones: m=64 MiB, t=3, p=1
    assertEquals("m=65536 t=3 p=1", Argon2idParams.DEFAULT.toText());
  }
}
