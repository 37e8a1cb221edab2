package dev.obscura.crypto.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.LiveMessage;
import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.padding.PaddingPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live camera with a padding policy: the relay sees only the policy's sizes, viewers get the frames. */
class LivePaddingTest {
  @TempDir Path tmp;
  LiveHome home;

  @BeforeEach
  void setUp() throws Exception {
    home = new LiveHome(tmp);
  }

  /** Frames of very different sizes (idle P-frames, motion, keyframes). */
  static List<EncodedFrame> frames() {
    List<EncodedFrame> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      EncodedFrame base = LiveHome.frame(i, 10);
      int size = i % 10 == 0 ? 9000 + i * 37 : i > 20 ? 1500 + i * 11 : 60 + i;
      byte[] data = new byte[size];
      for (int j = 0; j < size; j++) {
        data[j] = (byte) (i * 7 + j * 13);
      }
      out.add(new EncodedFrame(base.presentationMicros(), base.keyframe(), data));
    }
    return out;
  }

  private List<Integer> sendAndWatch(PaddingPolicy policy) throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    MemoryFanOut.Sub sub = fanOut.subscriber();
    List<EncodedFrame> sent = frames();
    try (LiveCamera camera = home.camera(fanOut, Duration.ofMinutes(10)).padding(policy).build()) {
      for (EncodedFrame f : sent) {
        camera.send(f);
        home.clock.advance(Duration.ofMillis(66));
      }
    }
    fanOut.end();
    List<EncodedFrame> got = new ArrayList<>();
    try (LiveViewer v = home.viewer(home.phone)) {
      LiveViewer.Stats st = v.watch(sub, Duration.ofSeconds(10), got::add);
      assertEquals(0, st.refused(), st::toString);
    }
    assertEquals(sent.size(), got.size());
    for (int i = 0; i < sent.size(); i++) {
      assertArrayEquals(sent.get(i).data(), got.get(i).data(), "frame " + i + " exactly, padding stripped");
      assertEquals(sent.get(i).presentationMicros(), got.get(i).presentationMicros());
      assertEquals(sent.get(i).keyframe(), got.get(i).keyframe());
    }
    List<Integer> sizes = new ArrayList<>();
    for (LiveMessage m : fanOut.published) {
      if (m instanceof LiveMessage.Frame f) {
        sizes.add(f.payload().length);
      }
    }
    return sizes;
  }

  @Test
  void withBucketsTheRelaySeesOnlyBucketSizes() throws Exception {
    PaddingPolicy buckets = PaddingPolicies.buckets(1.25, 256);
    List<Integer> sizes = sendAndWatch(buckets);
    Set<Integer> distinct = new HashSet<>(sizes);
    for (int size : sizes) {
      assertEquals(size, buckets.paddedSize(size), size + " is a bucket");
      assertTrue(size >= 265, "at least the first bucket");
    }
    assertTrue(distinct.size() <= 12, "40 frame sizes fall into a few buckets: " + distinct);
  }

  private static void assertUnpadded(List<Integer> sizes) {
    List<EncodedFrame> sent = frames();
    for (int i = 0; i < sizes.size(); i++) {
      // header (KID 0, small CTR: 1 to 3 bytes) + 18-byte prefix + frame + 16-byte tag: no trailer
      int header = sizes.get(i) - 18 - sent.get(i).data().length - 16;
      assertTrue(header >= 1 && header <= 3, "no padding on frame " + i + ": header " + header);
    }
  }

  @Test
  void withNoneFramesAreSealedAsBefore() throws Exception {
    assertUnpadded(sendAndWatch(PaddingPolicies.none()));
  }

  // cbr and interval pace live frames: LivePacingTest
}
