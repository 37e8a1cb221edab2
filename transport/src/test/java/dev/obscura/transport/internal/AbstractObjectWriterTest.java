package dev.obscura.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class AbstractObjectWriterTest {
  /** The smallest writer: what the stores do, over a byte buffer. */
  private static final class Buffered extends AbstractObjectWriter {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    int releases;
    byte[] committed;

    Buffered(String name) {
      super(name);
    }

    @Override
    public void write(int b) throws IOException {
      checkOpen();
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      checkWrite(b, off, len);
      out.write(b, off, len);
    }

    @Override
    public void commit() throws IOException {
      checkOpen();
      committed = out.toByteArray();
      markCommitted();
    }

    @Override
    public void close() {
      if (markClosed() && !isCommitted()) {
        releases++;
      }
    }
  }

  @Test
  void writesAfterCommitFailNamingTheObject() throws IOException {
    Buffered w = new Buffered("cam/segments/1.seg");
    w.write(new byte[] {1, 2, 3}, 1, 2);
    w.commit();
    assertTrue(w.isCommitted());
    assertEquals(2, w.committed.length);
    IOException e = assertThrows(IOException.class, () -> w.write(4));
    assertEquals("object cam/segments/1.seg was already committed", e.getMessage());
    e = assertThrows(IOException.class, w::commit);
    assertEquals("object cam/segments/1.seg was already committed", e.getMessage());
    w.close();
    assertEquals(0, w.releases, "a committed object is not aborted on close");
    e = assertThrows(IOException.class, () -> w.write(new byte[1], 0, 1));
    assertEquals("object cam/segments/1.seg was already committed", e.getMessage(),
        "after commit and close, the commit is what the message names");
  }

  @Test
  void writesAfterCloseFailAndCloseIsIdempotent() throws IOException {
    Buffered w = new Buffered("x");
    w.write(1);
    w.close();
    w.close();
    assertEquals(1, w.releases, "released once");
    assertFalse(w.isCommitted());
    IOException e = assertThrows(IOException.class, () -> w.write(new byte[2], 0, 2));
    assertEquals("writer for x is closed", e.getMessage());
    e = assertThrows(IOException.class, w::commit);
    assertEquals("writer for x is closed", e.getMessage());
    assertEquals(null, w.committed);
  }

  @Test
  void markClosedReportsTheFirstCallOnly() {
    Buffered w = new Buffered("x");
    assertTrue(w.markClosed());
    assertFalse(w.markClosed());
  }

  @Test
  void aBadRangeFailsBeforeTheState() throws IOException {
    Buffered w = new Buffered("x");
    w.close();
    assertThrows(IndexOutOfBoundsException.class, () -> w.write(new byte[2], 1, 2));
    assertThrows(NullPointerException.class, () -> new Buffered(null));
  }
}
