package dev.obscura.crypto.segment;

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

/** A minimal in-memory store for tests, with fault injection. */
final class MemoryStore implements SegmentStore {
  final TreeMap<String, byte[]> objects = new TreeMap<>();
  final Map<String, Long> fakeSizes = new TreeMap<>();
  /** When >= 0, a writer fails once this many bytes were written to it. */
  long failAfterBytes = -1;
  int opens;
  int abortedWriters;

  @Override
  public ObjectWriter create(String name) {
    return new ObjectWriter() {
      final ByteArrayOutputStream buf = new ByteArrayOutputStream();
      boolean committed;
      boolean closed;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (committed || closed) {
          throw new IOException("writer finished");
        }
        if (failAfterBytes >= 0 && buf.size() + len > failAfterBytes) {
          throw new IOException("injected store failure");
        }
        buf.write(b, off, len);
      }

      @Override
      public void commit() throws IOException {
        if (closed) {
          throw new IOException("closed");
        }
        committed = true;
        objects.put(name, buf.toByteArray());
      }

      @Override
      public void close() {
        if (!closed && !committed) {
          abortedWriters++;
        }
        closed = true;
      }
    };
  }

  @Override
  public InputStream open(String name) throws IOException {
    byte[] b = objects.get(name);
    if (b == null) {
      throw new NoSuchObjectException(name);
    }
    opens++;
    return new ByteArrayInputStream(b);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    List<StoredObject> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(new StoredObject(e.getKey(),
          fakeSizes.getOrDefault(e.getKey(), (long) e.getValue().length)));
    }
    return out;
  }

  byte[] get(String name) {
    return objects.get(name);
  }

  void set(String name, byte[] data) {
    objects.put(name, data);
  }
}
