package dev.obscura.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Objects;

/**
 * The one durable file write of the SDK, used by every writer of state (camera state, trust
 * store, key files, the file-system segment store and so the spool): the bytes go to a new
 * temporary file in the target's folder, which is forced to the device, then renamed onto the
 * target in one atomic step, and the folder is forced so the rename survives a power cut. A
 * crash at any moment leaves the old file (or no file) or the new one whole, never a mix; what
 * it can leave besides is a temporary file whose name starts with {@code .} and ends with
 * {@value #TEMP_SUFFIX} (or the caller's own temporary name), which no reader takes for state.
 *
 * <p>Public so that both {@code obscura-crypto} and {@code obscura-transport} use this one copy
 * (no module uses another's internal package); it is a small utility, not a storage API.
 * Android API 26 compatible.
 *
 * <p><b>Restrictions:</b> the target's folder must exist and be on a file system that renames
 * atomically (every local POSIX file system; not some network shares, where {@link
 * #commit} fails with an {@link IOException} naming the cause). Forcing a folder is skipped
 * where the platform cannot open one (Windows). Concurrent writers of one target must be kept
 * apart by the caller (each write uses its own temporary file, so the last rename wins whole).
 *
 * <p><b>Fault injection (tests only):</b> with the system property {@value #HALT_PROPERTY} set
 * to a file name (or {@code *} for any), the JVM halts ({@link Runtime#halt}, no finally blocks, no shutdown hooks)
 * after the temporary file of a target of that name is forced and before it is renamed: a
 * crash between write and rename, which the crash tests of every state writer use. Never set
 * it in production.
 */
public final class AtomicFiles {
  /** Suffix of the temporary files of {@link #write} and {@link #writeNew}. */
  public static final String TEMP_SUFFIX = ".tmp";

  /**
   * System property naming a target file name before whose rename the JVM halts (tests only).
   */
  public static final String HALT_PROPERTY = "obscura.test.haltBeforeRename";

  /** Exit status of the JVM halted by {@link #HALT_PROPERTY}. */
  public static final int HALT_STATUS = 86;

  private AtomicFiles() {}

  /**
   * Replaces {@code target} (or creates it) with {@code data}, durably and atomically.
   *
   * @param target the file; its folder must exist
   * @param data the new content (read, not kept)
   * @throws IOException if writing, forcing or renaming fails; the old content is then intact
   */
  public static void write(Path target, byte[] data) throws IOException {
    writeTemp(target, data, false, true);
  }

  /**
   * Creates {@code target} with {@code data}, durably and atomically, failing if it exists: a
   * crash leaves no file or the whole file, never a partial one.
   *
   * @param target the file; its folder must exist
   * @param data the content (read, not kept)
   * @param ownerOnly whether the file is created with POSIX mode 0600 (where the file system has
   *     POSIX modes; set at creation, so it is never readable by others)
   * @throws FileAlreadyExistsException if {@code target} exists (it is left untouched)
   * @throws IOException if writing, forcing or linking fails; no file is then left at {@code
   *     target}
   */
  public static void writeNew(Path target, byte[] data, boolean ownerOnly) throws IOException {
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    writeTemp(target, data, ownerOnly, false);
  }

  private static void writeTemp(Path target, byte[] data, boolean ownerOnly, boolean replace)
      throws IOException {
    Objects.requireNonNull(data, "data");
    Path dir = target.toAbsolutePath().getParent();
    FileAttribute<?>[] attrs = new FileAttribute<?>[0];
    if (ownerOnly && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      attrs = new FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
      };
    }
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX, attrs);
    boolean done = false;
    try {
      FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
      try {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
          ch.write(b);
        }
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      commit(ch, tmp, target, replace);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * The second half of a durable write, for a caller that streamed into its own temporary file
   * in the target's folder: forces {@code channel} to the device and closes it, renames {@code
   * temp} onto {@code target} atomically, and forces the folder. On failure the temporary file
   * is left for the caller to delete.
   *
   * @param channel the open channel of {@code temp}; closed by this call whatever happens
   * @param temp the temporary file, in the same folder as {@code target}
   * @param target the file to replace or create
   * @param replace whether an existing {@code target} is replaced; if false and it exists, a
   *     {@link FileAlreadyExistsException} is thrown and it is left untouched
   * @throws IOException if forcing or renaming fails ({@code target} then has its old content)
   */
  public static void commit(FileChannel channel, Path temp, Path target, boolean replace)
      throws IOException {
    try (channel) {
      channel.force(true);
    }
    haltIfAsked(target);
    if (replace) {
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + target + " cannot rename atomically", e);
      }
    } else {
      try {
        // a hard link is created atomically and never replaces: no window for a partial file
        Files.createLink(target, temp);
        Files.delete(temp);
      } catch (UnsupportedOperationException | AccessDeniedException e) {
        // no hard links here (FAT, some Android storage): a plain rename that does not replace
        Files.move(temp, target);
      }
    }
    syncDirectory(target.toAbsolutePath().getParent());
  }

  /**
   * Forces a folder's entries to the device, so that a rename or a deletion in it is durable;
   * skipped where the platform cannot open a folder (Windows) or refuses.
   *
   * @param dir the folder
   * @throws IOException if forcing fails on a platform that can force folders
   */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (AccessDeniedException | UnsupportedOperationException e) {
      // the platform does not let us; the rename itself is still atomic
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win")) {
        throw e;
      }
      // Windows cannot open a folder as a channel
    }
  }

  private static void haltIfAsked(Path target) {
    String name = System.getProperty(HALT_PROPERTY);
    if (name != null && target.getFileName() != null
        && (name.equals("*") || name.equals(target.getFileName().toString()))) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }
}
