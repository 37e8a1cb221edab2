package dev.obscura.transport.internal;

import dev.obscura.core.ObjectWriter;
import java.io.IOException;
import java.util.Objects;

/**
 * The state every store's {@link ObjectWriter} keeps: open until {@link #commit()} succeeds
 * (committed) or {@link #close()} runs (closed), and the errors for writing or committing after
 * either. Subclasses call {@link #checkWrite} or {@link #checkOpen} first in each write, flush
 * and commit, {@link #markCommitted()} once the object is visible, and {@link #markClosed()} when
 * they release what they hold. Not thread-safe, like the writers. Not API.
 */
public abstract class AbstractObjectWriter extends ObjectWriter {
  private final String name;
  private boolean committed;
  private boolean closed;

  /**
   * A writer in the open state.
   *
   * @param name the object's name, for messages
   */
  protected AbstractObjectWriter(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * The object's name.
   *
   * @return the name this writer was created for
   */
  protected final String name() {
    return name;
  }

  /**
   * Fails unless the writer is still open.
   *
   * @throws IOException "object NAME was already committed" after a commit, else "writer for
   *     NAME is closed" after a close
   */
  protected final void checkOpen() throws IOException {
    if (committed) {
      throw new IOException("object " + name + " was already committed");
    }
    if (closed) {
      throw new IOException("writer for " + name + " is closed");
    }
  }

  /**
   * Checks the range of a {@code write(b, off, len)}, then {@link #checkOpen()}.
   *
   * @param b the array written from
   * @param off the start of the range
   * @param len the length of the range
   * @throws IndexOutOfBoundsException if the range lies outside {@code b}
   * @throws IOException as {@link #checkOpen()}
   */
  protected final void checkWrite(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    checkOpen();
  }

  /**
   * Whether a commit succeeded.
   *
   * @return true once {@link #markCommitted()} was called
   */
  protected final boolean isCommitted() {
    return committed;
  }

  /** Records that the object is committed: from now on writes and commits fail. */
  protected final void markCommitted() {
    committed = true;
  }

  /**
   * Records that the writer is closed: from now on writes and commits fail.
   *
   * @return true if it was not closed before (the caller releases what it holds), false if it was
   */
  protected final boolean markClosed() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }
}
