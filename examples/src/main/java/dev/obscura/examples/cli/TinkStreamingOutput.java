package dev.obscura.examples.cli;

import dev.obscura.codec.ExportStats;
import dev.obscura.codec.Mp4Export;
import dev.obscura.crypto.scheme.TinkStreamingExport;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * {@code export --format tink-streaming}: the same MP4 as {@code --format mp4}, encrypted with
 * stock Tink's streaming AEAD ({@link TinkStreamingExport}), and the Tink JSON keyset beside it.
 *
 * <p>The clear MP4 (the MP4 muxer needs a seekable file) exists only in a fresh private folder in
 * the system's temporary area ({@code obscura-export-*}, owner-only on POSIX), never beside
 * {@code --out} (often a cloud-synced folder), while it is encrypted; the folder is deleted
 * whatever happens, and at JVM exit if the process is stopped during the export. On any failure
 * neither {@code --out} nor {@code --keyset-out} nor a temporary file is left.
 */
final class TinkStreamingOutput {
  private TinkStreamingOutput() {}

  static ExportStats write(Iterator<byte[]> plaintexts, Path out, Path keyset, OutputGuard output)
      throws Exception {
    Path staging = privateTempDir();
    Thread cleanup = new Thread(() -> deleteQuietly(staging), "obscura-export-cleanup");
    boolean hooked = addHook(cleanup);
    Path clear = staging.resolve("clear.mp4");
    boolean outWritten = false;
    boolean done = false;
    try {
      ExportStats st = Mp4Export.write(plaintexts, clear);
      TinkStreamingExport export = TinkStreamingExport.generate();
      output.write(out, f -> export.encryptFile(clear, f));
      outWritten = true;
      output.write(keyset, export::writeKeyset);
      done = true;
      return new ExportStats(st.segments(), st.frames(), Files.size(out), st.duration(), st.reencoded());
    } finally {
      deleteQuietly(staging);
      if (hooked && !Files.exists(staging)) { // else the hook tries again at exit
        try {
          Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
          // the JVM is exiting: the hook runs, and finds nothing left
        }
      }
      if (outWritten && !done) {
        Files.deleteIfExists(out);
      }
    }
  }

  /** A fresh folder in the system's temporary area, owner-only where the file system is POSIX. */
  private static Path privateTempDir() throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return Files.createTempDirectory("obscura-export-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return Files.createTempDirectory("obscura-export-");
  }

  private static boolean addHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException | SecurityException e) {
      return false; // best effort: the finally block still deletes the folder
    }
  }

  /** Deletes the staging folder and what is in it (flat: the muxer's files); best effort. */
  private static void deleteQuietly(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Files.deleteIfExists(f);
          }
        }
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // best effort: nothing secret is logged; the JVM-exit hook tries again
    }
  }
}
