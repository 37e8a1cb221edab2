package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.Mp4Probe;
import dev.obscura.codec.testing.MotionScenes;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * record --motion on H.264 input (passthrough, decoded for detection only): one event for a
 * crossing, none for an idle scene; obscura events lists and decrypts it and writes its
 * thumbnail; export --event exports exactly its segments; no thumbnail byte is in the store.
 */
class MotionEventsCliTest {
  @TempDir static Path dir;
  static Household home;
  static Household idleHome;
  static Path store;
  static Path idleStore;
  static Cli recorded;
  static Cli idle;

  static final Pattern EVENT_LINE = Pattern.compile("(?m)^([0-9a-f]{32})\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)\\.\\.(\\d+)$");

  /** Events need a roster: each scene is recorded by a paired camera into its household's store. */
  @BeforeAll
  static void recordACrossingAndAnIdleScene() throws Exception {
    home = new Household(dir.resolve("home"));
    idleHome = new Household(dir.resolve("idle-home"));
    store = home.storeDir;
    idleStore = idleHome.storeDir;
    Path crossing = MotionScenes.crossing(320, 180, 15, 6, 2, 4).write(dir.resolve("crossing.mp4"));
    Path still = MotionScenes.idle(320, 180, 15, 4).write(dir.resolve("idle.mp4"));
    recorded = Cli.run("record", "--store", store.toString(), "--camera", home.cameraDir.toString(),
        "--input", crossing.toString(), "--segment-seconds", "1", "--stream", "porch", "--motion", "--motion-min", "0.5s");
    assertEquals(0, recorded.exitCode(), recorded::toString);
    idle = Cli.run("record", "--store", idleStore.toString(), "--camera", idleHome.cameraDir.toString(),
        "--input", still.toString(), "--segment-seconds", "1", "--stream", "porch", "--motion", "--motion-min", "0.5s");
    assertEquals(0, idle.exitCode(), idle::toString);
  }

  static Path key(Path s) {
    return s.equals(idleStore) ? idleHome.phoneKey : home.phoneKey;
  }

  static Cli events(Path s, Path thumbs) {
    Cli c = thumbs == null
        ? Cli.run("events", "--store", s.toString(), "--identity", key(s).toString())
        : Cli.run("events", "--store", s.toString(), "--identity", key(s).toString(),
            "--thumbnails", thumbs.toString());
    assertEquals(0, c.exitCode(), c::toString);
    return c;
  }

  @Test
  void aStoreWithoutARosterListsNoEventAndSaysWhy() throws Exception {
    Path keys = dir.resolve("keys");
    Path bare = dir.resolve("bare-store");
    assertEquals(0, Cli.run("keygen", "--out", keys.toString()).exitCode());
    Path crossing = MotionScenes.crossing(320, 180, 15, 6, 2, 4).write(dir.resolve("crossing-bare.mp4"));
    Cli r = Cli.run("record", "--store", bare.toString(), "--recipient", keys.resolve("viewer.pub").toString(),
        "--input", crossing.toString(), "--segment-seconds", "1", "--stream", "porch", "--motion", "--motion-min", "0.5s");
    assertEquals(0, r.exitCode(), r::toString);
    Cli c = Cli.run("events", "--store", bare.toString(), "--identity", keys.resolve("viewer.key").toString());
    assertTrue(c.toString().contains("events need a roster"), c::toString);
    assertTrue(!EVENT_LINE.matcher(c.out()).find(), c::toString);
  }

  @Test
  void aCrossingIsOneEventAndAnIdleSceneNone() {
    assertTrue(recorded.out().contains("motion: 1 event stored"), recorded::toString);
    System.out.println(recorded.out().lines().filter(l -> l.startsWith("motion")).toList());
    assertTrue(idle.out().contains("motion: 0 events stored"), idle::toString);
    assertTrue(events(idleStore, null).out().contains("0 events"));
  }

  @Test
  void eventsListsTheDecryptedEventAndWritesItsThumbnail() throws Exception {
    Path thumbs = dir.resolve("thumbs");
    Cli c = events(store, thumbs);
    Matcher m = EVENT_LINE.matcher(c.out());
    assertTrue(m.find(), c::toString);
    assertEquals("porch", m.group(4));
    long first = Long.parseLong(m.group(5));
    long last = Long.parseLong(m.group(6));
    assertTrue(first >= 1 && last <= 4 && first <= last, "the crossing is in segments 2..3 (+ pre/post): " + first + ".." + last);
    BufferedImage img = ImageIO.read(thumbs.resolve(m.group(1) + ".jpg").toFile());
    assertNotNull(img, "the thumbnail is a JPEG");
    assertEquals(320, img.getWidth());
    assertEquals(180, img.getHeight());
    // no thumbnail bytes (nor any video) in the store in the clear
    Map<String, byte[]> held = new TreeMap<>();
    try (Stream<Path> files = Files.walk(store)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        held.put(store.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    assertTrue(held.keySet().stream().anyMatch(n -> n.startsWith("porch/events/")), held.keySet()::toString);
    for (Map.Entry<String, byte[]> e : held.entrySet()) {
      if (e.getKey().startsWith("porch/events/")) {
        int n = e.getValue().length;
        assertTrue(n == 16384 || n == 32768 || n == 65536, e.getKey() + " is " + n + " bytes, not a bucket size");
      }
    }
    PlaintextScan.assertNothingIn(held, List.of(Files.readAllBytes(thumbs.resolve(m.group(1) + ".jpg"))));
  }

  @Test
  void exportOfAnEventTakesExactlyItsSegments() throws Exception {
    Matcher m = EVENT_LINE.matcher(events(store, null).out());
    assertTrue(m.find());
    long first = Long.parseLong(m.group(5));
    long last = Long.parseLong(m.group(6));
    Path mp4 = dir.resolve("event.mp4");
    Cli export = Cli.run("export", "--store", store.toString(), "--identity", home.phoneKey.toString(),
        "--out", mp4.toString(), "--event", m.group(1));
    assertEquals(0, export.exitCode(), export::toString);
    assertTrue(export.out().contains("from " + (last - first + 1) + " segments"), export::toString);
    assertEquals(15 * (last - first + 1), Mp4Probe.probe(mp4).frames(), "one second (15 frames) per segment");
    Cli both = Cli.run("export", "--store", store.toString(), "--identity", home.phoneKey.toString(),
        "--out", dir.resolve("x.mp4").toString(), "--event", m.group(1), "--from", "+1");
    assertEquals(2, both.exitCode(), both::toString);
  }
}
