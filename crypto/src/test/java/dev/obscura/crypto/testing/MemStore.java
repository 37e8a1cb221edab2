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

/**
 * The in-memory store of the crypto tests (crypto does not depend on transport, so there is no
 * {@code InMemorySegmentStore} here): {@link #objects} for a test to read and tamper with as a
 * hostile provider would, and faults to inject. The store's own calls are synchronized; a test
 * that touches {@link #objects} from several threads synchronizes on the store itself.
 */
public class MemStore implements SegmentStore {
  public final TreeMap<String, byte[]> objects = new TreeMap<>();
  /** Sizes {@link #list} reports instead of the real ones, by object name. */
  public final Map<String, Long> fakeSizes = new TreeMap<>();
  /** When true, every write and commit fails. */
  public volatile boolean failWrites;
  /** When {@code >= 0}, a writer fails once this many bytes were written to it. */
  public volatile long failAfterBytes = -1;
  /** How many objects were opened. */
  public int opens;
  /** How many writers were closed without a commit. */
  public int abortedWriters;

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
        if (failWrites) {
          throw new IOException("injected store failure");
        }
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
        if (failWrites) {
          throw new IOException("injected store failure");
        }
        if (committed || closed) {
          throw new IOException("writer finished");
        }
        committed = true;
        synchronized (MemStore.this) {
          objects.put(name, buf.toByteArray());
        }
      }

      @Override
      public void close() {
        if (!closed && !committed) {
          synchronized (MemStore.this) {
            abortedWriters++;
          }
        }
        closed = true;
      }
    };
  }

  @Override
  public synchronized InputStream open(String name) throws IOException {
    byte[] b = objects.get(name);
    if (b == null) {
      throw new NoSuchObjectException(name);
    }
    opens++;
    return new ByteArrayInputStream(b);
  }

  @Override
  public synchronized List<StoredObject> list(String prefix) {
    List<StoredObject> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(new StoredObject(e.getKey(), fakeSizes.getOrDefault(e.getKey(), (long) e.getValue().length)));
    }
    return out;
  }

  @Override
  public synchronized void delete(String name) {
    objects.remove(name);
  }

  /** The bytes stored under {@code name}, or null. */
  public synchronized byte[] get(String name) {
    return objects.get(name);
  }

  /** Stores {@code data} under {@code name} as the provider would, bypassing any injected fault. */
  public synchronized void set(String name, byte[] data) {
    objects.put(name, data);
  }
}
