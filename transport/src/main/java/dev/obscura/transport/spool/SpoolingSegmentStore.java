package dev.obscura.transport.spool;

import java.util.Locale;
import dev.obscura.transport.internal.AbstractObjectWriter;
import dev.obscura.transport.internal.NotOnAndroid;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.transport.FileSystemSegmentStore;
import dev.obscura.transport.internal.ObjectNameRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward: a durable local spool in front of any remote {@link SegmentStore} (S3,
 * another filesystem, ...). A commit returns once the object is durable in the spool; a
 * background thread uploads spooled objects to the remote in order and removes each from the
 * spool only after the remote's commit returned. While the remote is down, objects wait on
 * local disk; when it comes back they drain; after a crash or restart the spool resumes where it
 * stopped.
 *
 * <p><b>Security guarantees:</b> the spool holds what it is given (sealed segments, envelopes)
 * and nothing else; it never sees a key. Spool files are the objects with a short routing
 * header (the object name): protect the directory like the footage it holds.
 *
 * <p><b>Guarantees:</b>
 *
 * <ul>
 *   <li><b>Acknowledged means durable.</b> {@link ObjectWriter#commit()} returns only after the
 *       object is fsynced and atomically renamed into the spool (a {@link FileSystemSegmentStore}
 *       does this); a crash at any point leaves either the whole object or nothing, and a torn
 *       object is never uploaded.
 *   <li><b>In order.</b> Objects are uploaded one at a time in spool order (the order writers
 *       were created, which is commit order for one writer at a time), persisted in the spool
 *       file names, so a restart resumes in the same order. An object whose name was committed
 *       again before it went up is skipped: only the newest version is uploaded (counted as
 *       superseded).
 *   <li><b>Nothing is removed before the remote has it.</b> A spool file is deleted only after
 *       the remote's {@code commit()} returned. A crash between the two uploads it again (S3 and
 *       the filesystem store replace atomically, so this is harmless).
 *   <li><b>Backoff.</b> A failed upload is retried, same object first, with exponential backoff
 *       and jitter ({@link Builder#backoff}, the AWS SDK's {@code BackoffStrategy}); never given
 *       up. (The remote store may retry inside too: {@code S3SegmentStore} does.)
 *   <li><b>Reads see spool ∪ remote.</b> {@link #open} serves a spooled object from the spool,
 *       anything else from the remote; {@link #list} merges both, the spooled version winning.
 *   <li><b>Cap, and the drop policy.</b> With {@link Builder#maxBytes} and/or
 *       {@link Builder#maxObjects}, a commit that would take the spool over its cap first drops
 *       the <em>oldest not-yet-uploaded segments</em> (names of the form
 *       {@code STREAM/segments/SEQ.seg}, see {@link ObjectNames}) until the new object fits.
 *       Envelopes and every other object are never dropped: without its envelope a whole epoch
 *       of segments is unreadable, and envelopes are tiny. If nothing droppable is left (or the
 *       object alone is larger than the cap), the commit is refused with a
 *       {@link SpoolFullException}. Oldest-first keeps the most recent footage, which is what
 *       a camera owner looks for after an outage, and keeps the camera recording. Every drop is
 *       counted ({@link #stats()}), logged at WARN with the object name, reported to the
 *       {@link SpoolListener}, and appended to {@code drops.log} in the spool directory, which
 *       survives restarts. Nothing is ever lost silently.
 *   <li><b>Dropping breaks the chain, visibly.</b> A dropped segment leaves a gap in the
 *       stream's hash chain; readers detect it ({@code ChainBrokenException}) rather than
 *       playing on as if nothing was missing. That is intended.
 * </ul>
 *
 * <p><b>Restrictions:</b>
 *
 * <ul>
 *   <li>One process per spool directory: a lock file ({@code DIR/lock}) is held while the store
 *       is open; a second opener fails.
 *   <li>The cap counts committed objects; bytes of writers still open are on disk too.
 *   <li>An object the remote refuses for good (a permission error, say) blocks the queue at its
 *       head: the spool keeps retrying with backoff, reports it in {@link SpoolStats#lastError}
 *       and the listener, and never skips ahead (that would reorder the stream).
 *   <li>{@link #list} needs the remote: it fails if the remote cannot be listed.
 *       {@link #open} of a spooled object does not.
 *   <li>{@link #close()} stops the uploader and leaves what is pending in the spool for the next
 *       start; call {@link #drain} first to wait for uploads. It does not close the remote.
 * </ul>
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * S3SegmentStore s3 = S3SegmentStore.builder().location("s3://footage/home").build();
 * try (SpoolingSegmentStore store = SpoolingSegmentStore.builder(Path.of("/var/spool/obscura"), s3)
 *     .maxBytes(2L << 30)
 *     .listener(new SpoolListener() {
 *       public void dropped(String name, long bytes) { alarm("spool full, dropped " + name); }
 *     })
 *     .build()) {
 *   recorder.record(store);                        // commits return once on local disk
 *   store.drain(Duration.ofSeconds(30));           // at shutdown: give uploads a chance
 * }
 * }</pre>
 */
@NotOnAndroid
public final class SpoolingSegmentStore implements SegmentStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpoolingSegmentStore.class);
  private static final byte[] MAGIC = "OBSPOOL1".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern ENTRY = Pattern.compile("(\\d{19})\\.obj");
  private static final String QUEUE_DIR = "queue";
  private static final String DROPS_LOG = "drops.log";

  private final Path directory;
  private final SegmentStore remote;
  private final FileSystemSegmentStore spool;
  private final long maxBytes;
  private final long maxObjects;
  private static final BackoffStrategy DEFAULT_BACKOFF =
      BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(200), Duration.ofSeconds(30));

  private final BackoffStrategy backoff;
  private final SpoolListener listener;
  private final FileChannel lockChannel;
  private final FileLock fileLock;

  private final Object lock = new Object();
  // all below guarded by lock
  private final TreeMap<Long, Entry> queue = new TreeMap<>();
  private final Map<String, Long> newest = new HashMap<>();
  private long pendingBytes;
  private long nextSeq;
  private Entry inFlight;
  private long uploaded;
  private long uploadedBytes;
  private long dropped;
  private long droppedBytes;
  private long rejected;
  private long superseded;
  private int consecutiveFailures;
  private String lastError;
  private boolean closed;

  private final Thread uploader;

  /** One acknowledged object in the spool. */
  private record Entry(long seq, String name, long size, int headerBytes) {
    String file() {
      return fileName(seq);
    }

    boolean droppable() {
      return ObjectNames.parseSegment(name).isPresent();
    }
  }

  private SpoolingSegmentStore(Builder b) throws IOException {
    this.directory = b.directory;
    this.remote = b.remote;
    this.maxBytes = b.maxBytes;
    this.maxObjects = b.maxObjects;
    this.backoff = b.backoff;
    this.listener = b.listener;
    Files.createDirectories(directory);
    this.lockChannel =
        FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      lockChannel.close();
      throw new IOException("spool " + directory + " is in use by another store or process");
    }
    this.fileLock = l;
    boolean ok = false;
    try {
      this.spool = new FileSystemSegmentStore(directory.resolve(QUEUE_DIR)); // sweeps torn writes
      recover();
      ok = true;
    } finally {
      if (!ok) {
        releaseLock();
      }
    }
    this.uploader = new Thread(this::uploadLoop, "obscura-spool-uploader");
    uploader.setDaemon(true);
    if (b.uploading) {
      uploader.start();
    }
  }

  /**
   * A short, stable folder name for the spool of the remote store at {@code location}: the first
   * 8 bytes of SHA-256 of the text, in hex. A spool must only ever feed the store it was made
   * for (its queued objects are that store's), so an application that keeps spools side by side
   * names each folder by this and never points two stores at one folder.
   *
   * @param location what identifies the remote store (for example its URI and endpoint); the
   *     same text always gives the same name
   * @return 16 lower-case hex digits
   */
  public static String folderName(String location) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(location.getBytes(StandardCharsets.UTF_8));
      return dev.obscura.core.Hex.format(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /** Starts building a spool in {@code directory} (created if missing) in front of {@code remote}. */
  public static Builder builder(Path directory, SegmentStore remote) {
    return new Builder(directory, remote);
  }

  private static String fileName(long seq) {
    return String.format(Locale.ROOT, "%019d.obj", seq);
  }

  private void recover() throws IOException {
    long maxSeq = -1;
    for (StoredObject o : spool.list("")) {
      var m = ENTRY.matcher(o.name());
      if (!m.matches()) {
        log.warn("ignoring foreign file {} in spool {}", o.name(), directory);
        continue;
      }
      long seq = Long.parseLong(m.group(1));
      String name;
      int header;
      try (InputStream in = spool.open(o.name())) {
        byte[] magic = in.readNBytes(MAGIC.length);
        byte[] len = in.readNBytes(2);
        if (!Arrays.equals(magic, MAGIC) || len.length != 2) {
          log.warn("ignoring spool file {} with a bad header in {}", o.name(), directory);
          continue;
        }
        int n = ((len[0] & 0xff) << 8) | (len[1] & 0xff);
        byte[] nb = in.readNBytes(n);
        name = new String(nb, StandardCharsets.US_ASCII);
        header = MAGIC.length + 2 + n;
        if (nb.length != n || !ObjectNameRules.isValid(name) || o.sizeBytes() < header) {
          log.warn("ignoring spool file {} with a bad header in {}", o.name(), directory);
          continue;
        }
      }
      Entry e = new Entry(seq, name, o.sizeBytes() - header, header);
      queue.put(seq, e);
      newest.merge(name, seq, Math::max);
      pendingBytes += e.size();
      maxSeq = Math.max(maxSeq, seq);
    }
    nextSeq = maxSeq + 1;
    if (!queue.isEmpty()) {
      log.info("spool {} resumes with {} pending object(s), {} bytes", directory, queue.size(), pendingBytes);
    }
  }

  // ---- SegmentStore ----------------------------------------------------------------------

  @Override
  public ObjectWriter create(String name) throws IOException {
    ObjectNameRules.validate(name);
    long seq;
    synchronized (lock) {
      if (closed) {
        throw new IOException("spool " + directory + " is closed");
      }
      seq = nextSeq++;
    }
    byte[] nb = name.getBytes(StandardCharsets.US_ASCII);
    ObjectWriter w = spool.create(fileName(seq));
    boolean ok = false;
    try {
      w.write(MAGIC);
      w.write(new byte[] {(byte) (nb.length >>> 8), (byte) nb.length});
      w.write(nb);
      ok = true;
    } finally {
      if (!ok) {
        w.close();
      }
    }
    return new Writer(seq, name, MAGIC.length + 2 + nb.length, w);
  }

  @Override
  public InputStream open(String name) throws IOException {
    ObjectNameRules.validate(name);
    Entry e;
    synchronized (lock) {
      Long seq = newest.get(name);
      e = seq == null ? null : queue.get(seq);
    }
    if (e != null) {
      try {
        InputStream in = spool.open(e.file());
        in.skipNBytes(e.headerBytes());
        return in;
      } catch (NoSuchObjectException gone) {
        // uploaded and removed meanwhile: the remote has it
      }
    }
    return remote.open(name);
  }

  @Override
  public List<StoredObject> list(String prefix) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    // Spool first: an object that leaves the spool is on the remote before it leaves, so the
    // remote listing taken afterwards includes it.
    TreeMap<String, Long> merged = new TreeMap<>();
    Map<String, Long> spooled = new HashMap<>();
    synchronized (lock) {
      for (Map.Entry<String, Long> n : newest.entrySet()) {
        if (n.getKey().startsWith(prefix)) {
          spooled.put(n.getKey(), queue.get(n.getValue()).size());
        }
      }
    }
    for (StoredObject o : remote.list(prefix)) {
      merged.put(o.name(), o.sizeBytes());
    }
    merged.putAll(spooled);
    List<StoredObject> out = new ArrayList<>(merged.size());
    merged.forEach((n, s) -> out.add(new StoredObject(n, s)));
    return out;
  }

  /**
   * Deletes an object from the spool and from the remote. Every spooled version of the name is
   * removed first (so it is never uploaded after this returns); an upload of the name in progress
   * is waited for, then the remote copy is deleted. Idempotent. A failure of the remote's delete
   * is thrown (the spooled versions are gone already; retrying is safe).
   *
   * @throws UnsupportedOperationException if the remote cannot delete
   */
  @Override
  public void delete(String name) throws IOException {
    ObjectNameRules.validate(name);
    List<Entry> removed = new ArrayList<>();
    synchronized (lock) {
      while (inFlight != null && inFlight.name().equals(name) && !closed) {
        try {
          lock.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for the upload of " + name);
        }
      }
      for (Entry e : new ArrayList<>(queue.values())) {
        if (e.name().equals(name) && (e != inFlight || closed)) {
          removeEntry(e);
          removed.add(e);
        }
      }
      lock.notifyAll();
    }
    for (Entry e : removed) {
      deleteFile(e);
    }
    remote.delete(name);
  }

  // ---- control and observation -----------------------------------------------------------

  /** The counters since this store was opened. */
  public SpoolStats stats() {
    synchronized (lock) {
      return new SpoolStats(queue.size(), pendingBytes, uploaded, uploadedBytes, dropped,
          droppedBytes, rejected, superseded, consecutiveFailures, lastError);
    }
  }

  /** The spool directory. */
  public Path directory() {
    return directory;
  }

  /**
   * Waits until everything pending has been uploaded, or the timeout passes.
   *
   * @return true if the spool is empty
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!queue.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed || !uploader.isAlive()) {
          return queue.isEmpty();
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /**
   * Stops the uploader (an upload in progress is abandoned and will be redone on the next
   * start) and releases the spool directory. Pending objects stay in the spool. Does not close
   * the remote store.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      lock.notifyAll();
    }
    uploader.interrupt();
    try {
      uploader.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (uploader.isAlive()) {
      log.warn("spool uploader did not stop within 30 s; it will stop after its current request");
    }
    releaseLock();
  }

  private void releaseLock() {
    try {
      fileLock.release();
    } catch (IOException e) {
      log.debug("releasing spool lock: {}", e.toString());
    }
    try {
      lockChannel.close();
    } catch (IOException e) {
      log.debug("closing spool lock: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "SpoolingSegmentStore[" + directory + " -> " + remote + "]";
  }

  // ---- cap -------------------------------------------------------------------------------

  /** Makes room for one object of {@code size} bytes; returns the drops to report. */
  private List<Entry> makeRoom(String name, long size) throws SpoolFullException {
    if (size > maxBytes) {
      throw new SpoolFullException(
          "spool cannot take " + name + ": " + size + " bytes is more than its whole cap of "
              + maxBytes + " bytes");
    }
    List<Entry> drops = new ArrayList<>();
    while (pendingBytes + size > maxBytes || queue.size() + 1L > maxObjects) {
      Entry victim = null;
      for (Entry e : queue.values()) {
        if (e.droppable() && e != inFlight) {
          victim = e;
          break;
        }
      }
      if (victim == null) {
        throw new SpoolFullException(
            "spool full (" + queue.size() + " objects, " + pendingBytes + " bytes) with nothing"
                + " it may drop; refusing " + name);
      }
      removeEntry(victim);
      deleteFile(victim);
      dropped++;
      droppedBytes += victim.size();
      drops.add(victim);
    }
    return drops;
  }

  /** Removes an entry from the queue and the name index. Caller holds the lock. */
  private void removeEntry(Entry e) {
    if (queue.remove(e.seq()) != null) {
      newest.remove(e.name(), e.seq());
      pendingBytes -= e.size();
    }
  }

  private void deleteFile(Entry e) {
    try {
      Files.deleteIfExists(spool.root().resolve(e.file()));
    } catch (IOException ex) {
      log.warn("could not delete spool file {}: {}", e.file(), ex.toString());
    }
  }

  private void reportDrops(List<Entry> drops) {
    if (drops.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    long total;
    synchronized (lock) {
      total = dropped;
    }
    long count = total - drops.size();
    for (Entry e : drops) {
      log.warn("spool over its cap: dropped segment {} ({} bytes) before it was uploaded;"
          + " {} segment(s) dropped since start", e.name(), e.size(), ++count);
      lines.append(Instant.now()).append(' ').append(e.name()).append(' ').append(e.size())
          .append('\n');
    }
    try (FileChannel ch = FileChannel.open(directory.resolve(DROPS_LOG),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer bb = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.US_ASCII));
      while (bb.hasRemaining()) {
        ch.write(bb);
      }
      ch.force(false);
    } catch (IOException ex) {
      log.warn("could not append to {}: {}", directory.resolve(DROPS_LOG), ex.toString());
    }
    for (Entry e : drops) {
      notifyListener(() -> listener.dropped(e.name(), e.size()));
    }
  }

  private void notifyListener(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException ex) {
      log.warn("spool listener threw {}", ex.toString());
    }
  }

  // ---- uploader --------------------------------------------------------------------------

  private void uploadLoop() {
    while (true) {
      Entry e;
      synchronized (lock) {
        while (!closed && queue.isEmpty()) {
          try {
            lock.wait();
          } catch (InterruptedException ie) {
            if (closed) {
              return;
            }
          }
        }
        if (closed) {
          return;
        }
        e = queue.firstEntry().getValue();
        if (!Objects.equals(newest.get(e.name()), e.seq())) {
          removeEntry(e);
          superseded++;
          deleteFile(e);
          lock.notifyAll();
          continue;
        }
        inFlight = e;
      }
      try {
        notifyListener(() -> listener.uploadStarted(e.name(), e.size()));
        upload(e);
        synchronized (lock) {
          inFlight = null;
          removeEntry(e);
          deleteFile(e); // only now: the remote's commit returned
          uploaded++;
          uploadedBytes += e.size();
          consecutiveFailures = 0;
          lastError = null;
          lock.notifyAll();
        }
        notifyListener(() -> listener.uploaded(e.name(), e.size()));
      } catch (IOException | RuntimeException ex) {
        int failures;
        synchronized (lock) {
          inFlight = null;
          failures = ++consecutiveFailures;
          lastError = ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage());
          if (closed) {
            return;
          }
        }
        IOException io = ex instanceof IOException ioe ? ioe : new IOException(ex);
        long delay = backoffMillis(failures);
        if (failures == 1 || failures % 10 == 0) {
          log.warn("upload of {} failed ({} in a row): {}; retrying in {} ms", e.name(), failures,
              firstLine(ex.getMessage()), delay);
        } else {
          log.debug("upload of {} failed ({} in a row): {}", e.name(), failures, firstLine(ex.getMessage()));
        }
        notifyListener(() -> listener.uploadFailed(e.name(), io));
        synchronized (lock) {
          long until = System.nanoTime() + delay * 1_000_000;
          while (!closed) {
            long left = (until - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
              break;
            }
            try {
              lock.wait(left);
            } catch (InterruptedException ie) {
              // close() interrupts; the loop re-checks closed
            }
          }
          if (closed) {
            return;
          }
        }
      }
    }
  }

  private void upload(Entry e) throws IOException {
    try (InputStream in = spool.open(e.file())) {
      in.skipNBytes(e.headerBytes());
      try (ObjectWriter w = remote.create(e.name())) {
        byte[] buf = new byte[64 * 1024];
        long copied = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
          w.write(buf, 0, n);
          copied += n;
        }
        if (copied != e.size()) {
          throw new IOException("spool file " + e.file() + " changed size while uploading");
        }
        w.commit();
      }
    }
  }

  private long backoffMillis(int failures) {
    return Math.max(1, backoff.computeDelay(Math.min(failures, 30)).toMillis());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  // ---- writer ----------------------------------------------------------------------------

  @NotOnAndroid
  private final class Writer extends AbstractObjectWriter {
    private final long seq;
    private final int headerBytes;
    private final ObjectWriter file;
    private long size;

    Writer(long seq, String name, int headerBytes, ObjectWriter file) {
      super(name);
      this.seq = seq;
      this.headerBytes = headerBytes;
      this.file = file;
    }

    @Override
    public void write(int b) throws IOException {
      checkOpen();
      file.write(b);
      size++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      checkWrite(b, off, len);
      file.write(b, off, len);
      size += len;
    }

    @Override
    public void flush() throws IOException {
      checkOpen();
      file.flush();
    }

    @Override
    public void commit() throws IOException {
      checkOpen();
      String name = name();
      List<Entry> drops = List.of();
      boolean refused = false;
      try {
        synchronized (lock) {
          if (SpoolingSegmentStore.this.closed) {
            throw new IOException("spool " + directory + " is closed");
          }
          try {
            drops = makeRoom(name, size);
          } catch (SpoolFullException full) {
            rejected++;
            refused = true;
            throw full;
          }
          file.commit(); // durable: from here on the object is acknowledged
          markCommitted();
          Entry e = new Entry(seq, name, size, headerBytes);
          queue.put(seq, e);
          newest.merge(name, seq, Math::max);
          pendingBytes += size;
          lock.notifyAll();
        }
      } finally {
        if (!isCommitted()) {
          close();
        }
        reportDrops(drops);
        if (refused) {
          log.warn("spool full: refused {} ({} bytes); nothing droppable is pending", name, size);
          notifyListener(() -> listener.rejected(name, size));
        }
      }
    }

    @Override
    public void close() throws IOException {
      if (markClosed() && !isCommitted()) {
        file.close();
      }
    }
  }

  // ---- builder ---------------------------------------------------------------------------

  /** Builds a {@link SpoolingSegmentStore}; validates and opens in {@link #build()}. */
  @NotOnAndroid
  public static final class Builder {
    private final Path directory;
    private final SegmentStore remote;
    private long maxBytes = Long.MAX_VALUE;
    private long maxObjects = Long.MAX_VALUE;
    private BackoffStrategy backoff = DEFAULT_BACKOFF;
    private SpoolListener listener = new SpoolListener() {};
    private boolean uploading = true;

    private Builder(Path directory, SegmentStore remote) {
      this.directory = Objects.requireNonNull(directory, "directory");
      this.remote = Objects.requireNonNull(remote, "remote");
    }

    /** Cap on the payload bytes of pending objects. Default: no cap. */
    public Builder maxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    /** Cap on the number of pending objects. Default: no cap. */
    public Builder maxObjects(long maxObjects) {
      this.maxObjects = maxObjects;
      return this;
    }

    /**
     * The delay after the n-th failed upload in a row: the AWS SDK's backoff type, the same
     * that {@code S3SegmentStore} retries with. Default {@code
     * BackoffStrategy.exponentialDelayHalfJitter(200 ms, 30 s)} (at least half of each step, so
     * a flapping remote is not hammered). The spool never gives up; past 30 failures the delay
     * of the 30th is used again.
     *
     * @param backoff the strategy
     * @return this builder
     */
    public Builder backoff(BackoffStrategy backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    public Builder listener(SpoolListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Whether to start the uploader. Default true; false opens the spool to write or inspect it
     * without uploading (tools, tests).
     */
    public Builder uploading(boolean uploading) {
      this.uploading = uploading;
      return this;
    }

    /** Opens the spool, resuming what a previous run left pending. */
    public SpoolingSegmentStore build() throws IOException {
      if (maxBytes < 1 || maxObjects < 1) {
        throw new IllegalArgumentException("caps must be positive");
      }
      return new SpoolingSegmentStore(this);
    }
  }
}
