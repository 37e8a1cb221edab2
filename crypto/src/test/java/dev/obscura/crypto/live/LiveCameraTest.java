package dev.obscura.crypto.live;

import static dev.obscura.crypto.live.LiveHome.PORCH;
import static dev.obscura.crypto.live.LiveHome.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.LivePublisher;
import dev.obscura.core.ObjectNames;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.sframe.SFrameHeader;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.crypto.trust.NotPairedException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The camera side over the core interfaces only: envelopes stored and published ahead of their
 * epoch's first frame, rotation only at keyframes, a revoked device cut off at the next keyframe,
 * SFrame counters and epoch numbers that never repeat across restarts, and no frame at all from
 * a camera that is not paired.
 */
class LiveCameraTest {
  @TempDir Path tmp;
  LiveHome home;

  @BeforeEach
  void setUp() throws Exception {
    home = new LiveHome(tmp);
  }

  static long counter(LiveMessage.Frame f) throws Exception {
    return SFrameHeader.decode(f.payload(), 0, f.payload().length).counter();
  }

  static List<LiveMessage.Frame> frames(MemoryFanOut fanOut) {
    List<LiveMessage.Frame> out = new ArrayList<>();
    for (LiveMessage m : fanOut.published) {
      if (m instanceof LiveMessage.Frame f) {
        out.add(f);
      }
    }
    return out;
  }

