package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.transport.nats.NatsCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nats operator|server-config|creds}, then {@code live --nats --creds} and two {@code
 * watch --nats --creds} over a real three-node JetStream cluster: every frame decoded; a third
 * party holding every NATS message of the household, and every stored object, sees no video.
 */
class NatsCliTest {
  static final String[] SMALL = LiveCliTest.SMALL;

  @TempDir static Path dir;
  static Household home;
  static NatsCluster cluster;
  static Path operatorKey;

  @BeforeAll
  static void start() throws Exception {
    home = new Household(dir.resolve("home"));
    operatorKey = dir.resolve("operator.nk");
    cluster = startCluster(dir, operatorKey, "home,other");
  }

  /**
   * {@code nats operator} and {@code nats server-config} for {@code households}, then a
   * three-node cluster trusting them (skipped without nats-server).
   */
  static NatsCluster startCluster(Path dir, Path operatorKey, String households) throws Exception {
    NatsCluster.assumeInstalled();
    Cli op = Cli.run("nats", "operator", "--out", operatorKey.toString());
    assertEquals(0, op.exitCode(), op::toString);
    String seed = Files.readString(operatorKey);
    Cli conf = Cli.run("nats", "server-config", "--operator-key", operatorKey.toString(), "--household", households);
    assertEquals(0, conf.exitCode(), conf::toString);
    assertTrue(conf.out().contains("resolver: MEMORY"), conf::toString);
    assertFalse(conf.out().contains(seed.lines().filter(l -> l.startsWith("SO")).findFirst().orElseThrow()));
    return NatsCluster.start(dir.resolve("nats"), conf.out());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Path creds(String name, String... who) {
    return creds(dir, operatorKey, name, who);
  }

  /** {@code nats creds} into {@code dir/NAME.creds}. */
  static Path creds(Path dir, Path operatorKey, String name, String... who) {
    Path out = dir.resolve(name + ".creds");
    Cli c = Cli.run(CliEndToEndTest.concat(new String[] {"nats", "creds", "--operator-key", operatorKey.toString(),
        "--out", out.toString()}, who));
    assertEquals(0, c.exitCode(), c::toString);
    return out;
  }

  /** A watch that ends once it wrote the camera's 45 frames, as {@link LiveCliTest#watchTheCamera}. */
  static String[] watch(Path identity, Path creds, Path out) {
    return new String[] {"watch", "--nats", cluster.urlList(), "--creds", creds.toString(), "--stream", "porch",
        "--store", home.storeDir.toString(), "--identity", identity.toString(), "--out", out.toString(), "--duration", "60s",
        "--frames", "45"};
  }

  @Test
  void liveToTwoWatchersOverNats() throws Exception {
    Path camera = creds("porch", "--household", "home", "--camera", "porch");
    Path phone = creds("phone", "--household", "home", "--viewer", "phone");
    Path tablet = creds("tablet", "--household", "home", "--viewer", "tablet", "--cameras", "porch");
    Path phoneMp4 = dir.resolve("phone.mp4");
    Path tabletMp4 = dir.resolve("tablet.mp4");
    // a third party the server lets read every message of the household's streams (as the provider
    // can), but not on the roster: what it holds must show nothing of the video
    Path eveCreds = creds("eve", "--household", "home", "--viewer", "eve");
    java.util.Map<String, byte[]> held = new java.util.concurrent.ConcurrentSkipListMap<>();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    dev.obscura.transport.nats.NatsLiveSubscriber eve = dev.obscura.transport.nats.NatsLiveSubscriber.connect(
        dev.obscura.transport.nats.NatsLiveConfig.builder(cluster.urls(),
            dev.obscura.transport.nats.NatsUserCreds.read(eveCreds)).build(),
        "home", dev.obscura.core.StreamId.of("porch"));
    CompletableFuture<Integer> tap = CompletableFuture.supplyAsync(() -> {
      int n = 0;
      try (eve) {
        while (n < 46 && !stop.get()) { // the camera's envelope and 45 frames, or stopped
          dev.obscura.core.LiveMessage m;
          try {
            m = eve.next(java.time.Duration.ofMillis(200));
          } catch (java.net.SocketTimeoutException quiet) {
            continue; // nothing in 200 ms: look at the stop flag again
          }
          if (m == null) {
            break; // the subscription ended
          }
          held.put(String.format(java.util.Locale.ROOT, "nats message %05d (%s)", n++, m), m.payload());
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return n;
    });
    ExecutorService watchers = Executors.newFixedThreadPool(2);
    // each watcher is started and waited for until it prints its readiness line (subscriber open)
    CompletableFuture<Cli> p = LiveCliTest.startWatching(watch(home.phoneKey, phone, phoneMp4), watchers);
    CompletableFuture<Cli> t = LiveCliTest.startWatching(watch(home.tabletKey, tablet, tabletMp4), watchers);
    watchers.shutdown();
    Cli live = Cli.run(CliEndToEndTest.concat(new String[] {"live", "--nats", cluster.urlList(), "--creds", camera.toString(),
        "--stream", "porch", "--store", home.storeDir.toString(), "--camera", home.cameraDir.toString(), "--duration", "3s"}, SMALL));
    assertEquals(0, live.exitCode(), live::toString);
    assertTrue(live.out().contains("published 45 frames (3 keyframes) in 1 epoch:"), live::toString);
    StringBuilder printed = new StringBuilder(live.out() + live.err());
    for (var w : List.of(p, t)) {
      Cli c = LiveCliTest.ended(w);
      assertEquals(0, c.exitCode(), c::toString);
      assertTrue(c.out().contains("refused 0 replayed, 0 stale, 0 forged or damaged"), c::toString);
      printed.append(c.out()).append(c.err());
    }
    for (Path f : List.of(camera, phone, tablet)) {
      for (String line : Files.readAllLines(f)) {
        if (line.startsWith("SU") || line.startsWith("ey")) {
          assertFalse(printed.toString().contains(line), "a seed or JWT was printed");
        }
      }
    }
    for (Path mp4 : List.of(phoneMp4, tabletMp4)) {
      LiveCliTest.assertLiveVideo(mp4);
    }
    int tapped;
    try {
      tapped = tap.get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the third party did not get the envelope and the 45 frames within 60 s: " + held.keySet(), e);
    } finally {
      stop.set(true);
    }
    assertTrue(tapped >= 46, "every frame and an envelope reached the third party: " + tapped);
    byte[] clear = Files.readAllBytes(phoneMp4);
    // the scan's positive control: the tablet's decode of the same stream shares runs with the phone's
    assertTrue(PlaintextScan.sharesARun(Files.readAllBytes(tabletMp4), clear));
    for (dev.obscura.core.StoredObject o : home.store.list("")) {
      held.put("stored " + o.name(), home.store.readAll(o.name(), 1 << 24));
    }
    PlaintextScan.assertNothingIn(held, List.of(clear));
  }

  @Test
  void aViewerOfAnotherHouseholdIsRefused() throws Exception {
    Path stranger = creds("stranger", "--household", "other", "--viewer", "stranger");
    // its creds name household "other", another NATS account: home's porch never reaches it
    Cli c = Cli.run("watch", "--nats", cluster.urlList(), "--creds", stranger.toString(), "--stream", "porch",
        "--store", home.storeDir.toString(), "--identity", home.phoneKey.toString(),
        "--out", dir.resolve("stranger.mp4").toString(), "--duration", "2s");
    assertTrue(c.exitCode() != 0, c::toString);
    assertFalse(Files.exists(dir.resolve("stranger.mp4")) && Files.size(dir.resolve("stranger.mp4")) > 0, c::toString);
  }
}
