package dev.obscura.crypto.share;

import dev.obscura.core.MalformedDataException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Bounded big-endian reading and writing for the share formats. Not API. */
final class Wire {
  private Wire() {}

  static long toMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  static Instant fromMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /** A growable big-endian writer. */
  static final class Out {
    final ByteArrayOutputStream buf;

    Out(int initial) {
      buf = new ByteArrayOutputStream(initial);
    }

    Out u8(int v) {
      buf.write(v);
      return this;
    }

    Out u16(int v) {
      buf.write(v >>> 8);
      buf.write(v);
      return this;
    }

    Out u32(long v) {
      for (int i = 3; i >= 0; i--) {
        buf.write((int) (v >>> (8 * i)));
      }
      return this;
    }

    Out u64(long v) {
      for (int i = 7; i >= 0; i--) {
        buf.write((int) (v >>> (8 * i)));
      }
      return this;
    }

    Out bytes(byte[] b) {
      buf.write(b, 0, b.length);
      return this;
    }

    byte[] toByteArray() {
      return buf.toByteArray();
    }
  }

  /** A reader that checks every length against what remains before allocating. */
  static final class In {
    private final ByteBuffer b;
    private final String what;

    In(byte[] bytes, String what) {
      this.b = ByteBuffer.wrap(bytes);
      this.what = what;
    }

    int position() {
      return b.position();
    }

    int remaining() {
      return b.remaining();
    }

    private void need(long n) throws MalformedDataException {
      if (n < 0 || n > b.remaining()) {
        throw new MalformedDataException(what + " cut short");
      }
    }

    int u8() throws MalformedDataException {
      need(1);
      return b.get() & 0xff;
    }

    int u16() throws MalformedDataException {
      need(2);
      return b.getShort() & 0xffff;
    }

    long u32() throws MalformedDataException {
      need(4);
      return b.getInt() & 0xffffffffL;
    }

    long u64() throws MalformedDataException {
      need(8);
      return b.getLong();
    }

    byte[] bytes(long n) throws MalformedDataException {
      need(n);
      byte[] out = new byte[(int) n];
      b.get(out);
      return out;
    }

    /** A u32 length, checked against {@code max} and what remains, then the bytes. */
    byte[] sized32(long max, String field) throws MalformedDataException {
      long n = u32();
      if (n > max) {
        throw new MalformedDataException(what + ": " + field + " of " + n
            + " bytes exceeds the maximum of " + max);
      }
      return bytes(n);
    }

    void end() throws MalformedDataException {
      if (b.hasRemaining()) {
        throw new MalformedDataException(what + " has " + b.remaining() + " bytes of trailing data");
      }
    }
  }
}
