package dev.obscura.transport.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EpochId;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.StreamId;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node of three SIGKILLed while two cameras stream to four viewers each, then restarted: the
 * clients on it fail over to the others, viewers continue from a keyframe, nothing is handed
 * over twice, and every viewer gets frames after the restart. The figures (frames lost, longest
 * pause per viewer) go to stdout and {@code target/nats-node-kill.txt}.
 */
class NatsNodeKillTest {
  static final String H = "house-k";
  static final int FPS = 30;
  static final int GOP = 15;

  @TempDir Path dir;

  record Delivered(long sequence, boolean keyframe, long atNanos) {}

  @Test
  void viewersSurviveAKilledNode() throws Exception {
    NatsCluster.assumeInstalled();
    NatsCredentials authority = NatsCredentials.createOperator("obscura-kill");
    try (NatsCluster cluster = NatsCluster.start(dir, authority, List.of(H))) {
      List<StreamId> cams = List.of(StreamId.of("cam1"), StreamId.of("cam2"));
      List<NatsLiveSubscriber> viewers = new ArrayList<>();
      List<List<Delivered>> got = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong[] published = {new AtomicLong(), new AtomicLong()};
      List<NatsLivePublisher> pubs = new ArrayList<>();
      try {
        for (StreamId cam : cams) {
          pubs.add(NatsLivePublisher.connect(
              NatsLiveConfig.builder(cluster.urls(), authority.camera(H, cam)).build(), H, cam));
        }
        for (int c = 0; c < cams.size(); c++) {
          pubs.get(c).publishEnvelope(EpochId.of(7), ("env-" + c).getBytes(StandardCharsets.US_ASCII));
          for (int v = 0; v < 4; v++) {
            NatsLiveSubscriber s = NatsLiveSubscriber.connect(NatsLiveConfig.builder(cluster.urls(),
                authority.viewer(H, "v" + c + "-" + v)).build(), H, cams.get(c));
            viewers.add(s);
            List<Delivered> list = java.util.Collections.synchronizedList(new ArrayList<>());
            got.add(list);
            final int cam = c;
            Thread t = new Thread(() -> {
              try {
                while (!stop.get()) {
                  LiveMessage m;
                  try {
                    m = s.next(Duration.ofMillis(200));
                  } catch (SocketTimeoutException e) {
                    continue;
                  }
                  if (m == null) {
                    return;
                  }
                  if (m instanceof LiveMessage.Frame f) {
                    assertArrayEquals(payload(cam, f.sequence()), f.payload());
                    list.add(new Delivered(f.sequence(), f.keyframe(), System.nanoTime()));
                  }
                }
              } catch (Exception e) {
                list.add(new Delivered(-1, false, System.nanoTime()));
              }
            }, "viewer-" + c + "-" + v);
            t.start();
            threads.add(t);
          }
        }
        for (int c = 0; c < cams.size(); c++) {
          final int cam = c;
          NatsLivePublisher p = pubs.get(c);
          Thread t = new Thread(() -> {
            long start = System.nanoTime();
            for (long i = 0; !stop.get(); i++) {
              try {
                p.publishFrame(EpochId.of(7), i % GOP == 0, payload(cam, i));
                published[cam].incrementAndGet();
              } catch (Exception e) {
                // counted as lost by the viewers
              }
              long next = start + (i + 1) * 1_000_000_000L / FPS;
              long sleep = next - System.nanoTime();
              if (sleep > 0) {
                try {
                  Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                  return;
                }
              }
            }
          }, "camera-" + c);
          t.start();
          threads.add(t);
        }
        // every viewer past a second of video before the kill, and half a second after the restart
        awaitEach(got, d -> d.size() > FPS, "more than " + FPS + " frames");
        long killedAt = System.nanoTime();
        cluster.kill(0);
        Thread.sleep(2500); // the outage: a deliberate gap, not a wait for anything
        cluster.restart(0);
        long restartedAt = System.nanoTime();
        awaitEach(got, d -> d.stream().filter(x -> x.atNanos() > restartedAt).count() >= GOP,
            GOP + " frames after the restart");
        stop.set(true);
        for (Thread t : threads) {
          t.join(5000);
        }

        StringBuilder report = new StringBuilder("NATS node kill: 2 cameras x 4 viewers, " + FPS
            + " fps, keyframe every " + GOP + " frames; node 0 SIGKILLed for "
            + (restartedAt - killedAt) / 1_000_000 + " ms (kill to ready again)\n");
        long worstPause = 0;
        long totalLost = 0;
        for (int i = 0; i < viewers.size(); i++) {
          List<Delivered> d = new ArrayList<>(got.get(i));
          int cam = i / 4;
          assertTrue(d.size() > 30, "viewer " + i + " got " + d.size() + " frames");
          assertTrue(d.stream().noneMatch(x -> x.sequence() < 0), "viewer " + i + " failed");
          assertTrue(d.get(0).keyframe(), "first frame is a keyframe");
          long pause = 0;
          for (int j = 1; j < d.size(); j++) {
            Delivered prev = d.get(j - 1);
            Delivered cur = d.get(j);
            assertTrue(cur.sequence() > prev.sequence(), "viewer " + i + ": sequence "
                + cur.sequence() + " after " + prev.sequence() + ": accepted twice or reordered");
            if (cur.sequence() != prev.sequence() + 1) {
              assertTrue(cur.keyframe(), "viewer " + i + " resumed at a non-keyframe");
            }
            pause = Math.max(pause, cur.atNanos() - prev.atNanos());
          }
          long last = d.get(d.size() - 1).atNanos();
          assertTrue(last > restartedAt, "viewer " + i + " continued after the restart");
          long firstSeq = d.get(0).sequence();
          long lastSeq = d.get(d.size() - 1).sequence();
          long lost = lastSeq - firstSeq + 1 - d.size();
          NatsLiveStats s = viewers.get(i).stats();
          assertEquals(0, s.skipEvents(), "no overflow at this rate");
          totalLost += lost;
          worstPause = Math.max(worstPause, pause);
          report.append(String.format("viewer %d (cam%d): %d frames, %d lost in [%d, %d], longest"
                  + " pause %d ms, reconnects %d, gaps %d, duplicates dropped %d%n", i, cam + 1,
              d.size(), lost, firstSeq, lastSeq, pause / 1_000_000, s.reconnects(), s.gaps(),
              s.duplicates()));
        }
        for (int c = 0; c < pubs.size(); c++) {
          report.append(String.format("camera %d: %d frames offered, %d sent, %d dropped while"
                  + " disconnected, reconnects %d%n", c + 1, published[c].get(),
              pubs.get(c).sentFrames(), pubs.get(c).droppedFrames(), pubs.get(c).reconnects()));
        }
        report.append(String.format("total frames lost by viewers: %d; longest pause: %d ms%n",
            totalLost, worstPause / 1_000_000));
        System.out.print(report);
        Path out = Path.of("target", "nats-node-kill.txt");
        if (Files.isDirectory(out.getParent())) {
          Files.writeString(out, report);
        }
      } finally {
        stop.set(true);
        for (NatsLiveSubscriber s : viewers) {
          s.close();
        }
        for (NatsLivePublisher p : pubs) {
          p.close();
        }
      }
    }
  }

  /**
   * Waits until {@code done} holds for what each viewer got, failing after a generous bound or
   * as soon as a viewer failed.
   */
  static void awaitEach(List<List<Delivered>> got, java.util.function.Predicate<List<Delivered>> done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (int i = 0; i < got.size(); i++) {
      List<Delivered> d = got.get(i);
      for (;;) {
        List<Delivered> now;
        synchronized (d) {
          now = List.copyOf(d);
        }
        assertTrue(now.stream().noneMatch(x -> x.sequence() < 0), "viewer " + i + " failed");
        if (done.test(now)) {
          break;
        }
        assertTrue(System.nanoTime() < deadline, "viewer " + i + " did not get " + what + " within 30 s: "
            + now.size() + " frames");
        Thread.sleep(10);
      }
    }
  }

  static byte[] payload(int cam, long seq) {
    byte[] b = new byte[2000];
    byte[] l = ("cam" + cam + "-" + seq).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(l, 0, b, 0, l.length);
    return b;
  }
}
