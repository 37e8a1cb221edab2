package dev.obscura.core;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one object into a {@link SegmentStore}. Nothing is visible until {@link #commit()};
 * {@link #close()} without a commit aborts and discards what was written.
 */
public abstract class ObjectWriter extends OutputStream {
  /**
   * Makes the object visible, whole and durable. After a commit, further writes fail.
   */
  public abstract void commit() throws IOException;
}
