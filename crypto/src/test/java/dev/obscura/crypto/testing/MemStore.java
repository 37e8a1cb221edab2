package dev.obscura.crypto.testing;

import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A minimal in-memory store for tests of the chain, share and audit packages. */
public final class MemStore implements SegmentStore {
  public final TreeMap<String, byte[]> objects = new TreeMap<>();
  /** When true, every write fails. */
  public boolean failWrites;

  @Override
  public ObjectWriter create(String name) {
    return new ObjectWriter() {
      final ByteArrayOutputStream buf = new ByteArrayOutputStream();
      boolean done;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (done || failWrites) {
          throw new IOException("injected store failure");
        }
        buf.write(b, off, len);
      }

      @Override
      public void commit() throws IOException {
        if (done || failWrites) {
          throw new IOException("injected store failure");
        }
        done = true;
        objects.put(name, buf.toByteArray());
      }

      @Override
      public void close() {
        done = true;
      }
    };
  }

  @Override
  public InputStream open(String name) throws IOException {
    byte[] b = objects.get(name);
    if (b == null) {
      throw new NoSuchObjectException(name);
    }
    return new ByteArrayInputStream(b);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    List<StoredObject> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(new StoredObject(e.getKey(), e.getValue().length));
    }
    return out;
  }
}
