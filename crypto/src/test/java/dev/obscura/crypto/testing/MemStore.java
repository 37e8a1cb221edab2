package dev.obscura.crypto.testing;

import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.transport.InMemorySegmentStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Transport's {@link InMemorySegmentStore} (the one in-memory store of every module's tests)
 * with the faults the crypto tests inject, as a decorator: it stores nothing itself.
 *
 * <ul>
 *   <li>{@link #objects}: a live {@link Map} view of the store, for a test to read and tamper
 *       with as a hostile provider would. Reads return copies; {@code put}, {@code remove} and
 *       the view's iterators change the store directly (bypassing the faults below), so a test
 *       changes a stored object by putting it back.
 *   <li>{@link #failWrites}, {@link #failAfterBytes}: writers that fail; {@link #fakeSizes}: a
 *       listing that lies about sizes; {@link #opens}, {@link #abortedWriters}: counts.
 * </ul>
 */
public class MemStore implements SegmentStore {
  /** The store underneath. */
  public final InMemorySegmentStore inner = new InMemorySegmentStore();
  /** The stored objects, as a live view of {@link #inner} (see the class comment). */
  public final Map<String, byte[]> objects = new View();
  /** Sizes {@link #list} reports instead of the real ones, by object name. */
  public final Map<String, Long> fakeSizes = new TreeMap<>();
  /** When true, every write and commit fails. */
  public volatile boolean failWrites;
  /** When {@code >= 0}, a writer fails once this many bytes were written to it. */
  public volatile long failAfterBytes = -1;
  /** How many objects were opened. */
  public volatile int opens;
  /** How many writers were closed without a commit. */
  public volatile int abortedWriters;

  @Override
  public ObjectWriter create(String name) throws IOException {
    ObjectWriter w = inner.create(name);
    return new ForwardingStore.Writer(w) {
      long written;
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
        if (failAfterBytes >= 0 && written + len > failAfterBytes) {
          throw new IOException("injected store failure");
        }
        inner.write(b, off, len);
        written += len;
      }

      @Override
      public void commit() throws IOException {
        if (failWrites) {
          throw new IOException("injected store failure");
        }
        inner.commit();
        committed = true;
      }

      @Override
      public void close() throws IOException {
        if (!closed && !committed) {
          synchronized (MemStore.this) {
            abortedWriters++;
          }
        }
        closed = true;
        inner.close();
      }
    };
  }

  @Override
  public InputStream open(String name) throws IOException {
    InputStream in = inner.open(name);
    synchronized (this) {
      opens++;
    }
    return in;
  }

  @Override
  public List<StoredObject> list(String prefix) {
    List<StoredObject> out = new ArrayList<>();
    for (StoredObject o : inner.list(prefix)) {
      Long fake = fakeSizes.get(o.name());
      out.add(fake == null ? o : new StoredObject(o.name(), fake));
    }
    return out;
  }

  @Override
  public void delete(String name) {
    inner.delete(name);
  }

  /** A copy of the bytes stored under {@code name}, or null. */
  public byte[] get(String name) {
    return objects.get(name);
  }

  /** Stores {@code data} under {@code name} as the provider would, bypassing any injected fault. */
  public void set(String name, byte[] data) {
    objects.put(name, data);
  }

  /** The map view of {@link #inner}: every read a copy, every change made in the store. */
  private final class View extends AbstractMap<String, byte[]> {
    @Override
    public byte[] get(Object key) {
      if (!(key instanceof String name)) {
        return null;
      }
      try {
        return inner.rawBytes(name);
      } catch (NoSuchObjectException e) {
        return null;
      }
    }

    @Override
    public boolean containsKey(Object key) {
      return get(key) != null;
    }

    @Override
    public byte[] put(String key, byte[] value) {
      byte[] old = get(key);
      try {
        inner.put(key, value.clone());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return old;
    }

    @Override
    public byte[] remove(Object key) {
      byte[] old = get(key);
      if (old != null) {
        inner.remove((String) key);
      }
      return old;
    }

    @Override
    public Set<Entry<String, byte[]>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, byte[]>> iterator() {
          Iterator<Entry<String, byte[]>> it = inner.snapshot().entrySet().iterator();
          return new Iterator<>() {
            String last;

            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Entry<String, byte[]> next() {
              Entry<String, byte[]> e = it.next();
              last = e.getKey();
              return new SimpleImmutableEntry<>(e.getKey(), e.getValue());
            }

            @Override
            public void remove() {
              if (last == null) {
                throw new IllegalStateException();
              }
              inner.remove(last);
              last = null;
            }
          };
        }

        @Override
        public int size() {
          return inner.list("").size();
        }
      };
    }
  }
}
