package dev.obscura.transport;

import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.transport.internal.AbstractObjectWriter;
import dev.obscura.transport.internal.ObjectNameRules;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/**
 * A {@link SegmentStore} in memory, for tests, examples and short-lived pipelines.
 *
 * <p><b>Security guarantees:</b> none beyond the {@link SegmentStore} contract: like every
 * store it only ever holds what it is given (ciphertext and public headers).
 *
 * <p><b>Guarantees:</b> thread-safe. An object becomes visible only when its writer commits, as
 * one immutable snapshot of the bytes written; a writer closed without commit leaves nothing.
 * Committing an existing name replaces it atomically: a reader sees the old or the new bytes,
 * never a mix. Object names follow the same rules as {@link FileSystemSegmentStore} (relative
 * paths of {@code [A-Za-z0-9._-]} elements, none starting with {@code .}).
 *
 * <p><b>Restrictions:</b> nothing is durable; everything is lost with the JVM. Objects are held
 * on the heap.
 *
 * <p><b>Test hooks:</b> {@link #snapshot()} exposes every stored byte so a test can scan a store
 * for leaked plaintext or keys; {@link #tamper} and {@link #remove} let tests play the
 * untrusted store (flip bits, truncate, drop, replace). They bypass the writer protocol on
 * purpose.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * InMemorySegmentStore store = new InMemorySegmentStore();
 * store.put("cam1/segments/0000000000000000000.seg", sealed);
 * store.tamper("cam1/segments/0000000000000000000.seg", b -> { b[40] ^= 1; return b; });
 * }</pre>
 */
public final class InMemorySegmentStore implements SegmentStore {
  private final ConcurrentNavigableMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

  /** An empty store. */
  public InMemorySegmentStore() {}

  @Override
  public ObjectWriter create(String name) {
    ObjectNameRules.validate(name);
    return new Writer(name);
  }

  @Override
  public InputStream open(String name) throws IOException {
    ObjectNameRules.validate(name);
    byte[] data = objects.get(name);
    if (data == null) {
      throw new NoSuchObjectException(name);
    }
    return new ByteArrayInputStream(data);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    List<StoredObject> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(new StoredObject(e.getKey(), e.getValue().length));
    }
    return out;
  }

  /** Deletes an object; idempotent (a missing name is not an error). */
  @Override
  public void delete(String name) {
    objects.remove(ObjectNameRules.validate(name));
  }

  /**
   * A copy of every object, sorted by name. The arrays are copies: changing them does not change
   * the store.
   */
  public Map<String, byte[]> snapshot() {
    Map<String, byte[]> copy = new LinkedHashMap<>();
    objects.forEach((k, v) -> copy.put(k, v.clone()));
    return Collections.unmodifiableMap(copy);
  }

  /** A copy of one object's bytes. */
  public byte[] rawBytes(String name) throws NoSuchObjectException {
    byte[] data = objects.get(ObjectNameRules.validate(name));
    if (data == null) {
      throw new NoSuchObjectException(name);
    }
    return data.clone();
  }

  /**
   * Replaces an object's bytes with {@code change.apply(copy of its bytes)}, as a hostile store
   * would (bit flips, truncation, substitution). For tests.
   *
   * @throws NoSuchObjectException if there is no such object
   */
  public void tamper(String name, UnaryOperator<byte[]> change) throws NoSuchObjectException {
    ObjectNameRules.validate(name);
    Objects.requireNonNull(change, "change");
    byte[] result =
        objects.computeIfPresent(
            name, (k, v) -> Objects.requireNonNull(change.apply(v.clone()), "changed").clone());
    if (result == null) {
      throw new NoSuchObjectException(name);
    }
  }

  /** Removes an object, as a store that drops data would. Returns whether it existed. */
  public boolean remove(String name) {
    return objects.remove(ObjectNameRules.validate(name)) != null;
  }

  /** The sum of the sizes of all objects. */
  public long totalBytes() {
    long total = 0;
    for (byte[] v : objects.values()) {
      total += v.length;
    }
    return total;
  }

  @Override
  public String toString() {
    return "InMemorySegmentStore[" + objects.size() + " objects]";
  }

  private final class Writer extends AbstractObjectWriter {
    private ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    Writer(String name) {
      super(name);
    }

    @Override
    public void write(int b) throws IOException {
      checkOpen();
      buffer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      checkWrite(b, off, len);
      buffer.write(b, off, len);
    }

    @Override
    public void commit() throws IOException {
      checkOpen();
      objects.put(name(), buffer.toByteArray());
      markCommitted();
      buffer = null;
    }

    @Override
    public void close() {
      markClosed();
      buffer = null;
    }
  }
}
