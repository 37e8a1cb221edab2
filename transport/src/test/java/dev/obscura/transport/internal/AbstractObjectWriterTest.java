package dev.obscura.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.transport.FileSystemSegmentStore;
import dev.obscura.transport.InMemorySegmentStore;
import dev.obscura.transport.spool.SpoolingSegmentStore;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer state every store shares, with its exact messages (SegmentStoreContract asks only
 * for an IOException, so that other stores may word theirs). The S3 store's writer is the same
 * class; its contract test needs s3proxy and runs in S3SegmentStoreTest.
 */
class AbstractObjectWriterTest {
  @TempDir Path dir;
  private AutoCloseable toClose;

  @AfterEach
  void closeStore() throws Exception {
    if (toClose != null) {
      toClose.close();
    }
  }

  private SegmentStore store(String kind) throws IOException {
    switch (kind) {
      case "memory":
        return new InMemorySegmentStore();
      case "filesystem":
        return new FileSystemSegmentStore(dir.resolve("fs"));
      case "spool":
        SpoolingSegmentStore s = SpoolingSegmentStore.builder(dir.resolve("spool"),
            new InMemorySegmentStore()).uploading(false).build();
        toClose = s;
        return s;
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "filesystem", "spool"})
  void writesAfterCommitFailNamingTheObject(String kind) throws Exception {
    SegmentStore store = store(kind);
    ObjectWriter w = store.create("cam/segments/1.seg");
    w.write(new byte[] {1, 2, 3}, 1, 2);
    w.commit();
    String committed = "object cam/segments/1.seg was already committed";
    assertEquals(committed, assertThrows(IOException.class, () -> w.write(4)).getMessage());
    assertEquals(committed, assertThrows(IOException.class, w::commit).getMessage());
    w.close();
    w.close();
    assertEquals(committed, assertThrows(IOException.class,
        () -> w.write(new byte[1], 0, 1)).getMessage(), "after commit and close, the commit counts");
    assertArrayEquals(new byte[] {2, 3}, store.readAll("cam/segments/1.seg", 10),
        "close after commit does not abort");
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "filesystem", "spool"})
  void writesAfterCloseFailAndNothingIsStored(String kind) throws IOException {
    SegmentStore store = store(kind);
    ObjectWriter w = store.create("x");
    w.write(1);
    w.close();
    w.close();
    assertEquals("writer for x is closed",
        assertThrows(IOException.class, () -> w.write(new byte[2], 0, 2)).getMessage());
    assertEquals("writer for x is closed", assertThrows(IOException.class, w::commit).getMessage());
    assertTrue(store.list("").isEmpty());
    assertThrows(IndexOutOfBoundsException.class, () -> w.write(new byte[2], 1, 2),
        "the range is checked before the state");
  }

  @Test
  void markClosedReportsTheFirstCallOnly() {
    AbstractObjectWriter w = new AbstractObjectWriter("x") {
      @Override
      public void write(int b) {}

      @Override
      public void commit() {
        markCommitted();
      }
    };
    assertTrue(w.markClosed());
    assertFalse(w.markClosed());
    assertFalse(w.isCommitted());
    assertThrows(NullPointerException.class, () -> new AbstractObjectWriter(null) {
      @Override
      public void write(int b) {}

      @Override
      public void commit() {}
    });
  }
}
