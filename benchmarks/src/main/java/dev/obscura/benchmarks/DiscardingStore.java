package dev.obscura.benchmarks;

import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;

/**
 * A store that keeps nothing: writes are counted and dropped, so a benchmark can seal millions of
 * segments without filling memory or disk. Reads find nothing. For benchmarks only.
 */
final class DiscardingStore implements SegmentStore {
  long bytesWritten;

  @Override
  public ObjectWriter create(String name) {
    return new ObjectWriter() {
      @Override
      public void write(int b) {
        bytesWritten++;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        bytesWritten += len;
      }

      @Override
      public void commit() {}
    };
  }

  @Override
  public InputStream open(String name) throws NoSuchObjectException {
    throw new NoSuchObjectException(name);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return Collections.emptyList();
  }
}
