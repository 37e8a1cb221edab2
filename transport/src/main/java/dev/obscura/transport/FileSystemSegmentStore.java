package dev.obscura.transport;

import dev.obscura.core.AtomicFiles;
import dev.obscura.core.Hex;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.transport.internal.AbstractObjectWriter;
import dev.obscura.transport.internal.ObjectNameRules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crash-safe {@link SegmentStore} in a directory: object {@code a/b/c} is the file
 * {@code ROOT/a/b/c}.
 *
 * <p><b>Guarantees:</b>
 *
 * <ul>
 *   <li>An object is written to a hidden temporary file {@code .tmp-<random>} in its target
 *       directory. {@link ObjectWriter#commit()} forces the file's data and metadata to the
 *       device ({@code FileChannel.force(true)}), renames it over the target with an atomic
 *       move (replacing an existing object), then forces the directory so the rename itself is
 *       durable. When commit returns, the object is whole and survives a process crash and, as
 *       far as the file system and device honour fsync, a power loss.
 *   <li>A partial write is never visible: {@link #open} and {@link #list} ignore every name
 *       that starts with {@code .}. Closing a writer without commit deletes its temporary file.
 *       Temporary files left by a crash are removed by {@link #sweepIncomplete()}, which the
 *       constructor runs.
 *   <li>If {@code commit()} throws, the object is either absent (the temporary file is deleted)
 *       or, when only the final directory fsync failed, visible but of unknown durability;
 *       retrying the write is always safe.
 *   <li>Names are validated strictly (relative paths of {@code [A-Za-z0-9._-]} elements, none
 *       starting with {@code .}, no empty elements): a name can never address a file outside
 *       the root or a temporary file.
 *   <li>Thread-safe: any number of writers and readers at once; concurrent commits of one name
 *       are serialized by the file system (the last rename wins, each whole).
 * </ul>
 *
 * <p><b>Restrictions:</b>
 *
 * <ul>
 *   <li>An object name cannot also be a "directory" of other objects ({@code a} and {@code a/b}
 *       cannot both exist); creating such a pair fails with an {@link IOException}.
 *   <li>A root belongs to one store instance at a time: {@link #sweepIncomplete()} (also run by
 *       the constructor) deletes the temporary files of writers it does not know, including
 *       those of another live instance or process on the same root.
 *   <li>Directory fsync is skipped, with a debug log, on platforms that refuse to open a
 *       directory (Windows). Symbolic links placed inside the root by someone else are
 *       followed; the root must not be writable by untrusted local users.
 *   <li>Empty directories are left behind when objects are replaced; they are harmless.
 * </ul>
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * SegmentStore store = new FileSystemSegmentStore(Path.of("/var/lib/obscura"));
 * try (ObjectWriter w = store.create(ObjectNames.segment(id))) {
 *   w.write(sealedBytes);
 *   w.commit(); // durable and visible from here on
 * }
 * }</pre>
 */
public final class FileSystemSegmentStore implements SegmentStore {
  /** Prefix of the temporary files of uncommitted objects. */
  static final String TEMP_PREFIX = ".tmp-";

  private static final Logger log = LoggerFactory.getLogger(FileSystemSegmentStore.class);
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path root;
  private final SecureRandom random = new SecureRandom();
  private final Set<Path> activeTempFiles = ConcurrentHashMap.newKeySet();

  /**
   * Opens (creating it if needed) a store rooted at {@code root}, and sweeps temporary files
   * that a crashed writer left behind.
   */
  public FileSystemSegmentStore(Path root) throws IOException {
    Objects.requireNonNull(root, "root");
    Files.createDirectories(root);
    this.root = root.toRealPath();
    List<String> swept = sweepIncomplete();
    if (!swept.isEmpty()) {
      log.info("removed {} incomplete object(s) left by an earlier crash in {}", swept.size(), root);
    }
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  @Override
  public ObjectWriter create(String name) throws IOException {
    Path target = resolve(name);
    Path dir = target.getParent();
    createDirectoriesDurably(dir);
    Path temp;
    FileChannel channel;
    while (true) {
      byte[] r = new byte[12];
      random.nextBytes(r);
      temp = dir.resolve(TEMP_PREFIX + Hex.format(r));
      try {
        channel =
            FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        break;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // 96 random bits collided: try another name
      }
    }
    activeTempFiles.add(temp);
    return new Writer(name, target, temp, channel);
  }

  @Override
  public InputStream open(String name) throws IOException {
    Path target = resolve(name);
    if (!Files.isRegularFile(target)) {
      throw new NoSuchObjectException(name);
    }
    try {
      return Files.newInputStream(target);
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(name);
    }
  }

  /**
   * Deletes the object's file and forces its directory, so the deletion is durable when this
   * returns. Idempotent: a missing name (or a name that is only a "directory" of other objects)
   * is not an error. Empty directories are left behind.
   */
  @Override
  public void delete(String name) throws IOException {
    Path target = resolve(name);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      return; // not an object
    }
    if (Files.deleteIfExists(target)) {
      AtomicFiles.syncDirectory(target.getParent());
    }
  }

  @Override
  public List<StoredObject> list(String prefix) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    // Walk only the deepest directory the prefix names, when it names a valid one.
    Path start = root;
    int slash = prefix.lastIndexOf('/');
    if (slash > 0 && ObjectNameRules.isValid(prefix.substring(0, slash))) {
      start = root.resolve(prefix.substring(0, slash));
      if (!Files.isDirectory(start)) {
        return List.of();
      }
    }
    List<StoredObject> out = new ArrayList<>();
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(root) && isHidden(dir)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && !isHidden(file)) {
              String name = toName(file);
              if (name.startsWith(prefix) && ObjectNameRules.isValid(name)) {
                out.add(new StoredObject(name, attrs.size()));
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // removed while we walked
            }
            throw e;
          }
        });
    out.sort(Comparator.comparing(StoredObject::name));
    return out;
  }

  /**
   * Deletes the temporary files of writers that never committed (left by a crash), except those
   * of writers still open in this instance.
   *
   * @return the removed files, as paths relative to the root ({@code a/b/.tmp-...}), sorted
   */
  public List<String> sweepIncomplete() throws IOException {
    List<String> removed = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (file.getFileName().toString().startsWith(TEMP_PREFIX)
                && !activeTempFiles.contains(file)) {
              if (Files.deleteIfExists(file)) {
                removed.add(root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"));
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    Collections.sort(removed);
    return removed;
  }

  @Override
  public String toString() {
    return "FileSystemSegmentStore[" + root + "]";
  }

  private Path resolve(String name) {
    ObjectNameRules.validate(name);
    Path target = root.resolve(name).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new IllegalArgumentException("object name escapes the store root");
    }
    return target;
  }

  private String toName(Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  private static boolean isHidden(Path p) {
    Path f = p.getFileName();
    return f != null && f.toString().startsWith(".");
  }

  /** Creates missing directories up to {@code dir}, fsyncing each new entry's parent. */
  private void createDirectoriesDurably(Path dir) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && !p.equals(root) && !Files.isDirectory(p); p = p.getParent()) {
      missing.add(p);
    }
    Collections.reverse(missing);
    for (Path p : missing) {
      try {
        Files.createDirectory(p);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (!Files.isDirectory(p)) {
          throw e; // an object already has this name
        }
      }
      AtomicFiles.syncDirectory(p.getParent());
    }
  }

  private final class Writer extends AbstractObjectWriter {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);

    Writer(String name, Path target, Path temp, FileChannel channel) {
      super(name);
      this.target = target;
      this.temp = temp;
      this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
      checkOpen();
      if (!buffer.hasRemaining()) {
        flushBuffer();
      }
      buffer.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      checkWrite(b, off, len);
      if (len >= buffer.capacity()) {
        flushBuffer();
        writeFully(ByteBuffer.wrap(b, off, len));
        return;
      }
      if (len > buffer.remaining()) {
        flushBuffer();
      }
      buffer.put(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      checkOpen();
      flushBuffer();
    }

    private void flushBuffer() throws IOException {
      ((java.nio.Buffer) buffer).flip(); // Buffer's: ByteBuffer's own flip() is API 33+ on Android
      writeFully(buffer);
      ((java.nio.Buffer) buffer).clear();
    }

    private void writeFully(ByteBuffer src) throws IOException {
      while (src.hasRemaining()) {
        channel.write(src);
      }
    }

    @Override
    public void commit() throws IOException {
      checkOpen();
      boolean moved = false;
      try {
        flushBuffer();
        AtomicFiles.commit(channel, temp, target, true); // force, rename, force the folder
        moved = true;
        markCommitted();
        activeTempFiles.remove(temp);
      } finally {
        if (!moved) {
          abort();
        }
      }
    }

    @Override
    public void close() throws IOException {
      if (markClosed() && !isCommitted()) {
        abort();
      }
    }

    private void abort() throws IOException {
      markClosed();
      try {
        channel.close();
      } finally {
        Files.deleteIfExists(temp);
        activeTempFiles.remove(temp);
      }
    }
  }
}
