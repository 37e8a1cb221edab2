package dev.obscura.examples;

import dev.obscura.crypto.keys.KeyProtection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.Mp4Probe;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.examples.cli.ObscuraCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** relay, live and watch through the command line, on loopback, with their exit codes. */
class LiveCliTest {
  static final String PORCH_PUB = "porch-publish-0123456789abcdef";
  static final String PORCH_SUB = "porch-subscribe-0123456789abcdef";
  static final String GARAGE_PUB = "garage-publish-0123456789abcdef";
  static final String GARAGE_SUB = "garage-subscribe-0123456789abcdef";
  static final List<String> TOKENS = List.of(PORCH_PUB, PORCH_SUB, GARAGE_PUB, GARAGE_SUB);
  static final String[] SMALL = {"--width", "320", "--height", "240", "--fps", "15"};

  @TempDir static Path dir;
  static Household home;
  static Path streams;
  static Thread relayThread;
  static final StringWriter relayOut = new StringWriter();
  static final StringWriter relayErr = new StringWriter();
  static volatile int relayExit = -1;
  static String url;

  @BeforeAll
  static void startRelay() throws Exception {
    home = new Household(dir.resolve("home"));
    streams = dir.resolve("streams.txt");
    Files.writeString(streams, "# NAME PUBLISH_TOKEN SUBSCRIBE_TOKEN\nporch " + PORCH_PUB + " " + PORCH_SUB
        + "\ngarage " + GARAGE_PUB + " " + GARAGE_SUB + "\n");
    relayThread = new Thread(() -> relayExit = ObscuraCli.run(
        new String[] {"relay", "--port", "0", "--streams", streams.toString()},
        new PrintWriter(relayOut, true), new PrintWriter(relayErr, true)), "relay-cli");
    relayThread.start();
    Pattern listening = Pattern.compile("relay listening on ws://127\\.0\\.0\\.1:(\\d+)"); // the default --bind
    long deadline = System.nanoTime() + 30_000_000_000L;
    Matcher m;
    while (!(m = listening.matcher(relayOut.toString())).find()) {
      assertTrue(relayThread.isAlive(), () -> "relay ended: " + relayOut + relayErr);
      assertTrue(System.nanoTime() < deadline, "relay did not start");
      Thread.sleep(20);
    }
    url = "ws://127.0.0.1:" + m.group(1);
  }

  @AfterAll
  static void stopRelay() throws Exception {
    relayThread.interrupt();
    relayThread.join(20_000);
    assertEquals(0, relayExit, () -> relayOut + "\n" + relayErr);
    assertTrue(relayOut.toString().contains("relay stopped:"), relayOut::toString);
    assertNoToken(relayOut + relayErr.toString());
  }

  static void assertNoToken(String text) {
    for (String t : TOKENS) {
      assertFalse(text.contains(t), "a token was printed");
    }
  }

