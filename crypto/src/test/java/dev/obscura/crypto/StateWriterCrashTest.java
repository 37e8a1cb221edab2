package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.AtomicFiles;
import dev.obscura.core.EntropySource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.audit.AuditHead;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.RosterRef;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.StorePin;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash between write and rename, for every writer of state in this module: a child JVM does
 * the write and is halted ({@link AtomicFiles#HALT_PROPERTY}: {@code Runtime.halt}, no finally
 * blocks) after the new content is forced to its temporary file and before the rename. The old
 * content must survive whole, the reader must not take the temporary file for the state, and the
 * next write must succeed.
 */
class StateWriterCrashTest {
  static final StreamId STREAM = StreamId.of("front");

  @TempDir Path tmp;

  /** Runs {@code main(scenario, dir)} in a child JVM halted before the rename onto {@code name}. */
  static void crashBeforeRename(String scenario, Path dir, String name) throws Exception {
    List<String> cmd = new ArrayList<>(Arrays.asList(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-D" + AtomicFiles.HALT_PROPERTY + "=" + name,
        StateWriterCrashTest.class.getName(), scenario, dir.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not stop");
    assertEquals(AtomicFiles.HALT_STATUS, p.exitValue(),
        "the child was to be halted before the rename: " + Files.readString(dir.resolve("child.log")));
  }

  /** The temporary files a crash left beside {@code name}. */
  static List<String> leftovers(Path dir, String name) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("." + name + ".") && n.endsWith(AtomicFiles.TEMP_SUFFIX))
          .collect(Collectors.toList());
    }
  }

  static KeyProtection platform(Path dir) {
    return KeyProtection.platformKey(dir.resolve("platform.key"))
        .withEntropy(EntropySource.insecureDeterministicForTests(7));
  }

  static StorePin pin(int v) {
    byte[] d = new byte[32];
    Arrays.fill(d, (byte) v);
    return new StorePin(new RosterRef(v, d), null, new AuditHead(v, d));
  }

  /** The child: does one write of the scenario (the parent set the halt before its rename). */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "epochs" -> CameraState.open(dir.resolve("camera"), platform(dir),
          EntropySource.insecureDeterministicForTests(1)).useEpoch(STREAM, 9);
      case "camera.key" -> CameraState.open(dir.resolve("camera"), platform(dir),
          EntropySource.insecureDeterministicForTests(1));
      case "trust" -> new FileTrustStore(dir.resolve("viewer.trust")).save("s3://b/home", pin(2));
      case "viewer.key" -> ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(3))
          .writeTo(dir.resolve("viewer.key"), platform(dir));
      case "live.ctr" -> {
        try (dev.obscura.crypto.sframe.FileCounterStore c =
            dev.obscura.crypto.sframe.FileCounterStore.open(dir.resolve("live.ctr"))) {
          c.store(2048);
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.exit(0); // not halted: the parent's assertion names it
  }

  @Test
  void cameraEpochCountersSurviveACrashBeforeTheRename() throws Exception {
    Path cam = tmp.resolve("camera");
    CameraState.open(cam, platform(tmp), EntropySource.insecureDeterministicForTests(1))
        .useEpoch(STREAM, 4);
    byte[] before = Files.readAllBytes(cam.resolve("epochs"));
    crashBeforeRename("epochs", tmp, "epochs");
    assertArrayEquals(before, Files.readAllBytes(cam.resolve("epochs")), "old counters intact");
    assertEquals(1, leftovers(cam, "epochs").size(), "the crash left the forced temp file");
    CameraState again = CameraState.open(cam, platform(tmp), EntropySource.insecureDeterministicForTests(1));
    assertEquals(5, again.nextEpoch(STREAM), "the temp file is not taken for the counters");
    again.useEpoch(STREAM, 9);
    assertEquals(10, CameraState.open(cam, platform(tmp), EntropySource.system()).nextEpoch(STREAM));
  }

  @Test
  void aCameraKeyCutOffBeforeItsRenameLeavesNoKeyFile() throws Exception {
    crashBeforeRename("camera.key", tmp, "camera.key");
    Path cam = tmp.resolve("camera");
    assertFalse(Files.exists(cam.resolve("camera.key")), "no partial key file at the target");
    assertEquals(1, leftovers(cam, "camera.key").size());
    CameraState s = CameraState.open(cam, platform(tmp), EntropySource.insecureDeterministicForTests(2));
    assertTrue(s.created(), "the next start makes the identity afresh");
    assertEquals(s.identity().publicKey(),
        CameraState.open(cam, platform(tmp), EntropySource.system()).identity().publicKey());
  }

  @Test
  void theSFrameCounterHighWaterMarkSurvivesACrashBeforeTheRename() throws Exception {
    try (dev.obscura.crypto.sframe.FileCounterStore c =
        dev.obscura.crypto.sframe.FileCounterStore.open(tmp.resolve("live.ctr"))) {
      c.store(1024);
    }
    byte[] before = Files.readAllBytes(tmp.resolve("live.ctr"));
    crashBeforeRename("live.ctr", tmp, "live.ctr");
    assertArrayEquals(before, Files.readAllBytes(tmp.resolve("live.ctr")), "old high-water mark intact");
    assertEquals(1, leftovers(tmp, "live.ctr").size(), "the crash left the forced temp file");
    try (dev.obscura.crypto.sframe.FileCounterStore c =
        dev.obscura.crypto.sframe.FileCounterStore.open(tmp.resolve("live.ctr"))) {
      assertEquals(1024, c.load(), "the temp file is not taken for the counter");
      c.store(4096);
      assertEquals(4096, c.load());
    }
  }

  @Test
  void trustPinsSurviveACrashBeforeTheRename() throws Exception {
    FileTrustStore store = new FileTrustStore(tmp.resolve("viewer.trust"));
    store.save("s3://b/home", pin(1));
    byte[] before = Files.readAllBytes(store.file());
    crashBeforeRename("trust", tmp, "viewer.trust");
    assertArrayEquals(before, Files.readAllBytes(store.file()));
    assertEquals(1, leftovers(tmp, "viewer.trust").size());
    assertEquals(1, new FileTrustStore(store.file()).load("s3://b/home").orElseThrow().roster().version());
    store.save("s3://b/home", pin(3));
    assertEquals(3, new FileTrustStore(store.file()).load("s3://b/home").orElseThrow().roster().version());
  }

  @Test
  void aViewerKeyCutOffBeforeItsRenameLeavesNoKeyFile() throws Exception {
    crashBeforeRename("viewer.key", tmp, "viewer.key");
    Path key = tmp.resolve("viewer.key");
    assertFalse(Files.exists(key), "no partial key file at the target");
    List<String> left = leftovers(tmp, "viewer.key");
    assertEquals(1, left.size());
    if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(tmp.resolve(left.get(0)))), "even the temp file is 0600");
    }
    ViewerIdentity id = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(4));
    id.writeTo(key, platform(tmp));
    assertEquals(id.publicKey(), ViewerIdentity.readFrom(key, platform(tmp)).publicKey());
    assertTrue(new File(key.toString()).length() > 0);
  }
}
