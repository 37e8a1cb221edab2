package dev.obscura.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.AtomicFiles;
import dev.obscura.core.StoredObject;
import dev.obscura.transport.spool.SpoolingSegmentStore;
import java.nio.charset.StandardCharsets;
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
 * A crash between write and rename for the writers of state in this module (the file-system
 * store and the spool, which keeps its queue in one): a child JVM overwrites an object and is
 * halted ({@link AtomicFiles#HALT_PROPERTY}) after the new bytes are forced and before the
 * rename. The old object must survive whole, the temporary file must not be listed and is swept
 * on reopening, and the next write must succeed.
 */
class StateWriterCrashTest {
  static final String NAME = "s/cam/seg-1";
  static final byte[] OLD = "old object, whole".getBytes(StandardCharsets.UTF_8);
  static final byte[] NEW = "new object, never renamed".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  /** Runs {@code main(scenario, dir)} in a child JVM halted before its first rename of an object. */
  static void crashBeforeRename(String scenario, Path dir) throws Exception {
    List<String> cmd = new ArrayList<>(Arrays.asList(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-D" + AtomicFiles.HALT_PROPERTY + "=" + (scenario.equals("spool") ? "*" : "seg-1"),
        StateWriterCrashTest.class.getName(), scenario, dir.toString()));
    Path log = dir.resolveSibling(scenario + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not stop");
    assertEquals(AtomicFiles.HALT_STATUS, p.exitValue(), Files.readString(log));
  }

  /** The child: overwrites {@link #NAME} (halted before the rename). */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "store" -> new FileSystemSegmentStore(dir).put(NAME, NEW);
      case "spool" -> {
        try (SpoolingSegmentStore s = SpoolingSegmentStore.builder(dir, new InMemorySegmentStore())
            .uploading(false).build()) {
          s.put(NAME, NEW);
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.exit(0);
  }

  static List<Path> temps(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(f -> f.getFileName().toString().startsWith(FileSystemSegmentStore.TEMP_PREFIX))
          .collect(Collectors.toList());
    }
  }

  @Test
  void aFileSystemStoreObjectSurvivesACrashBeforeTheRename() throws Exception {
    Path root = tmp.resolve("store");
    new FileSystemSegmentStore(root).put(NAME, OLD);
    crashBeforeRename("store", root);
    assertEquals(1, temps(root).size(), "the crash left the forced temp file");
    FileSystemSegmentStore again = new FileSystemSegmentStore(root); // sweeps
    assertEquals(List.of(), temps(root));
    assertArrayEquals(OLD, again.readAll(NAME, 1 << 20), "old object intact");
    assertEquals(List.of(NAME), again.list("").stream().map(StoredObject::name).collect(Collectors.toList()));
    again.put(NAME, NEW);
    assertArrayEquals(NEW, new FileSystemSegmentStore(root).readAll(NAME, 1 << 20));
  }

  @Test
  void aSpooledObjectSurvivesACrashBeforeTheRename() throws Exception {
    Path dir = tmp.resolve("spool");
    InMemorySegmentStore remote = new InMemorySegmentStore();
    try (SpoolingSegmentStore s = SpoolingSegmentStore.builder(dir, remote).uploading(false).build()) {
      s.put(NAME, OLD);
    }
    crashBeforeRename("spool", dir);
    try (SpoolingSegmentStore s = SpoolingSegmentStore.builder(dir, remote).uploading(false).build()) {
      assertEquals(List.of(), temps(dir), "torn write swept on reopening");
      assertArrayEquals(OLD, s.readAll(NAME, 1 << 20), "old object intact");
      s.put(NAME, NEW);
      assertArrayEquals(NEW, s.readAll(NAME, 1 << 20));
    }
  }
}
