package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.testing.MotionScenes;
import dev.obscura.core.EventMessage;
import dev.obscura.core.StreamId;
import dev.obscura.transport.nats.NatsCluster;
import dev.obscura.transport.nats.NatsEventSubscriber;
import dev.obscura.transport.nats.NatsLiveConfig;
import dev.obscura.transport.nats.NatsUserCreds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * record --motion --nats --creds publishes the sealed event to the household's JetStream events
 * stream (and the store); a phone that was offline runs events --follow --nats --creds later and
 * gets it, opened by MotionEventReader, thumbnail written; every message the NATS stream holds
 * passes the plaintext scan (no thumbnail byte).
 */
class NatsEventsCliTest {
  @TempDir static Path dir;
  static NatsCluster cluster;
  static Path operatorKey;

  @BeforeAll
  static void start() throws Exception {
    operatorKey = dir.resolve("operator.nk");
    cluster = NatsCliTest.startCluster(dir, operatorKey, "home");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Path creds(String name, String... who) {
    return NatsCliTest.creds(dir, operatorKey, name, who);
  }

  @Test
  void anEventRecordedWhileThePhoneWasOfflineReachesItOverNats() throws Exception {
    // events need a roster: a paired camera records into its household's store
    Household home = new Household(dir.resolve("home"));
    Path store = home.storeDir;
    Path camera = creds("porch", "--household", "home", "--camera", "porch");
    Path phone = creds("phone", "--household", "home", "--viewer", "phone");
    Path crossing = MotionScenes.crossing(320, 180, 15, 6, 2, 4).write(dir.resolve("crossing.mp4"));
    Cli rec = Cli.run("record", "--store", store.toString(), "--camera", home.cameraDir.toString(),
        "--input", crossing.toString(), "--segment-seconds", "1", "--stream", "porch", "--motion", "--motion-min", "0.5s",
        "--nats", cluster.urlList(), "--creds", camera.toString());
    assertEquals(0, rec.exitCode(), rec::toString);
    assertTrue(rec.out().contains("motion: 1 event stored"), rec::toString);
    assertFalse((rec.out() + rec.err()).contains("not published"), rec::toString);

    // the store's copy is taken away, so what the phone shows came over NATS (the reader still
    // reads the epoch's key envelope from the store)
    Path eventFile;
    try (var files = Files.walk(store.resolve("porch/events"))) {
      eventFile = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    byte[] stored = Files.readAllBytes(eventFile);
    Files.delete(eventFile);
    Path thumbs = dir.resolve("thumbs");
    Cli ev = Cli.run("events", "--store", store.toString(), "--identity", home.phoneKey.toString(),
        "--thumbnails", thumbs.toString(), "--follow", "--duration", "3s", "--nats", cluster.urlList(),
        "--creds", phone.toString());
    assertEquals(0, ev.exitCode(), ev::toString);
    assertTrue(ev.out().contains("0 events"), "the store listing is empty: " + ev.out());
    Matcher m = MotionEventsCliTest.EVENT_LINE.matcher(ev.out());
    assertTrue(m.find(), ev::toString);
    assertFalse(m.find(), "the event is shown once: " + ev.out());
    assertFalse(ev.err().contains("refused"), ev::toString);
    byte[] thumbnail = Files.readAllBytes(thumbs.resolve(MotionEventsCliTest.EVENT_LINE.matcher(ev.out()).results()
        .findFirst().orElseThrow().group(1) + ".jpg"));
    assertNotNull(ImageIO.read(new java.io.ByteArrayInputStream(thumbnail)));

    // what the NATS cluster holds: every message of the events stream, to a third party's eyes
    NatsUserCreds tablet = NatsUserCreds.read(creds("tablet", "--household", "home", "--viewer", "tablet"));
    Map<String, byte[]> held = new TreeMap<>();
    try (NatsEventSubscriber s = NatsEventSubscriber.connect(NatsLiveConfig.builder(cluster.urls(), tablet).build(),
        "home", StreamId.of("porch"), NatsEventSubscriber.Start.all())) {
      // the recorded event, then on until 400 ms pass with nothing, for a duplicate or an extra one
      EventMessage first = s.next(Duration.ofSeconds(30));
      assertNotNull(first, "the recorded event did not arrive over NATS within 30 s");
      int messages = 0;
      for (EventMessage e = first; e != null; e = s.next(Duration.ofMillis(400))) {
        messages++;
        held.put("nats:" + e.id(), e.sealed());
        assertEquals(eventFile.getFileName().toString(), e.id().toHex() + ".evt");
        assertTrue(java.util.Arrays.equals(stored, e.sealed()), "NATS carries the stored sealed record");
      }
      assertEquals(1, messages, "NATS delivers the event once");
    }
    assertEquals(1, held.size(), held.keySet()::toString);
    PlaintextScan.assertNothingIn(held, List.of(thumbnail));
    assertTrue(PlaintextScan.sharesARun(thumbnail, thumbnail), "the scan's positive control");
  }
}
