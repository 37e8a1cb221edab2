package dev.obscura.crypto.testing;

import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A store that passes every call to another: a test extends it and overrides the calls it
 * breaks (a commit that dies, a listing that fails, deletes that stop). {@link Writer} does the
 * same for the writer of one object.
 */
public class ForwardingStore implements SegmentStore {
  protected final SegmentStore inner;

  public ForwardingStore(SegmentStore inner) {
    this.inner = inner;
  }

  @Override
  public ObjectWriter create(String name) throws IOException {
    return inner.create(name);
  }

  @Override
  public InputStream open(String name) throws IOException {
    return inner.open(name);
  }

  @Override
  public List<StoredObject> list(String prefix) throws IOException {
    return inner.list(prefix);
  }

  @Override
  public void delete(String name) throws IOException {
    inner.delete(name);
  }

  /** A writer that passes every call to another; a test overrides the calls it breaks. */
  public static class Writer extends ObjectWriter {
    protected final ObjectWriter inner;

    public Writer(ObjectWriter inner) {
      this.inner = inner;
    }

    @Override
    public void write(int b) throws IOException {
      inner.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      inner.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      inner.flush();
    }

    @Override
    public void commit() throws IOException {
      inner.commit();
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }
}
