package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.codec.Segmenters;
import dev.obscura.codec.SyntheticCamera;
import dev.obscura.codec.VideoSettings;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.SegmentSource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.transport.InMemorySegmentStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every byte the store holds is scanned: nothing of the video is there in the clear. */
class NoPlaintextAtRestTest {
  private static final int WINDOW = 16;

  @Test
  void storeHoldsNoPlaintext() throws Exception {
    InMemorySegmentStore store = new InMemorySegmentStore();
    ViewerIdentity viewer = ViewerIdentity.generate();
    List<byte[]> plaintexts = new ArrayList<>();
    try (SegmentSource camera = Segmenters.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(4),
            Duration.ofSeconds(1), Clock.systemUTC());
        Recorder recorder = Recorder.builder().store(store).stream(StreamId.of("porch"))
            .recipients(List.of(viewer.publicKey())).build()) {
      for (MediaSegment s; (s = camera.next()) != null; ) {
        plaintexts.add(s.data().clone());
        recorder.accept(s);
      }
    }
    Map<String, byte[]> objects = store.snapshot();
    assertEquals(5, objects.size(), "4 segments and 1 envelope");

    byte[] marker = SyntheticCamera.MARKER.getBytes(StandardCharsets.US_ASCII);
    // the scan works: the plaintexts themselves are full of what it looks for
    for (byte[] p : plaintexts) {
      assertTrue(findBox(p, "ftyp") && findBox(p, "moov") && findBox(p, "moof") && findBox(p, "mdat"));
      assertTrue(indexOf(p, marker) >= 0);
      assertTrue(findSps(p));
    }

