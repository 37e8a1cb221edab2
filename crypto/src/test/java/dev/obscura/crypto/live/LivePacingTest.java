package dev.obscura.crypto.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.LivePublisher;
import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.padding.PaddingPolicy;
import dev.obscura.crypto.sframe.LiveFrame;
import dev.obscura.crypto.sframe.SFrameHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pacing live camera (cbr, interval): what the relay sees follows the shaper's schedule, every
 * video frame still reaches the viewer whole, covers are authenticated and dropped. Time is the
 * household's controllable clock, driven in 1 ms steps; nothing sleeps.
 */
class LivePacingTest {
  @TempDir Path tmp;
  LiveHome home;

  @BeforeEach
  void setUp() throws Exception {
    home = new LiveHome(tmp);
  }

  /** One frame message as the relay saw it: when (camera clock) and how big. */
  record Wire(long micros, int bytes, byte[] payload) {}

  /** A publisher that records the time of every frame message, over the in-memory fan-out. */
  final class Recording implements LivePublisher {
    final LivePublisher inner;
    final List<Wire> wire = new ArrayList<>();

    Recording(LivePublisher inner) {
      this.inner = inner;
    }

    @Override
    public void publishEnvelope(EpochId epoch, byte[] sealedEnvelope) throws IOException {
      inner.publishEnvelope(epoch, sealedEnvelope);
    }

    @Override
    public long publishFrame(EpochId epoch, boolean keyframe, byte[] sealedFrame) throws IOException {
      wire.add(new Wire(LiveFrame.micros(home.clock.instant()), sealedFrame.length, sealedFrame));
      return inner.publishFrame(epoch, keyframe, sealedFrame);
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }

  /** {@code n} frames at 15 fps, a keyframe every 15, of the sizes given. */
  static List<EncodedFrame> frames(int n, int keyBytes, int pBytes) {
    List<EncodedFrame> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean key = i % 15 == 0;
      int size = (key ? keyBytes : pBytes) + i % 13;
      byte[] data = new byte[size];
      for (int j = 0; j < size; j++) {
        data[j] = (byte) (i * 7 + j * 13 + 1);
      }
      out.add(new EncodedFrame(i * 66_667L, key, data));
    }
    return out;
  }

  /** What one paced run produced. */
  record Run(long t0, List<Wire> wire, LiveCamera.Stats camera, LiveViewer.Stats viewer,
      List<EncodedFrame> got, List<EncodedFrame> sent) {}

