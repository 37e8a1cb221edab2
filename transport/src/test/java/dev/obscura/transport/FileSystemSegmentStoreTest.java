package dev.obscura.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemSegmentStoreTest extends SegmentStoreContract {
  @TempDir Path dir;

  @Override
  protected SegmentStore newStore() throws IOException {
    return new FileSystemSegmentStore(dir.resolve("store"));
  }

  private static List<String> tempFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().startsWith(FileSystemSegmentStore.TEMP_PREFIX))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void writesGoToHiddenTempFileInTargetDirectory() throws IOException {
    FileSystemSegmentStore s = (FileSystemSegmentStore) store;
    Path root = s.root();
    try (ObjectWriter w = s.create("cam/segments/x.seg")) {
      w.write(new byte[200_000]);
      List<String> temps = tempFiles(root);
      assertEquals(1, temps.size());
      assertTrue(temps.get(0).startsWith("cam/segments/.tmp-"), temps.get(0));
      assertEquals(List.of(), s.list(""));
      assertEquals(List.of(), s.sweepIncomplete()); // an open writer's file is not swept
      w.commit();
    }
    assertEquals(List.of(), tempFiles(root));
    assertTrue(Files.isRegularFile(root.resolve("cam/segments/x.seg")));
    try (ObjectWriter w = s.create("cam/segments/y.seg")) {
      w.write(1);
    }
    assertEquals(List.of(), tempFiles(root), "abort deletes the temp file");
  }

  @Test
  void leftoverTempFilesAreIgnoredAndSweptOnOpen() throws Exception {
    FileSystemSegmentStore s = (FileSystemSegmentStore) store;
    s.put("cam/segments/a.seg", new byte[] {1});
    Path root = s.root();
    Files.write(root.resolve("cam/segments/.tmp-deadbeef"), new byte[] {9, 9});
    Files.write(root.resolve(".tmp-0"), new byte[] {9});
    assertEquals(1, s.list("").size());
    assertThrows(IllegalArgumentException.class, () -> s.open("cam/segments/.tmp-deadbeef"));
    FileSystemSegmentStore reopened = new FileSystemSegmentStore(root);
    assertEquals(List.of(), tempFiles(root));
    assertArrayEquals(new byte[] {1}, reopened.readAll("cam/segments/a.seg", 10));
    Files.write(root.resolve("cam/.tmp-x"), new byte[] {9});
    assertEquals(List.of("cam/.tmp-x"), reopened.sweepIncomplete());
  }

  @Test
  void hiddenDirectoriesAndForeignFilesAreNotObjects() throws IOException {
    FileSystemSegmentStore s = (FileSystemSegmentStore) store;
    Files.createDirectories(s.root().resolve(".git"));
    Files.write(s.root().resolve(".git/config"), new byte[] {1});
    Files.write(s.root().resolve("with space"), new byte[] {1});
    s.put("ok", new byte[] {2});
    assertEquals(List.of("ok"), s.list("").stream().map(o -> o.name()).collect(Collectors.toList()));
  }

  @Test
  void objectCannotAlsoBeADirectory() throws Exception {
    store.put("a", new byte[] {1});
    assertThrows(IOException.class, () -> store.put("a/b", new byte[] {1}));
    store.put("d/e", new byte[] {1});
    assertThrows(IOException.class, () -> store.put("d", new byte[] {1}));
    assertThrows(NoSuchObjectException.class, () -> store.open("d"));
    assertArrayEquals(new byte[] {1}, store.readAll("d/e", 10));
  }
}
