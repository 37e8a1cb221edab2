package dev.obscura.crypto.sframe;

import dev.obscura.core.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A crash-safe {@link CounterStore} in one small file.
 *
 * <p>Each {@link #store} writes a temporary file beside the target, forces it to disk, renames it
 * atomically over the target and forces the directory, so after a crash at any point the file
 * holds either the old or the new value, whole. The file is 20 bytes: the magic
 * {@code "OBSCTR01"}, the high-water mark as u64 big-endian, and a CRC-32 of the first 16 bytes.
 * A damaged file is reported, never read as 0.
 *
 * <p><b>Security guarantees:</b> while a store is open it holds an exclusive lock on
 * {@code <file>.lock}, so a second sender on the same file, in this or another process, fails to
 * open instead of reusing counters. The lock goes away with the process, even on SIGKILL.
 *
 * <p><b>Restrictions:</b> a missing file reads as 0 (a new sender). Deleting the file, or
 * restoring an old copy from a backup, while the same epoch key is still in use, reuses nonces:
 * treat the file as part of the key state. The directory must be on a local file system that
 * honours fsync and atomic rename.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (FileCounterStore counters = FileCounterStore.open(Path.of("/var/lib/obscura/front-door.ctr"))) {
 *   SFrameSender sender = SFrameSender.builder(epochKey, counters).build();
 * }
 * }</pre>
 */
public final class FileCounterStore implements CounterStore, Closeable {
  private static final byte[] MAGIC = {'O', 'B', 'S', 'C', 'T', 'R', '0', '1'};
  private static final int FILE_BYTES = 20;

  private final Path file;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private long stored = -1;
  private boolean closed;

  private FileCounterStore(Path file, FileChannel lockChannel, FileLock lock) {
    this.file = file;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (or prepares to create) the store at {@code file} and locks it.
   *
   * @throws IOException if the lock is held by another store or process, or cannot be taken
   */
  public static FileCounterStore open(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Path abs = file.toAbsolutePath();
    Path lockFile = abs.resolveSibling(abs.getFileName() + ".lock");
    FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      throw new IOException("counter store is in use by another sender: " + abs);
    }
    return new FileCounterStore(abs, ch, lock);
  }

  /** The file this store writes. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized long load() throws IOException {
    checkOpen();
    byte[] b;
    try {
      if (Files.size(file) != FILE_BYTES) { // before reading: a damaged file may be of any size
        throw new IOException("counter store damaged (bad length or magic): " + file);
      }
      b = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      stored = 0;
      return 0;
    }
    if (b.length != FILE_BYTES || !Arrays.equals(MAGIC, Arrays.copyOf(b, 8))) {
      throw new IOException("counter store damaged (bad length or magic): " + file);
    }
    ByteBuffer buf = ByteBuffer.wrap(b);
    long value = buf.getLong(8);
    int crc = buf.getInt(16);
    CRC32 c = new CRC32();
    c.update(b, 0, 16);
    if ((int) c.getValue() != crc || value < 0) {
      throw new IOException("counter store damaged (checksum): " + file);
    }
    stored = value;
    return value;
  }

  @Override
  public synchronized void store(long highWaterMark) throws IOException {
    checkOpen();
    if (highWaterMark < 0) {
      throw new IllegalArgumentException("high-water mark must be >= 0");
    }
    if (stored < 0) {
      load();
    }
    if (highWaterMark < stored) {
      throw new IllegalArgumentException("counter high-water mark must not go down");
    }
    ByteBuffer buf = ByteBuffer.allocate(FILE_BYTES);
    buf.put(MAGIC).putLong(highWaterMark);
    CRC32 c = new CRC32();
    c.update(buf.array(), 0, 16);
    buf.putInt((int) c.getValue());
    AtomicFiles.write(file, buf.array()); // temp beside it, fsync, atomic rename, fsync the folder
    stored = highWaterMark;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("counter store is closed: " + file);
    }
  }

  /** Releases the lock. The value stays on disk for the next sender. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }

  @Override
  public String toString() {
    return "FileCounterStore[" + file + "]";
  }
}
