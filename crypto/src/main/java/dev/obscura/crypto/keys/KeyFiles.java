package dev.obscura.crypto.keys;

import dev.obscura.core.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading and writing small text key files. Not API. */
final class KeyFiles {
  /** The largest key file read, in bytes. */
  static final int MAX_FILE_BYTES = 64 * 1024;

  private KeyFiles() {}

  /**
   * Creates {@code path} (failing if it exists) with {@code text}, durably and atomically
   * ({@link dev.obscura.core.AtomicFiles#writeNew}): a crash leaves no key file or a whole one.
   * With {@code secret}, the file is created with POSIX mode 0600 on file systems that support it
   * (the mode is set at creation, so there is no moment when it is readable by others).
   */
  static void writeNew(Path path, String text, boolean secret) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      dev.obscura.core.AtomicFiles.writeNew(path, bytes, secret);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Reads a key file of at most {@link #MAX_FILE_BYTES}, mapping a missing file and bad bytes. */
  static String read(Path path) throws IOException, KeyFileException {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, path);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(KeyFileException.Reason.MISSING, path, "no such key file");
    }
  }

  /**
   * Reads a key file of at most {@link #MAX_FILE_BYTES} from {@code in} (not closed); {@code
   * path} names it in messages (null for a stream).
   */
  static String read(InputStream in, Path path) throws IOException, KeyFileException {
    byte[] bytes = Bytes.readUpTo(in, MAX_FILE_BYTES);
    try {
      if (in.read() != -1) {
        throw new KeyFileException(
            KeyFileException.Reason.MALFORMED, path, "not a key file (larger than 64 KiB)");
      }
      return decode(bytes, path);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The UTF-8 text of a key file's bytes (not wiped here). */
  static String decode(byte[] bytes, Path path) throws KeyFileException {
    if (bytes.length > MAX_FILE_BYTES) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "not a key file (larger than 64 KiB)");
    }
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    try {
      return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "not a key file (not UTF-8 text)");
    }
  }

  /** The first line of {@code text}, without its line terminator. */
  static String firstLine(String text) {
    int nl = text.indexOf('\n');
    String line = nl < 0 ? text : text.substring(0, nl);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

}