  /**
   * Sends {@code sent} at 15 fps (one every 66 ms) while ticking every {@code tickMs}, for
   * {@code totalMs} in all, then lets a viewer read everything the relay forwarded.
   */
  Run run(PaddingPolicy policy, List<EncodedFrame> sent, long queueBytes, int tickMs, int totalMs)
      throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    MemoryFanOut.Sub sub = fanOut.subscriber();
    Recording rec = new Recording(fanOut.publisher());
    long t0 = LiveFrame.micros(home.clock.instant()); // a whole second: the schedule starts here
    LiveCamera.Stats cs;
    try (LiveCamera camera = LiveCamera.builder().store(home.store).stream(LiveHome.PORCH)
        .camera(home.camera).publisher(rec).clock(home.clock).padding(policy)
        .pacingQueueBytes(queueBytes).build()) {
      assertTrue(camera.paced());
      int next = 0;
      for (int t = 0; t < totalMs; t++) {
        if (next < sent.size() && t == next * 66) {
          assertEquals(-1, camera.send(sent.get(next++)), "a paced frame is queued");
        }
        if (t % tickMs == 0) {
          camera.tick();
        }
        home.clock.advance(Duration.ofMillis(1));
      }
      assertEquals(sent.size(), next, "the run is long enough to send every frame");
      cs = camera.stats();
    }
    fanOut.end();
    List<EncodedFrame> got = new ArrayList<>();
    LiveViewer.Stats vs;
    try (LiveViewer v = LiveViewer.builder(LiveHome.PORCH, home.phone, home.view(home.phone))
        .clock(home.clock).frameTolerance(Duration.ofMinutes(10)).build()) {
      vs = v.watch(sub, Duration.ofSeconds(10), got::add);
    }
    return new Run(t0, rec.wire, cs, vs, got, sent);
  }

  /** Bytes on the wire per whole second of the camera clock, over the first {@code seconds}. */
  static Map<Long, Long> perSecond(Run r, int seconds) {
    List<Wire> wire = r.wire();
    long t0 = r.t0();
    Map<Long, Long> out = new TreeMap<>();
    for (long s = 0; s < seconds; s++) {
      out.put(s, 0L);
    }
    for (Wire w : wire) {
      long s = Math.floorDiv(w.micros() - t0, 1_000_000L);
      if (s < seconds) {
        out.merge(s, (long) w.bytes(), Long::sum);
      }
    }
    return out;
  }

  static void assertAllFramesOnce(Run r) {
    assertEquals(0, r.viewer().refused(), r.viewer()::toString);
    assertEquals(r.sent().size(), r.got().size(), "every video frame, once: " + r.viewer());
    for (int i = 0; i < r.sent().size(); i++) {
      EncodedFrame s = r.sent().get(i);
      EncodedFrame g = r.got().get(i);
      assertArrayEquals(s.data(), g.data(), "frame " + i + " byte-identical, in order");
      assertEquals(s.presentationMicros(), g.presentationMicros());
      assertEquals(s.keyframe(), g.keyframe());
    }
    assertEquals(r.camera().covers(), r.viewer().framesCover(), "every cover authenticated and dropped");
    assertTrue(r.camera().covers() > 0);
    assertEquals(r.wire().size(), r.camera().frames() + r.camera().covers());
    assertEquals(0, r.camera().framesDropped());
  }

  /** No SFrame counter repeats across video and cover frames, and they rise in wire order. */
  static void assertCountersUnique(List<Wire> wire) throws Exception {
    Set<Long> seen = new HashSet<>();
    long last = -1;
    for (Wire w : wire) {
      long ctr = SFrameHeader.decode(w.payload(), 0, w.payload().length).counter();
      assertTrue(seen.add(ctr), "counter " + ctr + " used twice");
      assertTrue(ctr > last, "counters rise in send order");
      last = ctr;
    }
  }

  @Test
  void cbrCarriesTheSameBytesEverySecondIdleOrBusy() throws Exception {
    long b = 125_000;
    PaddingPolicy cbr = PaddingPolicies.cbr(b);
    // 6 s of frames at 15 fps, then 3 s more to drain
    Run idle = run(cbr, frames(90, 6_000, 300), 0, 100, 9_000);
    Run busy = run(cbr, frames(90, 40_000, 5_000), 0, 100, 9_000);
    for (Run r : List.of(idle, busy)) {
      Map<Long, Long> seconds = perSecond(r, 9);
      for (Map.Entry<Long, Long> e : seconds.entrySet()) {
        assertEquals(b, e.getValue(), "second " + e.getKey() + " carries exactly B: " + seconds);
      }
      for (Wire w : r.wire()) {
        assertEquals(0, (w.micros() - r.t0()) % 100_000L,
            "sent only at the schedule's tenths of a second");
      }
      assertAllFramesOnce(r);
      assertCountersUnique(r.wire());
    }
    assertEquals(perSecond(idle, 9), perSecond(busy, 9),
        "the relay's per-second bytes are the same for an idle and a busy scene");
  }

  @Test
  void intervalSendsTheFixedSizeAtEveryPeriodMultiple() throws Exception {
    int bytes = 16_384;
    PaddingPolicy interval = PaddingPolicies.interval(Duration.ofMillis(500), bytes);
    Run r = run(interval, frames(45, 4_000, 400), 0, 50, 6_000);
    Map<Long, Long> byInstant = new TreeMap<>();
    for (Wire w : r.wire()) {
      byInstant.merge(w.micros(), (long) w.bytes(), Long::sum);
    }
    long t0 = r.t0();
    assertEquals(12, byInstant.size(), "one upload at each of 0, 0.5, ..., 5.5 s: " + byInstant.keySet());
    long k = 0;
    for (Map.Entry<Long, Long> e : byInstant.entrySet()) {
      assertEquals(t0 + k++ * 500_000L, e.getKey(), "at the period's multiples, none skipped");
      assertEquals(bytes, e.getValue(), "each upload exactly the fixed size");
    }
    assertAllFramesOnce(r);
    assertCountersUnique(r.wire());
  }

  @Test
  void aTamperedCoverIsRefusedLikeAnyFrame() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    try (LiveCamera camera = home.camera(fanOut, Duration.ofMinutes(10))
        .padding(PaddingPolicies.cbr(10_000)).build()) {
      assertEquals(1, camera.tick(), "an idle tick sends one cover");
      assertEquals(1, camera.stats().covers());
    }
    LiveMessage.Envelope env = null;
    LiveMessage.Frame cover = null;
    for (LiveMessage m : fanOut.published) {
      if (m instanceof LiveMessage.Envelope e) {
        env = e;
      } else {
        cover = (LiveMessage.Frame) m;
      }
    }
    assertEquals(1_000, cover.payload().length, "the cover fills the whole slice");
    assertFalse(cover.keyframe());
    try (LiveViewer v = home.viewer(home.phone)) {
      List<EncodedFrame> out = new ArrayList<>();
      v.accept(env, out::add);
      byte[] forged = cover.payload().clone();
      forged[forged.length / 2] ^= 1;
      assertFalse(v.accept(new LiveMessage.Frame(cover.epoch(), cover.sequence(), false, forged), out::add));
      assertEquals(1, v.stats().framesTampered());
      assertEquals(0, v.stats().framesCover());
      assertFalse(v.accept(cover, out::add), "a cover is never written");
      assertEquals(1, v.stats().framesCover());
      assertTrue(out.isEmpty());
    }
  }

  @Test
  void anOverflowingQueueDropsToTheNextKeyframeAndCountsIt() throws Exception {
    // 15 fps of 3 kB frames (45 kB/s) into 10 kB/s with a queue of one second
    List<EncodedFrame> sent = frames(60, 4_000, 3_000);
    Run r = run(PaddingPolicies.cbr(10_000), sent, 10_000, 100, 40_000);
    long dropped = r.camera().framesDropped();
    assertTrue(dropped > 0, "the queue overflowed");
    assertEquals(sent.size(), r.got().size() + dropped, "a frame is either delivered or counted dropped");
    assertEquals(0, r.viewer().refused(), r.viewer()::toString);
    assertEquals(0, r.viewer().framesAfterGap(), "dropped frames use no counter: no gap at the viewer");
    int at = 0;
    for (EncodedFrame g : r.got()) {
      int i = at;
      while (sent.get(i).presentationMicros() != g.presentationMicros()) {
        i++;
      }
      if (i != at) {
        assertTrue(g.keyframe(), "after a drop, delivery resumes at a keyframe (frame " + i + ")");
      }
      assertArrayEquals(sent.get(i).data(), g.data());
      at = i + 1;
    }
    Map<Long, Long> seconds = perSecond(r, 40);
    for (long s : seconds.values()) {
      assertEquals(10_000, s, "the rate holds while frames are dropped");
    }
  }

  @Test
  void aPolicyTooSmallForACoverIsRefused() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> home.camera(fanOut, Duration.ofMinutes(10)).padding(PaddingPolicies.cbr(100)).build());
    assertTrue(e.getMessage().contains("cover"), e.getMessage());
  }

  @Test
  void unpacedPoliciesDoNotTick() throws Exception {
    MemoryFanOut fanOut = new MemoryFanOut();
    try (LiveCamera camera = home.camera(fanOut, Duration.ofMinutes(10))
        .padding(PaddingPolicies.buckets(1.25)).build()) {
      assertFalse(camera.paced());
      assertEquals(0, camera.tick());
      assertNull(camera.nextTick());
      assertTrue(camera.send(LiveHome.frame(0, 10)) >= 0, "sent at once");
    }
  }
}