    Set<Window> stored = new HashSet<>();
    for (Map.Entry<String, byte[]> o : objects.entrySet()) {
      byte[] b = o.getValue();
      for (String box : List.of("ftyp", "moov", "moof", "mdat", "avcC", "trun", "tfdt")) {
        assertTrue(!findBox(b, box), () -> o.getKey() + " holds an MP4 '" + box + "' box in the clear");
      }
      assertTrue(!findSps(b), () -> o.getKey() + " holds an H.264 sequence parameter set in the clear");
      assertTrue(indexOf(b, marker) < 0, () -> o.getKey() + " holds the synthetic camera's marker");
      for (int i = 0; i + WINDOW <= b.length; i++) {
        stored.add(new Window(b, i));
      }
    }
    // no 16-byte run of any plaintext appears anywhere in the store
    for (byte[] p : plaintexts) {
      for (int i = 0; i + WINDOW <= p.length; i += 4) {
        Window w = new Window(p, i);
        if (!isBoring(p, i)) {
          int at = i;
          assertTrue(!stored.contains(w), () -> "a 16-byte run of plaintext is stored in the clear: "
              + java.util.HexFormat.of().formatHex(p, at, at + WINDOW));
        }
      }
    }
  }

  /** Records 4 s of the synthetic camera into {@code store}; returns the plaintext segments. */
  static List<byte[]> record(dev.obscura.core.SegmentStore store, ViewerIdentity viewer) throws Exception {
    List<byte[]> plaintexts = new ArrayList<>();
    try (SegmentSource camera = Segmenters.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(4),
            Duration.ofSeconds(1), Clock.systemUTC());
        Recorder recorder = Recorder.builder().store(store).stream(StreamId.of("porch"))
            .recipients(List.of(viewer.publicKey())).build()) {
      for (MediaSegment s; (s = camera.next()) != null; ) {
        plaintexts.add(s.data().clone());
        recorder.accept(s);
      }
    }
    return plaintexts;
  }

  /** Every regular file under each of {@code roots} (hidden and temporary files included), read whole. */
  static Map<String, byte[]> filesUnder(java.nio.file.Path... roots) throws java.io.IOException {
    Map<String, byte[]> files = new java.util.TreeMap<>();
    for (java.nio.file.Path root : roots) {
      try (java.util.stream.Stream<java.nio.file.Path> all = java.nio.file.Files.walk(root)) {
        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) all::iterator) {
          if (java.nio.file.Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            files.put(f.toString(), java.nio.file.Files.readAllBytes(f));
          }
        }
      }
    }
    return files;
  }

  /**
   * The scan's positive control: the same walk and scan, over a folder holding a decoded export of
   * {@code plaintexts}, finds runs of them.
   */
  static void scanFindsTheClearExport(java.nio.file.Path folder, List<byte[]> plaintexts) throws Exception {
    java.nio.file.Files.createDirectories(folder);
    dev.obscura.codec.Mp4Export.write(plaintexts, folder.resolve("clear.mp4"));
    Map<String, byte[]> clear = filesUnder(folder);
    assertEquals(1, clear.size());
    assertTrue(PlaintextScan.sharesARun(clear.values().iterator().next(), plaintexts.get(1)));
    org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> PlaintextScan.assertNothingIn(clear, plaintexts), "the scan finds the clear export");
  }

  /** What the filesystem store really wrote to disk, every file of its folder, holds no plaintext. */
  @Test
  void fileSystemStoreDiskHoldsNoPlaintext(@org.junit.jupiter.api.io.TempDir java.nio.file.Path work) throws Exception {
    java.nio.file.Path root = work.resolve("store");
    ViewerIdentity viewer = ViewerIdentity.generate();
    List<byte[]> plaintexts = record(new dev.obscura.transport.FileSystemSegmentStore(root), viewer);
    Map<String, byte[]> disk = filesUnder(root);
    assertTrue(disk.size() >= 5, () -> "4 segments and an envelope at least: " + disk.keySet());
    PlaintextScan.assertNothingIn(disk, plaintexts);
    scanFindsTheClearExport(work.resolve("control"), plaintexts);
  }

  /**
   * What a real s3proxy wrote to its filesystem backend (and everything else under its work
   * folder), plus the S3 store's own spill folder for uploads (a small memory buffer forces
   * temporary files), holds no plaintext.
   */
  @Test
  void s3ProxyDiskHoldsNoPlaintext(@org.junit.jupiter.api.io.TempDir java.nio.file.Path work) throws Exception {
    java.nio.file.Path s3dir = work.resolve("s3");
    java.nio.file.Path spill = java.nio.file.Files.createDirectories(work.resolve("spill"));
    ViewerIdentity viewer = ViewerIdentity.generate();
    List<byte[]> plaintexts;
    try (CliS3Server s3 = CliS3Server.start(s3dir);
        dev.obscura.transport.s3.S3SegmentStore store = dev.obscura.transport.s3.S3SegmentStore.builder()
            .endpoint(s3.server.endpoint())
            .bucket(dev.obscura.transport.s3.S3ProxyServer.BUCKET)
            .prefix("rest")
            .credentials(dev.obscura.transport.s3.S3ProxyServer.credentials())
            .pathStyleAccess(true)
            .memoryBufferBytes(1024)
            .tempDirectory(spill)
            .build()) {
      plaintexts = record(store, viewer);
    }
    Map<String, byte[]> disk = filesUnder(s3dir, spill);
    long objects = disk.keySet().stream().filter(k -> k.contains("rest")).count();
    assertTrue(objects >= 5, () -> "4 segments and an envelope at least in s3proxy's backend: " + disk.keySet());
    PlaintextScan.assertNothingIn(disk, plaintexts);
    scanFindsTheClearExport(work.resolve("control"), plaintexts);
  }

  /**
   * A low-entropy run (mostly zeros, like the zero sequence and epoch fields of a public header)
   * can appear in both by chance; only runs with at least six distinct byte values count.
   */
  private static boolean isBoring(byte[] b, int off) {
    java.util.BitSet seen = new java.util.BitSet(256);
    for (int i = 0; i < WINDOW; i++) {
      seen.set(b[off + i] & 0xff);
    }
    return seen.cardinality() < 6;
  }

  /** A box header: a 32-bit size that fits the buffer, then the four-character type. */
  static boolean findBox(byte[] b, String type) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    for (int i = 4; i + 4 <= b.length; i++) {
      if (b[i] == t[0] && b[i + 1] == t[1] && b[i + 2] == t[2] && b[i + 3] == t[3]) {
        long size = ((b[i - 4] & 0xffL) << 24) | ((b[i - 3] & 0xff) << 16) | ((b[i - 2] & 0xff) << 8) | (b[i - 1] & 0xff);
        if (size >= 8 && size <= b.length - (i - 4)) {
          return true;
        }
      }
    }
    return false;
  }

  /** An SPS NAL unit: after an Annex-B start code, or in avcC (count byte 0xE1, 16-bit length, 0x67). */
  static boolean findSps(byte[] b) {
    for (int i = 0; i + 5 <= b.length; i++) {
      boolean startCode = b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && (b[i + 3] & 0x1f) == 7 && (b[i + 3] & 0x80) == 0;
      boolean avcc = (b[i] & 0xff) == 0xe1 && b[i + 1] == 0 && (b[i + 2] & 0xff) < 64 && (b[i + 2] & 0xff) > 3
          && (b[i + 3] & 0xff) == 0x67 && (b[i + 4] == 0x42 || b[i + 4] == 0x4d || b[i + 4] == 0x64);
      if (startCode && i + 4 < b.length && (b[i + 4] == 0x42 || b[i + 4] == 0x4d || b[i + 4] == 0x64)) {
        return true;
      }
      if (avcc) {
        return true;
      }
    }
    return false;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private record Window(long a, long b) {
    Window(byte[] bytes, int off) {
      this(java.nio.ByteBuffer.wrap(bytes, off, WINDOW).getLong(), java.nio.ByteBuffer.wrap(bytes, off + 8, 8).getLong());
    }
  }
}
