package dev.obscura.transport.spool;

import java.io.IOException;

/**
 * Hears what a {@link SpoolingSegmentStore} does with the objects it holds. All methods have
 * empty defaults; implement the ones you need.
 *
 * <p><b>Security guarantees:</b> a listener sees object names and sizes only, never contents.
 *
 * <p><b>Restrictions:</b> called on the spool's uploader thread ({@link #uploadStarted}, {@link #uploaded},
 * {@link #uploadFailed}) or on the committing thread ({@link #dropped}, {@link #rejected}),
 * after the spool's lock is released. Keep it short; an exception it throws is logged and
 * ignored.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * SpoolListener alarm = new SpoolListener() {
 *   @Override public void dropped(String name, long bytes) { metrics.increment("spool.dropped"); }
 * };
 * }</pre>
 */
public interface SpoolListener {
  /** The uploader starts sending an object (again, after a failure). */
  default void uploadStarted(String name, long bytes) {}

  /** An object reached the remote store and left the spool. */
  default void uploaded(String name, long bytes) {}

  /** An acknowledged segment was dropped unuploaded to keep the spool under its cap. */
  default void dropped(String name, long bytes) {}

  /** A commit was refused because the spool is full of objects it may not drop. */
  default void rejected(String name, long bytes) {}

  /** An upload attempt failed; the spool will try the same object again after a backoff. */
  default void uploadFailed(String name, IOException error) {}
}
