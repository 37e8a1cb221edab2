package dev.obscura.crypto.scheme.internal;

import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;

/**
 * A store that keeps only the last committed object and hands it over once: it lets the {@code
 * chunked} scheme run the product's {@link dev.obscura.crypto.segment.SegmentSealer} unchanged and
 * take each sealed segment as a record. Lists nothing (the sealer is built with {@code
 * resumeAt}, which never lists). Not thread-safe.
 */
public final class MemoryStore implements SegmentStore {
  private byte[] committed;

  @Override
  public ObjectWriter create(String name) {
    return new ObjectWriter() {
      private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      private boolean done;

      @Override
      public void write(int b) throws IOException {
        check();
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        check();
        out.write(b, off, len);
      }

      @Override
      public void commit() throws IOException {
        check();
        done = true;
        committed = out.toByteArray();
      }

      @Override
      public void close() {
        done = true;
      }

      private void check() throws IOException {
        if (done) {
          throw new IOException("object writer was committed or closed");
        }
      }
    };
  }

  /**
   * The last committed object, once.
   *
   * @return its bytes
   * @throws IllegalStateException if nothing was committed since the last call
   */
  public byte[] take() {
    byte[] b = committed;
    if (b == null) {
      throw new IllegalStateException("no object was committed");
    }
    committed = null;
    return b;
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
