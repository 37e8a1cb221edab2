package dev.obscura.transport;

import dev.obscura.core.ObjectWriter;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Child process of {@link FileSystemCrashTest}: writes self-verifying objects through a
 * {@link FileSystemSegmentStore} until it is killed, printing each name after its commit
 * returned. Arguments: root directory, run number, seed.
 */
public final class CrashWriterMain {
  /** Bytes after the payload: payload length (8) and CRC32 of the payload (8). */
  static final int TRAILER = 16;

  private CrashWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int run = Integer.parseInt(args[1]);
    Random random = new Random(Long.parseLong(args[2]));
    FileSystemSegmentStore store = new FileSystemSegmentStore(root);
    PrintStream out = new PrintStream(System.out, false, "US-ASCII");
    out.println("READY");
    out.flush();
    for (int i = 0; ; i++) {
      // Mostly new objects; every fourth one replaces one of a few shared names.
      String name =
          i % 4 == 3
              ? "shared/slot-" + random.nextInt(4)
              : String.format("run%02d/obj-%06d", run, i);
      byte[] payload = new byte[random.nextInt(300_000)];
      random.nextBytes(payload);
      try (ObjectWriter w = store.create(name)) {
        // several writes, so a kill can land in the middle of the data
        int off = 0;
        while (off < payload.length) {
          int n = Math.min(payload.length - off, 1 + random.nextInt(50_000));
          w.write(payload, off, n);
          off += n;
        }
        w.write(trailer(payload));
        w.commit();
      }
      out.println(name);
      out.flush();
    }
  }

  static byte[] trailer(byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(payload);
    return ByteBuffer.allocate(TRAILER).putLong(payload.length).putLong(crc.getValue()).array();
  }

  /** Whether {@code object} is a payload followed by its own correct trailer. */
  static boolean selfVerifies(byte[] object) {
    if (object.length < TRAILER) {
      return false;
    }
    byte[] payload = java.util.Arrays.copyOf(object, object.length - TRAILER);
    byte[] expected = trailer(payload);
    return java.util.Arrays.equals(
        expected, 0, TRAILER, object, object.length - TRAILER, object.length);
  }
}
