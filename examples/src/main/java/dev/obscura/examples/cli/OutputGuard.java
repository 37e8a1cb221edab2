package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * {@code --force}, mixed into every command that writes {@code --out}: the one rule for output
 * files. An existing file is never replaced unless {@code --force} is given ({@link
 * #refuseOverwrite}), the same in every command; and a folder a failed command created for its
 * output is removed again if nothing was written in it ({@link #removeIfEmpty}).
 */
final class OutputGuard {
  @Option(names = "--force", description = "Replace the files --out names if they exist (default: refuse, exit 1).")
  boolean force;

  /**
   * Fails (a state conflict, exit 1) if any of {@code files} exists and {@code --force} was not
   * given.
   *
   * @param files the files the command is about to write
   */
  void refuseOverwrite(Path... files) {
    for (Path f : files) {
      if (!force && Files.exists(f)) {
        throw new CliException(Outcome.CONFLICT, "refusing to overwrite " + f + ": pass --force to replace it");
      }
    }
  }

  /**
   * Fails (a state conflict, exit 1) if {@code dir} exists and is not an empty folder, unless
   * {@code --force} was given (then files of the same names in it are replaced).
   *
   * @param dir the folder the command is about to write into
   */
  void refuseNonEmptyDir(Path dir) {
    if (force || !Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new CliException(Outcome.CONFLICT, "refusing to write into " + dir + ": it is a file, not a folder");
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new CliException(Outcome.CONFLICT, "refusing to write into " + dir
            + ": it is not empty; pass --force to replace the files of the same names");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes a new file at the path it is given (which does not exist). */
  interface FileWriter {
    /**
     * @param file where to write; it does not exist
     * @throws Exception if writing fails
     */
    void write(Path file) throws Exception;
  }

  /**
   * Writes {@code target} with {@code writer}: directly if it does not exist; else, with {@code
   * --force} only ({@link #refuseOverwrite}), into a private folder beside it, then moved over it
   * in one atomic rename, so that a failure leaves the old file as it was.
   *
   * @param target the file to write
   * @param writer writes a new file at the path it is given
   * @throws Exception what the writer or the rename throws
   */
  void write(Path target, FileWriter writer) throws Exception {
    if (!Files.exists(target)) {
      writer.write(target);
      return;
    }
    refuseOverwrite(target);
    Path dir = Files.createTempDirectory(target.toAbsolutePath().getParent(), ".obscura-");
    Path staged = dir.resolve(target.getFileName());
    try {
      writer.write(staged);
      Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(staged);
      Files.deleteIfExists(dir);
    }
  }

  /**
   * The topmost folder that does not exist yet on the way to {@code dir} (what creating it would
   * create), or null if {@code dir} exists.
   */
  static Path firstMissing(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    if (Files.exists(d)) {
      return null;
    }
    while (d.getParent() != null && !Files.exists(d.getParent())) {
      d = d.getParent();
    }
    return d;
  }

  /**
   * Removes {@code dir} if it holds nothing but empty folders (what a failed command created and
   * never wrote to); leaves it alone otherwise. Never throws: this runs while a failure is being
   * reported.
   *
   * @param dir a folder this run created, or null
   */
  static void removeIfEmpty(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (!Files.isDirectory(p)) {
          return; // something was written: keep it all
        }
        all.add(p);
      }
    } catch (IOException | RuntimeException e) {
      return;
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(all.get(i));
      } catch (IOException e) {
        return;
      }
    }
  }
}
