package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.LivePublisher;
import dev.obscura.core.ObjectNames;
import dev.obscura.crypto.testing.ForwardingStore;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.chain.ChainManifest;
import dev.obscura.crypto.live.LiveCamera;
import dev.obscura.crypto.segment.SealedSegmentInfo;
import dev.obscura.crypto.sframe.SFrameHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every counter is on disk before anything sealed under it leaves the process. The checks read
 * the camera's files from disk (not the objects in memory) at the moment an object is committed
 * to the store or a frame is handed to the transport: the epoch record before an envelope, the
 * chain head (that segment in flight) before a segment commits and (that segment done) before
 * {@code seal} returns, the SFrame counter file above a frame's counter before the frame is sent.
 * Durability of each file write (fsync, atomic rename) is {@code AtomicFiles}', crash-tested in
 * {@link StateWriterCrashTest}; the kill loops (examples {@code KillLoop}) check the end result.
 */
class CountersPersistedBeforeUseTest {
  @TempDir Path tmp;

  private static String file(Path dir, String name) throws IOException {
    return new String(Files.readAllBytes(dir.resolve(name)), StandardCharsets.UTF_8);
  }

  /** The next epoch of {@code stream} in the epochs file on disk. */
  private static long epochsOnDisk(Path dir, String stream) throws IOException {
    for (String line : file(dir, "epochs").split("\n")) {
      if (line.startsWith(stream + " ")) {
        return Long.parseLong(line.substring(stream.length() + 1).trim());
      }
    }
    return 0;
  }

  private static String headLine(Path dir, String field) throws IOException {
    for (String line : file(dir, "chain-" + Household.STREAM).split("\n")) {
      if (line.startsWith(field + " ")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    throw new AssertionError("no " + field + " in the chain head");
  }

  /** A store that, at each commit, checks the camera's files on disk. */
  private static final class CheckingStore extends ForwardingStore {
    final Path cameraDir;
    int envelopes;
    int segments;
    int manifests;

    CheckingStore(SegmentStore inner, Path cameraDir) {
      super(inner);
      this.cameraDir = cameraDir;
    }

    @Override
    public ObjectWriter create(String name) throws IOException {
      return new ForwardingStore.Writer(inner.create(name)) {
        @Override
        public void commit() throws IOException {
          check(name);
          inner.commit();
        }
      };
    }

    void check(String name) throws IOException {
      Optional<ObjectNames.EnvelopeName> env = ObjectNames.parseEnvelope(name);
      if (env.isPresent()) {
        long e = env.get().epoch().value();
        assertTrue(epochsOnDisk(cameraDir, env.get().stream().toString()) > e,
            "epoch " + e + " is in the epoch record on disk before its envelope is stored");
        envelopes++;
      }
      Optional<dev.obscura.core.SegmentId> seg = ObjectNames.parseSegment(name);
      if (seg.isPresent()) {
        assertEquals(String.valueOf(seg.get().sequence()), headLine(cameraDir, "inflight"),
            "segment " + seg.get().sequence() + " is in flight in the chain head on disk before it commits");
        segments++;
      }
      if (ChainManifest.parseObjectName(Household.STREAM, name).isPresent()) {
        long last = ChainManifest.parseObjectName(Household.STREAM, name).get();
        assertTrue(Long.parseLong(headLine(cameraDir, "next")) > last
            || headLine(cameraDir, "inflight").equals(String.valueOf(last)),
            "the segments a manifest covers are in the chain head on disk");
        manifests++;
      }
    }
  }

  @Test
  void recorderEpochAndSequenceAreOnDiskFirst() throws Exception {
    Household h = new Household(tmp, 21);
    CheckingStore store = new CheckingStore(h.store, h.cameraDir);
    for (int run = 0; run < 2; run++) { // a restart continues from the files
      try (Recorder r = Recorder.builder().store(store).stream(Household.STREAM).camera(h.camera).clock(h.clock)
          .chainSigner(h.camera.identity().signingKey(), 2).segmentsPerEpoch(3).build()) {
        for (int i = 0; i < 7; i++) {
          SealedSegmentInfo info = r.seal(h.segment());
          // acknowledged: the head on disk has it as done
          assertEquals(info.header().sequence() + 1, Long.parseLong(headLine(h.cameraDir, "next")));
          assertEquals("-", headLine(h.cameraDir, "inflight"));
          assertTrue(epochsOnDisk(h.cameraDir, Household.STREAM.toString()) > info.header().epoch().value());
        }
      }
      h.camera = dev.obscura.crypto.camera.CameraState.open(h.cameraDir, h.platform,
          dev.obscura.core.EntropySource.system());
    }
    assertEquals(14, store.segments);
    assertTrue(store.envelopes >= 6 && store.manifests >= 7,
        store.envelopes + " envelopes, " + store.manifests + " manifests checked");
  }

  @Test
  void liveEpochAndSFrameCounterAreOnDiskBeforeAFrameLeaves() throws Exception {
    Household h = new Household(tmp, 22);
    Path ctr = h.cameraDir.resolve("live-" + Household.STREAM + ".ctr");
    CheckingStore store = new CheckingStore(h.store, h.cameraDir);
    long[] checked = new long[2];
    long[] lastCounter = {-1};
    LivePublisher transport = new LivePublisher() {
      @Override
      public void publishEnvelope(EpochId epoch, byte[] sealedEnvelope) throws IOException {
        assertTrue(epochsOnDisk(h.cameraDir, Household.STREAM.toString()) > epoch.value());
        checked[0]++;
      }

      @Override
      public long publishFrame(EpochId epoch, boolean keyframe, byte[] sealedFrame) throws IOException {
        long c;
        try {
          c = SFrameHeader.decode(sealedFrame, 0, sealedFrame.length).counter();
        } catch (dev.obscura.core.MalformedDataException e) {
          throw new AssertionError(e);
        }
        long onDisk = ByteBuffer.wrap(Files.readAllBytes(ctr)).getLong(8); // the high-water mark
        assertTrue(c < onDisk, "counter " + c + " is below the mark on disk (" + onDisk + ") before it is sent");
        assertTrue(c > lastCounter[0], "counters only go up");
        lastCounter[0] = c;
        checked[1]++;
        return checked[1];
      }

      @Override
      public void close() {}
    };
    for (int run = 0; run < 2; run++) {
      try (LiveCamera live = LiveCamera.builder().store(store).stream(Household.STREAM).camera(h.camera)
          .publisher(transport).clock(h.clock).build()) {
        for (int i = 0; i < 1500; i++) { // past a reserved block (1024 counters)
          live.send(new EncodedFrame(i * 33_333L, i % 30 == 0, new byte[20]));
        }
      }
      h.camera = dev.obscura.crypto.camera.CameraState.open(h.cameraDir, h.platform,
          dev.obscura.core.EntropySource.system());
    }
    assertEquals(3000, checked[1]);
    assertEquals(2, checked[0]);
    assertEquals(2, store.envelopes);
  }
}