  /** Each epoch's envelope is in the store when it is published, and published before the epoch's first frame; epochs change only at keyframes. */
  @Test
  void envelopesGoFirstAndEpochsChangeOnlyAtKeyframes() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    LivePublisher inner = fanOut.publisher();
    List<String> order = new ArrayList<>();
    LivePublisher checking = new LivePublisher() {
      @Override
      public void publishEnvelope(EpochId epoch, byte[] sealedEnvelope) throws IOException {
        byte[] stored = home.store.objects.get(ObjectNames.envelope(PORCH, epoch));
        assertTrue(stored != null && Arrays.equals(stored, sealedEnvelope), "stored before it is published");
        order.add("E" + epoch.value());
        inner.publishEnvelope(epoch, sealedEnvelope);
      }

      @Override
      public long publishFrame(EpochId epoch, boolean keyframe, byte[] sealedFrame) throws IOException {
        order.add((keyframe ? "K" : "f") + epoch.value());
        return inner.publishFrame(epoch, keyframe, sealedFrame);
      }

      @Override
      public void close() {}
    };
    // epochs of 100 ms, frames 70 ms apart: rotation is due at almost every frame, allowed only at keyframes
    try (LiveCamera camera = LiveCamera.builder().store(home.store).stream(PORCH).camera(home.camera)
        .publisher(checking).epochDuration(Duration.ofMillis(100)).clock(home.clock).build()) {
      for (int i = 0; i < 12; i++) {
        camera.send(frame(i, 4));
        home.clock.advance(Duration.ofMillis(70));
      }
      LiveCamera.Stats st = camera.stats();
      assertEquals(12, st.frames());
      assertEquals(3, st.keyframes());
      assertEquals(3, st.epochs());
      assertEquals(EpochId.of(2), camera.epoch());
    }
    assertEquals(List.of("E0", "K0", "f0", "f0", "f0", "E1", "K1", "f1", "f1", "f1", "E2", "K2", "f2", "f2", "f2"), order);
  }

  /** The owner revokes the tablet mid-stream: from the next keyframe on the tablet gets no key, the phone goes on. */
  @Test
  void aRevokedDeviceGetsNoKeyFromTheNextKeyframe() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    MemoryFanOut.Sub phoneSub = fanOut.subscriber();
    MemoryFanOut.Sub tabletSub = fanOut.subscriber();
    try (LiveCamera camera = home.camera(fanOut, Duration.ofMinutes(10)).build()) {
      for (int i = 0; i < 20; i++) {
        if (i == 8) {
          home.sdk.revoke(home.phone, home.tablet.publicKey()); // between keyframes 5 and 10
        }
        camera.send(frame(i, 5));
        home.clock.advance(Duration.ofMillis(66));
      }
      assertEquals(2, camera.stats().epochs(), "a new epoch at the first keyframe after the revocation");
    }
    fanOut.end();
    List<Long> phone = new ArrayList<>();
    List<Long> tablet = new ArrayList<>();
    LiveViewer.Stats p;
    LiveViewer.Stats t;
    try (LiveViewer v = home.viewer(home.phone)) {
      p = v.watch(phoneSub, Duration.ofSeconds(10), f -> phone.add(f.presentationMicros() / 66_667L));
    }
    try (LiveViewer v = home.viewer(home.tablet)) {
      t = v.watch(tabletSub, Duration.ofSeconds(10), f -> tablet.add(f.presentationMicros() / 66_667L));
    }
    assertEquals(20, p.framesOut(), p::toString);
    assertEquals(2, p.envelopesAccepted(), p::toString);
    assertEquals(10, t.framesOut(), "frames 0..9, sealed before the keyframe that rotated: " + t);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), tablet);
    assertEquals(1, t.envelopesNotForUs(), t::toString);
    assertEquals(10, t.framesNoKey(), t::toString);
  }

  /** A camera restarted on the same folder: SFrame counters and epoch numbers go on, never repeat. */
  @Test
  void countersAndEpochsGoOnAcrossRestarts() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    MemoryFanOut.Sub sub = fanOut.subscriber();
    try (LiveCamera camera = home.camera(fanOut, Duration.ofMinutes(10)).build()) {
      for (int i = 0; i < 10; i++) {
        camera.send(frame(i, 5));
      }
    }
    List<LiveMessage.Frame> first = frames(fanOut);
    // the process dies and the camera starts again from its folder
    home.camera = CameraState.open(home.cameraDir, home.platform, EntropySource.system());
    try (LiveCamera camera = home.camera(fanOut, Duration.ofMinutes(10)).build()) {
      assertEquals(EpochId.of(1), camera.epoch(), "a fresh epoch number");
      for (int i = 10; i < 20; i++) {
        camera.send(frame(i, 5));
      }
    }
    List<LiveMessage.Frame> all = frames(fanOut);
    long lastOfFirst = counter(first.get(first.size() - 1));
    for (LiveMessage.Frame f : all.subList(10, 20)) {
      assertTrue(Long.compareUnsigned(counter(f), lastOfFirst) > 0, "counter reused after a restart");
      assertEquals(1, f.epoch());
    }
    assertEquals(0, all.get(10).sequence(), "a new publisher connection numbers from 0");
    fanOut.end();
    List<EncodedFrame> out = new ArrayList<>();
    try (LiveViewer v = home.viewer(home.phone)) {
      LiveViewer.Stats st = v.watch(sub, Duration.ofSeconds(10), out::add);
      assertEquals(20, st.framesOut(), st::toString);
      assertEquals(0, st.refused(), st::toString);
    }
  }

  @Test
  void aCameraThatIsNotPairedPublishesNothing() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    CameraState stranger = CameraState.open(tmp.resolve("other-camera"), home.platform, EntropySource.system());
    MemStore empty = new MemStore();
    assertThrows(NotPairedException.class, () -> LiveCamera.builder().store(empty).stream(PORCH).camera(stranger)
        .publisher(fanOut.publisher()).build());
    // nor on the household's store: its roster pins another camera key
    assertThrows(Exception.class, () -> LiveCamera.builder().store(home.store).stream(PORCH).camera(stranger)
        .publisher(fanOut.publisher()).build());
    assertTrue(fanOut.published.isEmpty(), "no envelope, no frame");
    assertFalse(empty.objects.keySet().stream().anyMatch(n -> n.contains("envelope")), empty.objects::toString);
    assertThrows(IllegalStateException.class, () -> LiveCamera.builder().store(empty).build());
  }
}
