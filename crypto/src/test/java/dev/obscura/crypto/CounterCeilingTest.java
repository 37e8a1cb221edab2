package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.CounterExhaustedException;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.chain.ChainVerifier;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.segment.SegmentSealer;
import dev.obscura.crypto.sframe.CounterStore;
import dev.obscura.crypto.sframe.SFrameHeader;
import dev.obscura.crypto.sframe.SFrameSender;
import dev.obscura.crypto.testing.MemStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every counter forced to its ceiling makes the sealer refuse to go on ({@link
 * CounterExhaustedException}, naming the counter) rather than wrap; nothing is sealed or stored
 * under the refused value, and a restart refuses too. The chunk counter is in {@code
 * chunked.ChunkCounterCeilingTest}.
 */
class CounterCeilingTest {
  @TempDir Path tmp;

  private static final long MAX_SEQ = SegmentId.MAX_SEQUENCE;

  @Test
  void segmentSequenceAndChainStopAtTheLastNumber() throws Exception {
    Household h = new Household(tmp, 1);
    // the camera's own head says the next segment is the last number there is
    h.camera.saveChainHead(Household.STREAM, new CameraState.ChainHead(MAX_SEQ, new byte[32], -1, MAX_SEQ, List.of()));
    try (Recorder r = h.recorder(0)) {
      SealedSegmentInfo last = r.seal(h.segment());
      assertEquals(MAX_SEQ, last.header().sequence());
      int objects = h.store.list("").size();
      CounterExhaustedException e = assertThrows(CounterExhaustedException.class, () -> r.seal(h.segment()));
      assertEquals(CounterExhaustedException.Counter.SEGMENT_SEQUENCE, e.counter());
      assertEquals(objects, h.store.list("").size(), "nothing stored under the refused number");
    }
    // the last segment is covered by a manifest signed at the top of the chain's range
    assertTrue(ChainVerifier.load(h.store, Household.STREAM, h.camera.identity().publicKey()).covers(MAX_SEQ));
    assertEquals(MAX_SEQ + 1, h.camera.chainHead(Household.STREAM).orElseThrow().nextSequence());
    // a restart from that head refuses at its first segment, still without wrapping
    CameraState again = CameraState.open(h.cameraDir, h.platform, EntropySource.system());
    h.camera = again;
    try (Recorder r = h.recorder(0)) {
      assertEquals(CounterExhaustedException.Counter.SEGMENT_SEQUENCE,
          assertThrows(CounterExhaustedException.class, () -> r.seal(h.segment())).counter());
    }
    assertTrue(h.store.list(ObjectNames.segmentPrefix(Household.STREAM)).stream()
        .allMatch(o -> ObjectNames.parseSegment(o.name()).orElseThrow().sequence() == MAX_SEQ));
  }

  @Test
  void aSealerResumedAfterTheLastNumberRefuses() throws Exception {
    MemStore store = new MemStore();
    EpochKey key = EpochKey.generate(Household.STREAM, EpochId.of(3), EntropySource.insecureDeterministicForTests(3));
    try (SegmentSealer s = SegmentSealer.builder().stream(Household.STREAM).epochKey(key)
        .resumeAt(store, MAX_SEQ + 1, new byte[32]).build()) {
      assertThrows(CounterExhaustedException.class, () -> s.seal(new Household(tmp, 2).segment()));
    }
    assertEquals(0, store.list("").size());
    assertThrows(IllegalArgumentException.class, () -> SegmentSealer.builder().resumeAt(store, MAX_SEQ + 2, new byte[32]));
  }

  @Test
  void epochNumberStopsAtTheLastNumber() throws Exception {
    Household h = new Household(tmp, 3);
    h.camera.useEpoch(Household.STREAM, EpochId.MAX_VALUE - 1); // the camera's record: next is the last
    try (Recorder r = h.recorder(1)) { // a new epoch every segment
      assertEquals(EpochId.MAX_VALUE, r.seal(h.segment()).header().epoch().value());
      CounterExhaustedException e = assertThrows(CounterExhaustedException.class, () -> r.seal(h.segment()));
      assertEquals(CounterExhaustedException.Counter.EPOCH, e.counter());
      assertEquals(1, h.store.list(ObjectNames.segmentPrefix(Household.STREAM)).size());
    }
    // the last epoch is recorded as used: a restart refuses rather than start epoch 2^62 + 1 or 0
    CameraState again = CameraState.open(h.cameraDir, h.platform, EntropySource.system());
    assertEquals(CounterExhaustedException.Counter.EPOCH,
        assertThrows(CounterExhaustedException.class, () -> again.nextEpoch(Household.STREAM)).counter());
    h.camera = again;
    assertThrows(CounterExhaustedException.class, () -> h.recorder(1));
    assertThrows(CounterExhaustedException.class, () -> EpochId.of(EpochId.MAX_VALUE).next());
  }

  @Test
  void sframeCounterStopsAtItsLastValue() throws Exception {
    CounterStore counters = CounterStore.inMemoryForTests();
    counters.store(Long.MAX_VALUE - 2); // as if restarted just below the ceiling
    EpochKey key = EpochKey.generate(Household.STREAM, EpochId.of(0), EntropySource.insecureDeterministicForTests(4));
    try (SFrameSender sender = SFrameSender.builder(key, counters).build()) {
      EncodedFrame f = new EncodedFrame(0, true, new byte[100]);
      byte[] a = sender.seal(f);
      byte[] b = sender.seal(f);
      assertEquals(Long.MAX_VALUE - 2, SFrameHeader.decode(a, 0, a.length).counter());
      assertEquals(Long.MAX_VALUE - 1, SFrameHeader.decode(b, 0, b.length).counter());
      CounterExhaustedException e = assertThrows(CounterExhaustedException.class, () -> sender.seal(f));
      assertEquals(CounterExhaustedException.Counter.SFRAME_COUNTER, e.counter());
      assertThrows(CounterExhaustedException.class, () -> sender.seal(f), "and stays refused");
    }
    assertEquals(Long.MAX_VALUE, counters.load());
  }
}
