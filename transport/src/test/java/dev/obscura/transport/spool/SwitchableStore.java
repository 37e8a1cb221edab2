package dev.obscura.transport.spool;

import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.transport.InMemorySegmentStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;

/**
 * A remote for the spool's unit tests: an {@link InMemorySegmentStore} that can be switched
 * off (every call then fails like an unreachable server) and records the order of commits.
 * The real-server behaviour is tested against s3proxy in the fault tests.
 */
final class SwitchableStore implements SegmentStore {
  final InMemorySegmentStore inner = new InMemorySegmentStore();
  final List<String> commitOrder = new ArrayList<>();
  volatile boolean up = true;

  private void check() throws IOException {
    if (!up) {
      throw new ConnectException("remote is down (test)");
    }
  }

  @Override
  public ObjectWriter create(String name) throws IOException {
    check();
    ObjectWriter w = inner.create(name);
    return new ObjectWriter() {
      @Override
      public void write(int b) throws IOException {
        w.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        w.write(b, off, len);
      }

      @Override
      public void commit() throws IOException {
        check();
        w.commit();
        synchronized (commitOrder) {
          commitOrder.add(name);
        }
      }

      @Override
      public void close() throws IOException {
        w.close();
      }
    };
  }

  @Override
  public InputStream open(String name) throws IOException {
    check();
    return inner.open(name);
  }

  @Override
  public List<StoredObject> list(String prefix) throws IOException {
    check();
    return inner.list(prefix);
  }

  @Override
  public void delete(String name) throws IOException {
    check();
    inner.delete(name);
  }

  List<String> commits() {
    synchronized (commitOrder) {
      return List.copyOf(commitOrder);
    }
  }
}