  /**
   * Starts {@code obscura watch} in-process on {@code executor} and returns once it printed its
   * readiness line ("watching ..." comes after its relay subscriber is open), so the camera that
   * starts next is seen from its first keyframe; fails if the watcher ends first or is not ready
   * within a generous deadline.
   */
  static CompletableFuture<Cli> startWatching(String[] args, java.util.concurrent.Executor executor)
      throws InterruptedException {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> {
      int code = dev.obscura.examples.cli.ObscuraCli.run(args, new java.io.PrintWriter(out, true),
          new java.io.PrintWriter(err, true));
      return new Cli(code, out.toString(), err.toString());
    }, executor);
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (!(out.toString() + err.toString()).contains("watching porch for ")) {
      assertTrue(!run.isDone(), () -> "the watcher ended before it was ready: " + run.join());
      assertTrue(System.nanoTime() < deadline, () -> "the watcher was not ready in 60 s: " + out + err);
      Thread.sleep(10); // polling the readiness condition, not a window
    }
    return run;
  }

  static String[] watch(Path identity, Path out, String duration) {
    return new String[] {"watch", "--relay", url, "--stream", "porch", "--token", PORCH_SUB, "--store",
        home.storeDir.toString(), "--identity", identity.toString(), "--out", out.toString(), "--duration", duration};
  }

  /**
   * A watch of the 3 s SMALL camera that ends once it wrote the camera's 45 frames; its
   * --duration is only a bound for a watch that never gets them (started by {@link
   * #startWatching} before the camera, it sees the camera from its first keyframe).
   */
  static String[] watchTheCamera(Path identity, Path out) {
    return CliEndToEndTest.concat(watch(identity, out, "60s"), new String[] {"--frames", "45"});
  }

  /** The watcher's result, failing the test if it did not end within a generous bound. */
  static Cli ended(CompletableFuture<Cli> watcher) throws Exception {
    try {
      return watcher.get(2, java.util.concurrent.TimeUnit.MINUTES);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the watcher did not end within 2 minutes", e);
    }
  }

  /**
   * A watcher's MP4 of the 3 s SMALL camera: from a keyframe (every 15 frames), at least a
   * second, consecutive frames to the camera's last (45), every frame decodable.
   */
  static void assertLiveVideo(Path mp4) throws Exception {
    List<Long> stamps = CliEndToEndTest.stamps(mp4);
    long first = stamps.get(0);
    assertEquals(0, first % 15, "starts at a keyframe");
    assertTrue(stamps.size() >= 15, () -> "at least a second of video: " + stamps);
    assertEquals(LongStream.range(first, first + stamps.size()).boxed().toList(), stamps, "consecutive frames");
    assertEquals(45, first + stamps.size(), "to the camera's last frame");
    assertEquals(stamps.size(), Mp4Probe.probe(mp4).frames());
  }

  @Test
  void liveToTwoWatchersFrameByFrame() throws Exception {
    Path phoneMp4 = dir.resolve("phone.mp4");
    Path tabletMp4 = dir.resolve("tablet.mp4");
    // Each watcher ends once it wrote the camera's 45 frames (its --duration only bounds a watch
    // that never gets them). Each watcher blocks until then, so each gets its own thread: left to
    // the default async executor, on a 2-core machine with JDK 25 the two did not run side by side.
    java.util.concurrent.ExecutorService watchers = java.util.concurrent.Executors.newFixedThreadPool(2);
    CompletableFuture<Cli> phone = startWatching(watchTheCamera(home.phoneKey, phoneMp4), watchers);
    CompletableFuture<Cli> tablet = startWatching(watchTheCamera(home.tabletKey, tabletMp4), watchers);
    watchers.shutdown();
    Cli live = Cli.run(CliEndToEndTest.concat(new String[] {"live", "--relay", url, "--stream", "porch", "--token", PORCH_PUB,
        "--store", home.storeDir.toString(), "--camera", home.cameraDir.toString(), "--duration", "3s"}, SMALL));
    assertEquals(0, live.exitCode(), live::toString);
    assertTrue(live.out().contains("published 45 frames (3 keyframes) in 1 epoch:"), live::toString);
    assertNoToken(live.out() + live.err());
    for (var w : List.of(phone, tablet)) {
      Cli c = ended(w);
      assertEquals(0, c.exitCode(), c::toString);
      assertTrue(c.out().contains("refused 0 replayed, 0 stale, 0 forged or damaged"), c::toString); // a fresh session
      assertNoToken(c.out() + c.err());
    }
    for (Path mp4 : List.of(phoneMp4, tabletMp4)) {
      assertLiveVideo(mp4);
    }

    // the live epoch's envelope is in the store; recording the same stream afterwards with the
    // same camera continues above it, and export reads the recording with the phone's key
    Cli record = Cli.run(CliEndToEndTest.concat(new String[] {"record", "--store", home.storeDir.toString(),
        "--camera", home.cameraDir.toString(), "--stream", "porch", "--duration", "2s", "--segment-seconds", "1"}, SMALL));
    assertEquals(0, record.exitCode(), record::toString);
    Cli inspect = Cli.run("inspect", "--store", home.storeDir.toString());
    assertTrue(inspect.out().contains(dev.obscura.core.ObjectNames.envelope(LiveRelayTest.PORCH, dev.obscura.core.EpochId.of(0))), inspect::toString);
    assertTrue(inspect.out().contains(dev.obscura.core.ObjectNames.envelope(LiveRelayTest.PORCH, dev.obscura.core.EpochId.of(1))), inspect::toString);
    Path exported = dir.resolve("export.mp4");
    Cli export = Cli.run("export", "--store", home.storeDir.toString(), "--identity", home.phoneKey.toString(),
        "--out", exported.toString(), "--stream", "porch");
    assertEquals(0, export.exitCode(), export::toString);
    assertEquals(LongStream.range(0, 30).boxed().toList(), CliEndToEndTest.stamps(exported));
  }

  /**
   * {@code live --padding cbr:B}: the camera paces its frames to B bytes a second with cover
   * frames; the watcher decodes every frame, in order, to the last one, and refuses nothing.
   */
  @Test
  void livePacedWithCbrReachesTheWatcherFrameByFrame() throws Exception {
    Path mp4 = dir.resolve("paced.mp4");
    CompletableFuture<Cli> phone = startWatching(watchTheCamera(home.phoneKey, mp4),
        java.util.concurrent.Executors.newSingleThreadExecutor());
    // and a watch of --frames 15 beside it: it stops at its 15th frame, a second of the camera
    Path second = dir.resolve("paced-15.mp4");
    CompletableFuture<Cli> tablet = startWatching(
        CliEndToEndTest.concat(watch(home.tabletKey, second, "60s"), new String[] {"--frames", "15"}),
        java.util.concurrent.Executors.newSingleThreadExecutor());
    Cli live = Cli.run(CliEndToEndTest.concat(new String[] {"live", "--relay", url, "--stream", "porch", "--token", PORCH_PUB,
        "--store", home.storeDir.toString(), "--camera", home.cameraDir.toString(), "--duration", "3s",
        "--padding", "cbr:200000"}, SMALL));
    assertEquals(0, live.exitCode(), live::toString);
    assertTrue(live.out().contains("published 45 frames (3 keyframes)"), live::toString);
    Cli c = ended(phone);
    assertEquals(0, c.exitCode(), c::toString);
    assertTrue(c.out().contains("refused 0 replayed, 0 stale, 0 forged or damaged"), c::toString);
    List<Long> stamps = CliEndToEndTest.stamps(mp4);
    long first = stamps.get(0);
    assertEquals(0, first % 15, "starts at a keyframe");
    assertTrue(stamps.size() >= 15, () -> "at least a second of video: " + stamps);
    assertEquals(LongStream.range(first, 45).boxed().toList(), stamps, "every frame once, in order, to the last");
    Cli t = ended(tablet);
    assertEquals(0, t.exitCode(), t::toString);
    assertTrue(t.out().contains("watching porch for 60.00 s or 15 frames"), t::toString);
    assertTrue(t.out().contains("wrote 15 frames"), t::toString);
    List<Long> fifteen = CliEndToEndTest.stamps(second);
    assertEquals(0, fifteen.get(0) % 15, "starts at a keyframe");
    assertEquals(LongStream.range(fifteen.get(0), fifteen.get(0) + 15).boxed().toList(), fifteen);
    Cli bad = Cli.run(CliEndToEndTest.concat(new String[] {"live", "--relay", url, "--stream", "porch", "--token", PORCH_PUB,
        "--store", home.storeDir.toString(), "--camera", home.cameraDir.toString(), "--padding", "cbr:x"}, SMALL));
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.err().contains("cbr"), bad::toString);
    // parses, but its sends cannot hold a cover frame: a usage error naming the option, not a crash
    Cli tooSmall = Cli.run(CliEndToEndTest.concat(new String[] {"live", "--relay", url, "--stream", "porch", "--token", PORCH_PUB,
        "--store", home.storeDir.toString(), "--camera", home.cameraDir.toString(), "--padding", "cbr:100"}, SMALL));
    assertEquals(2, tooSmall.exitCode(), tooSmall::toString);
    assertTrue(tooSmall.err().contains("--padding cbr"), tooSmall::toString);
  }

  /** The relay started with the default --bind answers on 127.0.0.1 and on no other address of this machine. */
  @Test
  void relayListensOnLoopbackByDefault() throws Exception {
    int port = java.net.URI.create(url).getPort();
    assertTrue(relayOut.toString().contains("relay listening on ws://127.0.0.1:" + port + " with 2 streams"), relayOut::toString);
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000); // answers on loopback
    }
    java.util.Optional<java.net.InetAddress> other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
        .stream().flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst();
    if (other.isPresent()) { // a non-loopback address of this machine, if it has one: refused there
      try (java.net.Socket s = new java.net.Socket()) {
        assertThrows(java.io.IOException.class, () -> s.connect(new java.net.InetSocketAddress(other.get(), port), 5_000),
            "the relay must not answer on " + other.get());
      }
    }
  }

  @Test
  void refusalsAndErrorsExitWithOneLine() throws Exception {
    Path out = dir.resolve("x.mp4");
    // another household's subscribe token
    Cli cross = Cli.run("watch", "--relay", url, "--stream", "porch", "--token", GARAGE_SUB, "--store",
        home.storeDir.toString(), "--identity", home.phoneKey.toString(), "--out", out.toString());
    assertEquals(1, cross.exitCode(), cross::toString);
    assertTrue(cross.oneLineError().startsWith("obscura: refused by relay: "), cross::toString);
    assertTrue(cross.oneLineError().contains("403"), cross::toString);
    // a subscribe token used to publish
    Cli pub = Cli.run(CliEndToEndTest.concat(new String[] {"live", "--relay", url, "--stream", "porch", "--token", PORCH_SUB,
        "--store", home.storeDir.toString(), "--camera", home.cameraDir.toString(), "--duration", "1s"}, SMALL));
    assertEquals(1, pub.exitCode(), pub::toString);
    assertTrue(pub.oneLineError().startsWith("obscura: refused by relay: "), pub::toString);
    // an unknown stream
    Cli unknown = Cli.run("watch", "--relay", url, "--stream", "attic", "--token", PORCH_SUB, "--store",
        home.storeDir.toString(), "--identity", home.phoneKey.toString(), "--out", out.toString());
    assertEquals(1, unknown.exitCode(), unknown::toString);
    assertTrue(unknown.oneLineError().contains("404"), unknown::toString);

    // a device that is not in the roster
    Path stranger = dir.resolve("stranger.key");
    ViewerIdentity.generate().writeTo(stranger, KeyProtection.platformKey(Path.of(System.getenv("OBSCURA_PLATFORM_KEY"))));
    Cli notMember = Cli.run(watch(stranger, out, "1s"));
    assertEquals(4, notMember.exitCode(), notMember::toString);
    notMember.oneLineError();
    // a store without a roster: nothing to verify the camera with, nobody to wrap keys to
    Path empty = Files.createDirectories(dir.resolve("empty-store"));
    Cli noRoster = Cli.run("watch", "--relay", url, "--stream", "porch", "--token", PORCH_SUB, "--store",
        empty.toString(), "--identity", home.phoneKey.toString(), "--out", out.toString());
    assertEquals(3, noRoster.exitCode(), noRoster::toString);
    noRoster.oneLineError();
    Cli liveNoRoster = Cli.run(CliEndToEndTest.concat(new String[] {"live", "--relay", url, "--stream", "garage", "--token",
        GARAGE_PUB, "--store", empty.toString(), "--camera", dir.resolve("cam2").toString(), "--duration", "1s"}, SMALL));
    assertEquals(4, liveNoRoster.exitCode(), liveNoRoster::toString);
    assertTrue(liveNoRoster.oneLineError().contains("not paired"), liveNoRoster::toString);
    // nobody is publishing
    Cli silent = Cli.run("watch", "--relay", url, "--stream", "garage", "--token", GARAGE_SUB, "--store",
        home.storeDir.toString(), "--identity", home.phoneKey.toString(), "--out", out.toString(), "--duration", "1s");
    assertEquals(1, silent.exitCode(), silent::toString);
    assertTrue(silent.oneLineError().contains("no video"), silent::toString);
    assertFalse(Files.exists(out), "nothing written");

    // no relay there
    Cli unreachable = Cli.run("watch", "--relay", "ws://127.0.0.1:1", "--stream", "porch", "--token", PORCH_SUB, "--store",
        home.storeDir.toString(), "--identity", home.phoneKey.toString(), "--out", out.toString());
    assertEquals(1, unreachable.exitCode(), unreachable::toString);
    assertTrue(unreachable.oneLineError().startsWith("obscura: cannot reach the relay at ws://127.0.0.1:1 ("), unreachable::toString);

    // usage
    Cli badUrl = Cli.run("watch", "--relay", "http://127.0.0.1:1", "--stream", "porch", "--token", PORCH_SUB, "--store",
        home.storeDir.toString(), "--identity", home.phoneKey.toString(), "--out", out.toString());
    assertEquals(2, badUrl.exitCode(), badUrl::toString);
    Cli noFrames = Cli.run(CliEndToEndTest.concat(watch(home.phoneKey, out, "1s"), new String[] {"--frames", "0"}));
    assertEquals(2, noFrames.exitCode(), noFrames::toString);
    assertTrue(noFrames.oneLineError().contains("--frames"), noFrames::toString);
    Cli badToken = Cli.run("live", "--relay", url, "--stream", "porch", "--token", "short tok", "--store",
        home.storeDir.toString(), "--camera", home.cameraDir.toString());
    assertEquals(2, badToken.exitCode(), badToken::toString);
    assertFalse(badToken.err().contains("short tok"));
    Cli noFolder = Cli.run(watch(home.phoneKey, dir.resolve("no/such/folder/x.mp4"), "1s"));
    assertEquals(1, noFolder.exitCode(), noFolder::toString);
    assertTrue(noFolder.oneLineError().contains("no such folder"), noFolder::toString);
    Cli missing = Cli.run("watch", "--relay", url, "--stream", "porch");
    assertEquals(2, missing.exitCode(), missing::toString);

    // relay configuration
    Path bad = dir.resolve("bad-streams.txt");
    Files.writeString(bad, "porch onlyonetoken-0123456789abcdef\n");
    Cli badStreams = Cli.run("relay", "--port", "0", "--streams", bad.toString());
    assertEquals(5, badStreams.exitCode(), badStreams::toString);
    badStreams.oneLineError();
    Cli noStreams = Cli.run("relay", "--port", "0", "--streams", dir.resolve("nope.txt").toString());
    assertEquals(1, noStreams.exitCode(), noStreams::toString);
    noStreams.oneLineError();
    Files.writeString(bad, "porch " + PORCH_PUB + " " + PORCH_SUB + "\n");
    for (String addr : List.of("nope", "localhost", "999.1.1.1", "1.2.3", "")) {
      Cli badBind = Cli.run("relay", "--port", "0", "--bind", addr, "--streams", bad.toString());
      assertEquals(2, badBind.exitCode(), badBind::toString);
      assertTrue(badBind.oneLineError().contains("--bind"), badBind::toString);
    }
    for (Cli c : List.of(cross, pub, unknown, notMember, noRoster, liveNoRoster, silent, badUrl, badToken, badStreams)) {
      assertNoToken(c.out() + c.err());
    }
  }
}
