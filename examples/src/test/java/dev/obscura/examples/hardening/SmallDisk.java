package dev.obscura.examples.hardening;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real small disk for the disk-full tests: a tmpfs of a fixed size mounted on a folder, and a
 * filler file that takes its space away and gives it back. Mounting needs root (CI runs as
 * root); elsewhere {@link #mount} skips the test, saying why. tmpfs counts space in pages: a file
 * of n bytes takes {@code ceil(n / PAGE)} of them, an empty file or a folder none.
 */
final class SmallDisk implements AutoCloseable {
  /** The unit tmpfs allocates in. */
  static final int PAGE = 4096;

  private static final String FILLER = "filler";

  /** The mounted folder; the filler file lives in it, beside what the test puts there. */
  final Path root;
  private boolean mounted;

  private SmallDisk(Path root) {
    this.root = root;
  }

  /**
   * Mounts a tmpfs of {@code bytes} on {@code dir} (created if missing), or skips the test.
   *
   * @param dir the mount point
   * @param bytes the size, a whole number of pages
   * @return the mounted disk: close it (in {@code @AfterAll}) to unmount
   */
  static SmallDisk mount(Path dir, long bytes) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    String why = new String(p.getInputStream().readAllBytes());
    boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    Assumptions.assumeTrue(ok, "cannot mount a tmpfs here (needs root): " + why.strip());
    SmallDisk d = new SmallDisk(dir);
    d.mounted = true;
    return d;
  }

  /** Bytes a new file may still take. */
  long usable() throws IOException {
    return Files.getFileStore(root).getUsableSpace();
  }

  /**
   * Grows the filler until only {@code leave} bytes (rounded down to whole pages) stay usable;
   * 0 fills the disk up. Never shrinks it: {@link #free} first for more room.
   */
  void fill(long leave) throws IOException {
    long grow = usable() - leave;
    if (grow <= 0) {
      return;
    }
    try (FileChannel ch = FileChannel.open(root.resolve(FILLER), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer b = ByteBuffer.allocate(64 * 1024);
      while (grow > 0) {
        b.clear().limit((int) Math.min(b.capacity(), grow));
        grow -= ch.write(b);
      }
    }
  }

  /** Gives the filler's space back. */
  void free() throws IOException {
    Files.deleteIfExists(root.resolve(FILLER));
  }

  /** Unmounts (lazily: an open file of a failed test does not keep it mounted). */
  @Override
  public void close() throws IOException, InterruptedException {
    if (mounted) {
      mounted = false;
      new ProcessBuilder("umount", "-l", root.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return "SmallDisk[" + root.getFileName() + "]";
  }
}
