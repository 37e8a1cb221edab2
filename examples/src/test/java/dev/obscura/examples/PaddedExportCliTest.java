package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.Mp4Probe;
import dev.obscura.codec.Segmenters;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.EntropySource;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentSource;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.padding.PaddingPolicy;
import dev.obscura.transport.FileSystemSegmentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera that records with bucket padding (through the SDK, and through {@code obscura record
 * --padding}) into a household made with the CLI; {@code obscura export} strips the padding: the
 * exported MP4 is byte for byte the export of the same video recorded without padding.
 */
class PaddedExportCliTest {
  @TempDir Path work;

  static Cli ok(String... args) {
    Cli r = Cli.run(args);
    assertEquals(0, r.exitCode(), String.join(" ", args) + "\n" + r);
    return r;
  }

  /** Records the camera's video into the household's store. */
  interface Recording {
    void record(String store, String camera) throws Exception;
  }

  /** The SDK's Recorder with {@code policy}, on a fixed clock. */
  static Recording sdk(PaddingPolicy policy) {
    return (store, cam) -> {
      CameraState camera = CameraState.open(Path.of(cam), KeyProtection.platformKey(platformKeyFile()),
          EntropySource.system());
      FileSystemSegmentStore fs = new FileSystemSegmentStore(Path.of(store));
      try (Recorder recorder = Recorder.builder().store(fs).stream(StreamId.of("camera")).camera(camera).padding(policy).build();
          SegmentSource video = Segmenters.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(3),
              Duration.ofSeconds(1), Clock.fixed(java.time.Instant.parse("2030-01-01T00:00:00Z"), java.time.ZoneOffset.UTC))) {
        for (MediaSegment s; (s = video.next()) != null; ) {
          recorder.seal(s);
        }
      }
    };
  }

  /** {@code obscura record} with {@code more} options (the same video as {@link #sdk}). */
  static Recording cli(String... more) {
    return (store, cam) -> ok(CliEndToEndTest.concat(new String[] {"record", "--store", store, "--camera", cam,
        "--duration", "3s", "--segment-seconds", "1", "--width", "320", "--height", "240", "--fps", "15"}, more));
  }

  private Path recordAndExport(String name, Recording recording, List<Integer> sizes) throws Exception {
    Path home = Files.createDirectories(work.resolve(name));
    String store = home.resolve("store").toString();
    String cam = home.resolve("camera").toString();
    String phone = home.resolve("phone").toString();
    ok("keygen", "--out", phone);
    Cli init = ok("camera", "init", "--camera", cam, "--store", store);
    Matcher m = Pattern.compile("pairing code: ([A-Z2-7-]+)").matcher(init.out());
    assertTrue(m.find(), init.out());
    ok("device", "add", "--store", store, "--identity", phone + "/viewer.key", "--device", phone + "/viewer.pub",
        "--name", "phone", "--pair", m.group(1));
    recording.record(store, cam);
    FileSystemSegmentStore fs = new FileSystemSegmentStore(Path.of(store));
    StreamId stream = StreamId.of("camera");
    for (StoredObject o : fs.list(ObjectNames.segmentPrefix(stream))) {
      sizes.add((int) o.sizeBytes());
    }
    Path out = home.resolve("export.mp4");
    ok("export", "--store", store, "--identity", phone + "/viewer.key", "--out", out.toString());
    return out;
  }

  /** As the CLI's Secrets: $OBSCURA_PLATFORM_KEY, else -Dobscura.platformKey. */
  static Path platformKeyFile() {
    String env = System.getenv("OBSCURA_PLATFORM_KEY");
    return Path.of(env != null && !env.isEmpty() ? env : System.getProperty("obscura.platformKey"));
  }

  @Test
  void exportStripsThePadding() throws Exception {
    PaddingPolicy buckets = PaddingPolicies.buckets(1.25, 4096);
    assertBucketsAndSameExport(buckets, "", sdk(buckets), sdk(PaddingPolicies.none()));
  }

  /** Records {@code padded} and {@code plain}: bucket sizes in the store, byte-identical exports. */
  private void assertBucketsAndSameExport(PaddingPolicy buckets, String prefix, Recording padding,
      Recording none) throws Exception {
    List<Integer> padded = new ArrayList<>();
    List<Integer> plain = new ArrayList<>();
    Path a = recordAndExport(prefix + "padded", padding, padded);
    Path b = recordAndExport(prefix + "plain", none, plain);
    assertEquals(3, padded.size());
    for (int size : padded) {
      assertEquals(size, buckets.paddedSize(size), size + " is a bucket");
    }
    assertEquals(45, Mp4Probe.probe(a).frames());
    assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(a), "the export of padded segments is the unpadded export");
    assertTrue(!padded.equals(plain), "the sizes differ in the store: " + padded + " vs " + plain);
  }

  /** {@code obscura record --padding buckets:...}: bucket sizes in the store, the same export. */
  @Test
  void cliRecordPadsSegmentsToBucketsAndExportStripsThem() throws Exception {
    assertBucketsAndSameExport(PaddingPolicies.parse("buckets:1.25:4096"), "cli-",
        cli("--padding", "buckets:1.25:4096"), cli());
    Cli bad = Cli.run("record", "--store", work.resolve("x").toString(), "--camera", work.resolve("c").toString(),
        "--padding", "buckets:0.5");
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.err().contains("buckets"), bad::toString);
  }
}
