package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.share.ShareGrant;
import dev.obscura.crypto.share.ShareVerifier;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.testing.MemStore;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A store is not trusted and may hold objects that are not Obscura's under a stream's folders:
 * the staging file of an upload in progress or of one cut off by a crash ({@code NAME-UUID}, as
 * s3proxy's filesystem backend writes and lists them), a backup copy, a note. Their names are
 * valid object names, but not canonical segment, envelope or manifest names ({@link
 * ObjectNames#parseSegment} does not parse them), and nothing may take them for one.
 */
class ForeignObjectNamesTest {
  static final StreamId CAM = StreamId.of("porch");
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static final String STAGING = "-0b7c5a40-2a4e-4a3b-9b61-6f1f1d0e2c11";

  final MemStore store = new MemStore();
  final SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(1));
  final ViewerIdentity owner = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(2));
  final ViewerIdentity lawyer = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(3));

  void record(int first, int n, long seed) throws Exception {
    try (Recorder r = Recorder.builder().store(store).stream(CAM).recipients(List.of(owner.publicKey()))
        .chainSigner(camera, 2).entropy(EntropySource.insecureDeterministicForTests(seed)).build()) {
      for (int i = first; i < first + n; i++) {
        r.seal(new MediaSegment(i, T0.plusSeconds(2L * i), 0, 2_000_000, 30, new byte[500 + i]));
      }
    }
  }

  /** Junk next to every kind of object; the cut-off copy of the last segment sorts last. */
  void plantJunk() {
    String last = ObjectNames.segment(new SegmentId(CAM, 3));
    byte[] sealed = store.objects.get(last);
    store.objects.put(last + STAGING, Arrays.copyOf(sealed, 100)); // an upload cut off
    store.objects.put(ObjectNames.segment(new SegmentId(CAM, 1)) + ".bak",
        store.objects.get(ObjectNames.segment(new SegmentId(CAM, 1))));
    store.objects.put(ObjectNames.segmentPrefix(CAM) + "00000000000000000009.seg", sealed); // 20 digits
    store.objects.put(ObjectNames.segmentPrefix(CAM) + "notes.txt", new byte[0]);
    String env = ObjectNames.envelope(CAM, dev.obscura.core.EpochId.of(0));
    store.objects.put(env + STAGING, new byte[3]);
    store.objects.put(CAM + "/manifests/0000000000000000003.man" + STAGING, new byte[7]);
  }

  @Test
  void readersAndSharesIgnoreThem() throws Exception {
    record(0, 4, 10);
    plantJunk();
    try (StreamReader r = StreamReader.open(store, CAM, new EnvelopeKeyResolver(store, owner))) {
      assertEquals(4, r.headers().size());
      long n = 0;
      for (OpenedSegment s; (s = r.next()) != null; ) {
        assertEquals(n++, s.header().sequence());
      }
      assertEquals(4, n);
    }
    ShareGrant g = ShareGrant.builder().store(store).stream(CAM).timeRange(T0, T0.plusSeconds(60))
        .epochKeys(new EnvelopeKeyResolver(store, owner)).cameraKeys(List.of(camera.verifyingKey()))
        .owner(owner.signingKey().orElseThrow(), owner.publicKey()).recipient(lawyer.publicKey())
        .recordInAuditLog(false).create();
    assertEquals(4, new ShareVerifier().verify(g.encode(), lawyer).segments().size());
  }

  /**
   * A camera restarting on such a store continues the stream. It failed before {@code
   * Recorder.nextEpoch} took the highest name that parses: it opened the last name listed under {@code STREAM/segments/} without parsing
   * it, here the cut-off staging copy (the same cause as the flaky {@code
   * S3CliTest.pendingSegmentsUploadOnTheNextRun}, where s3proxy lists an upload in progress).
   */
  @Test
  void aRestartedCameraContinuesTheStream() throws Exception {
    record(0, 4, 10);
    plantJunk();
    record(4, 2, 11);
    try (StreamReader r = StreamReader.open(store, CAM, new EnvelopeKeyResolver(store, owner))) {
      assertEquals(6, r.headers().size());
      assertEquals(1, r.headers().get(4).epoch().value(), "a new epoch after the restart");
    }
  }
}
