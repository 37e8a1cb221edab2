package dev.obscura.crypto;

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

/** An in-memory store that a test can tamper with, as a hostile provider would. */
public final class TestStore implements SegmentStore {
  public final TreeMap<String, byte[]> objects = new TreeMap<>();

  @Override
  public synchronized ObjectWriter create(String name) {
    return new ObjectWriter() {
      final ByteArrayOutputStream buf = new ByteArrayOutputStream();

      @Override
      public void write(int b) {
        buf.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        buf.write(b, off, len);
      }

      @Override
      public void commit() {
        synchronized (TestStore.this) {
          objects.put(name, buf.toByteArray());
        }
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public synchronized InputStream open(String name) throws IOException {
    byte[] b = objects.get(name);
    if (b == null) {
      throw new NoSuchObjectException(name);
    }
    return new ByteArrayInputStream(b);
  }

  @Override
  public synchronized List<StoredObject> list(String prefix) {
    List<StoredObject> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(new StoredObject(e.getKey(), e.getValue().length));
    }
    return out;
  }

  @Override
  public synchronized void delete(String name) {
    objects.remove(name);
  }
}
