package dev.obscura.examples.cli;

import java.util.Locale;
import dev.obscura.core.SegmentStore;
import dev.obscura.transport.spool.SpoolStats;
import dev.obscura.transport.spool.SpoolingSegmentStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * The durable upload spool that {@code record} writes an S3 store through: each commit returns
 * once the object is on local disk, a background thread uploads in order. Closing leaves what
 * is still pending in the spool folder; the next run with the same spool uploads it first.
 */
final class Spool implements AutoCloseable {
  private final SpoolingSegmentStore store;
  private final StoreOptions target;

  private Spool(SpoolingSegmentStore store, StoreOptions target) {
    this.store = store;
    this.target = target;
  }

  /** Opens {@code dir} (or the default spool of {@code target}) in front of {@code remote}. */
  static Spool open(StoreOptions target, Path dir, SegmentStore remote, PrintWriter out) throws IOException {
    Path d = dir;
    if (d == null) {
      d = Stores.defaultSpool(target, System.getenv(), System.getProperty("user.home"));
      createPrivate(d);
    }
    SpoolingSegmentStore s = SpoolingSegmentStore.builder(d, remote).build();
    SpoolStats st = s.stats();
    out.printf("spooling to %s before upload to %s%n", d, target.normalized());
    if (st.pending() > 0) {
      out.printf("%d objects (%d bytes) left by an earlier run are uploaded first%n", st.pending(), st.pendingBytes());
    }
    out.flush();
    return new Spool(s, target);
  }

  /** Owner-only folders for the default spool (it holds sealed footage). */
  private static void createPrivate(Path dir) throws IOException {
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  SegmentStore store() {
    return store;
  }

  /**
   * Waits up to {@code wait} for the uploads, then says on {@code out} what went up and what is
   * still pending, and on {@code err} the last upload error and any drops.
   *
   * @return true if nothing is pending
   */
  boolean drain(Duration wait, PrintWriter out, PrintWriter err) throws InterruptedException {
    boolean empty = store.drain(wait);
    SpoolStats st = store.stats();
    String uploaded = String.format(Locale.ROOT, "uploaded %d objects (%d bytes) to %s", st.uploaded(), st.uploadedBytes(),
        target.normalized());
    if (empty) {
      out.println(uploaded + "; nothing pending");
    } else {
      out.println(uploaded + "; " + st.pending() + " objects (" + st.pendingBytes() + " bytes) still pending in "
          + store.directory() + ": they upload on the next record with this spool");
    }
    out.flush();
    if (!empty && st.lastError() != null) {
      err.println("obscura: warning: last upload error: " + st.lastError());
    }
    if (st.dropped() > 0) {
      err.printf("obscura: warning: the spool was full: %d segments (%d bytes) were dropped unuploaded"
          + " (listed in %s)%n", st.dropped(), st.droppedBytes(), store.directory().resolve("drops.log"));
    }
    err.flush();
    return empty;
  }

  /** After a failed recording: says what stays in the spool for the next run, if anything. */
  void notePending(PrintWriter err) {
    SpoolStats st = store.stats();
    if (st.pending() > 0) {
      err.println("obscura: note: " + st.pending() + " objects stay pending in " + store.directory()
          + ": they upload on the next record with this spool");
      err.flush();
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
