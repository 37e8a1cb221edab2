package dev.obscura.crypto.segment;

import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;

/**
 * Seals one segment of {@code args[0]} bytes (generated on the fly, written in 64 KiB frames) and
 * opens it at the same time through a pipe, so neither side ever holds it: run by {@link
 * GiantSegmentTest} in a JVM with a small heap. Prints "OK" when the plaintext CRC-32C, the
 * length and the chain digest agree on both sides.
 */
public final class GiantSegmentMain {
  private GiantSegmentMain() {}

  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[0]);
    StreamId cam = StreamId.of("giant");
    Fixtures.Keyring ring = new Fixtures.Keyring();
    PipedInputStream pipeIn = new PipedInputStream(1 << 20);
    PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
    SegmentStore store = new SegmentStore() {
      @Override
      public ObjectWriter create(String name) {
        return new ObjectWriter() {
          @Override
          public void write(int b) throws IOException {
            pipeOut.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            pipeOut.write(b, off, len);
          }

          @Override
          public void commit() throws IOException {
            pipeOut.close();
          }

          @Override
          public void close() throws IOException {
            pipeOut.close();
          }
        };
      }

      @Override
      public InputStream open(String name) throws IOException {
        throw new IOException("not stored");
      }

      @Override
      public List<StoredObject> list(String prefix) {
        return new ArrayList<>();
      }
    };
    AtomicReference<Object> readSide = new AtomicReference<>();
    long[] readCrc = new long[2];
    Thread reader = new Thread(() -> {
      try (SegmentReader r = new SegmentReader(Integer.MAX_VALUE - 64)) {
        r.start(pipeIn, ring);
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = r.read(buf, 0, buf.length)) != -1; total += n) {
          crc.update(buf, 0, n);
        }
        readCrc[0] = crc.getValue();
        readCrc[1] = total;
        readSide.set(r.digest());
      } catch (Throwable t) {
        readSide.set(t);
      }
    }, "giant-reader");
    reader.start();
    long t0 = System.nanoTime();
    CRC32C crc = new CRC32C();
    byte[] frame = new byte[64 * 1024];
    long x = 0x9E3779B97F4A7C15L;
    SealedSegmentInfo info;
    try (SegmentSealer sealer = SegmentSealer.builder().store(store).stream(cam)
        .epochKey(ring.create(cam, 0, 1)).maxSegmentBytes(Integer.MAX_VALUE - 64).build();
         SegmentWriter w = sealer.open(Fixtures.T0, 60_000_000L)) {
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(frame.length, left);
        for (int i = 0; i < n; i += 8) { // xorshift64: cheap, not all zeros
          x ^= x << 13;
          x ^= x >>> 7;
          x ^= x << 17;
          for (int k = 0; k < 8 && i + k < n; k++) {
            frame[i + k] = (byte) (x >>> (8 * k));
          }
        }
        crc.update(frame, 0, n);
        w.write(frame, 0, n);
        left -= n;
      }
      info = w.finish();
    }
    reader.join(120_000);
    Object got = readSide.get();
    if (got instanceof Throwable) {
      ((Throwable) got).printStackTrace();
      System.exit(2);
    }
    boolean ok = got != null && readCrc[1] == size && readCrc[0] == crc.getValue()
        && MessageDigest.isEqual((byte[]) got, info.digest())
        && info.plaintextSizeBytes() == size;
    System.out.printf("%s: %d bytes sealed and opened in %.1f s, max heap %d MiB%n",
        ok ? "OK" : "MISMATCH", size, (System.nanoTime() - t0) / 1e9,
        Runtime.getRuntime().maxMemory() >> 20);
    System.exit(ok ? 0 : 1);
  }
}
