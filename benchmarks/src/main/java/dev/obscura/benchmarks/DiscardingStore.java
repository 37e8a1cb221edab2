package dev.obscura.benchmarks;

import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;

/**
 * A {@link SegmentStore} that keeps nothing, so a benchmark measures the sealer and not a
 * store: every write is dropped, and the last committed object is kept only when asked
 * ({@link #keepLast}), for setups that need one sealed segment to open.
 */
final class DiscardingStore implements SegmentStore {
  /** Bytes handed to the store so far (sealed output a benchmark produced). */
  long bytesWritten;
  private boolean keep;
  private byte[] last;

  /** Keeps the next committed object (copied once) so {@link #last()} can return it. */
  void keepLast() {
    keep = true;
  }

  /** The object kept by {@link #keepLast}, or {@code null}. */
  byte[] last() {
    return last;
  }

  @Override
  public ObjectWriter create(String name) {
    boolean capture = keep;
    java.io.ByteArrayOutputStream copy = capture ? new java.io.ByteArrayOutputStream() : null;
    return new ObjectWriter() {
      @Override
      public void write(int b) {
        bytesWritten++;
        if (capture) {
          copy.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        bytesWritten += len;
        if (capture) {
          copy.write(b, off, len);
        }
      }

      @Override
      public void commit() {
        if (capture) {
          last = copy.toByteArray();
          keep = false;
        }
      }
    };
  }

  @Override
  public InputStream open(String name) throws IOException {
    throw new NoSuchObjectException(name);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return Collections.emptyList();
  }
}
