package dev.obscura.codec.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.codec.MalformedMediaException;
import dev.obscura.core.MalformedDataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the fragmented MP4 splitter ({@link FragmentedMp4Splitter}), which cuts the muxer's
 * output stream into the init ({@code ftyp}+{@code moov}) and fragments ({@code moof}+{@code
 * mdat}), with arbitrary streams written in fuzzer-chosen chunk sizes.
 *
 * <p>Input: byte 0 picks the chunk size (1 to 255, 0 = one write), the rest is the stream.
 * Invariants: {@code write} and {@code close} throw only {@link MalformedMediaException}; the
 * outcome and the pieces do not depend on the chunk size (the stream is also written in one
 * call and compared); no box above the limit is buffered; once the stream is closed cleanly, the
 * pieces are exactly what an independent walk of the top-level boxes says: each {@code moov}
 * with the {@code ftyp} before it, each {@code moof} with its {@code mdat}, every other box
 * dropped. Hence a real fMP4 the codec produced (the seed in {@code
 * FragmentedMp4SplitterFuzzTestInputs/}) is split and re-joined to the original bytes.
 */
class FragmentedMp4SplitterFuzzTest {
  private static final long MAX_BOX = 1 << 20;

  @FuzzTest
  void splitArbitraryStreams(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int chunk = data[0] & 0xff;
    byte[] stream = Arrays.copyOfRange(data, 1, data.length);
    Result chunked = split(stream, chunk == 0 ? Math.max(1, stream.length) : chunk);
    Result whole = split(stream, Math.max(1, stream.length));
    if (chunked.ok != whole.ok || !chunked.pieces.equals(whole.pieces)) {
      throw new AssertionError("the chunk size " + chunk + " changed the outcome");
    }
    if (!chunked.ok) {
      return;
    }
    List<Piece> expected = expectedPieces(stream);
    if (expected == null || !expected.equals(chunked.pieces)) {
      throw new AssertionError("pieces are not the stream's boxes: got " + chunked.pieces.size()
          + ", an independent walk says " + (expected == null ? "malformed" : expected.size()));
    }
  }

  private record Result(boolean ok, List<Piece> pieces) {}

  /** One piece the listener got: init or fragment, its bytes, what the splitter parsed of it. */
  private record Piece(String kind, byte[] bytes, Object info) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Piece p && p.kind.equals(kind) && Arrays.equals(p.bytes, bytes)
          && p.info.equals(info);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  private static Result split(byte[] stream, int chunk) {
    List<Piece> pieces = new ArrayList<>();
    FragmentedMp4Splitter s = new FragmentedMp4Splitter(new FragmentedMp4Splitter.Listener() {
      @Override
      public void init(byte[] init, Boxes.InitInfo info) {
        pieces.add(new Piece("init", init, info));
      }

      @Override
      public void fragment(byte[] fragment, Boxes.FragmentInfo info) {
        pieces.add(new Piece("fragment", fragment, info));
      }
    }, MAX_BOX);
    try {
      for (int p = 0; p < stream.length; p += chunk) {
        s.write(stream, p, Math.min(chunk, stream.length - p));
      }
      s.close();
      return new Result(true, pieces);
    } catch (MalformedMediaException e) {
      return new Result(false, pieces);
    } catch (IOException e) {
      throw new AssertionError("untyped I/O failure", e);
    }
  }

  /** The pieces of a well-formed stream, by a walk that shares no code with the splitter. */
  private static List<Piece> expectedPieces(byte[] b) {
    List<Piece> out = new ArrayList<>();
    byte[] ftyp = null;
    byte[] moof = null;
    Boxes.InitInfo init = null;
    Boxes.FragmentInfo moofInfo = null;
    int pos = 0;
    try {
      while (pos < b.length) {
        if (b.length - pos < 8) {
          return null;
        }
        long size = ((b[pos] & 0xffL) << 24) | ((b[pos + 1] & 0xffL) << 16)
            | ((b[pos + 2] & 0xffL) << 8) | (b[pos + 3] & 0xffL);
        String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (size == 1) {
          if (b.length - pos < 16) {
            return null;
          }
          size = 0;
          for (int i = 8; i < 16; i++) {
            size = (size << 8) | (b[pos + i] & 0xffL);
          }
        }
        if (size < 8 || size > MAX_BOX || size > b.length - pos) {
          return null;
        }
        byte[] box = Arrays.copyOfRange(b, pos, pos + (int) size);
        pos += (int) size;
        switch (type) {
          case "ftyp" -> ftyp = box;
          case "moov" -> {
            if (ftyp == null) {
              return null;
            }
            init = Boxes.parseMoov(box, Boxes.boxAt(box, 0, box.length));
            out.add(new Piece("init", concat(ftyp, box), init));
          }
          case "moof" -> {
            if (init == null || moof != null) {
              return null;
            }
            moofInfo = Boxes.parseMoof(box, Boxes.boxAt(box, 0, box.length), init);
            moof = box;
          }
          case "mdat" -> {
            if (moof == null) {
              return null;
            }
            out.add(new Piece("fragment", concat(moof, box), moofInfo));
            moof = null;
          }
          default -> { }
        }
      }
    } catch (MalformedDataException e) {
      return null;
    }
    return moof == null ? out : null;
  }

  private static byte[] concat(byte[] a, byte[] c) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(a, 0, a.length);
    o.write(c, 0, c.length);
    return o.toByteArray();
  }
}
