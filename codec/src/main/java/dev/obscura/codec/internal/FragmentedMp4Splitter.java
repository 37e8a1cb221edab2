package dev.obscura.codec.internal;

import dev.obscura.codec.MalformedMediaException;
import dev.obscura.core.MalformedDataException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * An {@link OutputStream} that a muxer writes fragmented MP4 into; it cuts the byte stream into
 * top-level boxes and hands the init ({@code ftyp}+{@code moov}) and each fragment ({@code
 * moof}+{@code mdat}) to a {@link Listener}. Other top-level boxes ({@code styp}, {@code sidx},
 * {@code mfra}, {@code free}) are dropped.
 *
 * <p>Bounded: a box larger than {@code maxBoxBytes} is rejected from its header, before its
 * bytes are buffered. Errors surface as {@link MalformedMediaException} from {@code write}.
 */
public final class FragmentedMp4Splitter extends OutputStream {
  /** Receives complete pieces, in stream order. */
  public interface Listener {
    void init(byte[] init, Boxes.InitInfo info) throws IOException;

    void fragment(byte[] fragment, Boxes.FragmentInfo info) throws IOException;
  }

  private final Listener listener;
  private final long maxBoxBytes;
  private byte[] buf = new byte[64 * 1024];
  private int len;
  private byte[] ftyp;
  private byte[] pendingMoof;
  private Boxes.InitInfo init;
  private Boxes.FragmentInfo pendingInfo;
  private long position;
  private boolean failed;
  private IOException failure;

  public FragmentedMp4Splitter(Listener listener, long maxBoxBytes) {
    this.listener = listener;
    this.maxBoxBytes = maxBoxBytes;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int n) throws IOException {
    if (failed) {
      throw new MalformedMediaException("splitter failed earlier", null);
    }
    try {
      int pos = off;
      int end = off + n;
      while (pos < end) {
        int need = neededBytes();
        int take = Math.min(end - pos, need - len);
        ensure(len + take);
        System.arraycopy(b, pos, buf, len, take);
        len += take;
        pos += take;
        if (len == need && neededBytes() == len) {
          onBox(Arrays.copyOf(buf, len));
          position += len;
          len = 0;
          if (buf.length > 1 << 20) {
            buf = new byte[64 * 1024];
          }
        }
      }
    } catch (MalformedDataException e) {
      failed = true;
      failure = new MalformedMediaException("muxer output does not parse: " + e.getMessage(), e);
      throw failure;
    } catch (IOException e) {
      failed = true;
      failure = e;
      throw e;
    } catch (RuntimeException e) {
      failed = true;
      failure = new IOException("fragment handling failed", e);
      throw e;
    }
  }

  /** How many bytes the current box needs in total (header first, then the whole box). */
  private int neededBytes() throws MalformedDataException {
    if (len < 8) {
      return 8;
    }
    long size = Boxes.u32(buf, 0);
    if (size == 1) {
      if (len < 16) {
        return 16;
      }
      size = Boxes.u64(buf, 8);
      if (size < 16) {
        throw new MalformedDataException("box size " + size + " below header at " + position);
      }
    } else if (size == 0) {
      throw new MalformedDataException("open-ended box at " + position + " in a stream");
    } else if (size < 8) {
      throw new MalformedDataException("box size " + size + " below header at " + position);
    }
    if (size > maxBoxBytes) {
      throw new MalformedDataException("box '" + Boxes.name((int) Boxes.u32(buf, 4)) + "' of "
          + size + " bytes exceeds the limit of " + maxBoxBytes);
    }
    return (int) size;
  }

  private void ensure(int capacity) {
    if (capacity > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(capacity, (int) Math.min(Integer.MAX_VALUE - 8, buf.length * 2L)));
    }
  }

  private void onBox(byte[] box) throws IOException, MalformedDataException {
    int type = (int) Boxes.u32(box, 4);
    if (type == Boxes.FTYP) {
      ftyp = box;
    } else if (type == Boxes.MOOV) {
      if (ftyp == null) {
        throw new MalformedDataException("moov before ftyp");
      }
      init = Boxes.parseMoov(box, Boxes.boxAt(box, 0, box.length));
      byte[] all = Arrays.copyOf(ftyp, ftyp.length + box.length);
      System.arraycopy(box, 0, all, ftyp.length, box.length);
      listener.init(all, init);
    } else if (type == Boxes.MOOF) {
      if (init == null) {
        throw new MalformedDataException("moof before moov");
      }
      if (pendingMoof != null) {
        throw new MalformedDataException("moof without mdat");
      }
      pendingInfo = Boxes.parseMoof(box, Boxes.boxAt(box, 0, box.length), init);
      pendingMoof = box;
    } else if (type == Boxes.MDAT) {
      if (pendingMoof == null) {
        throw new MalformedDataException("mdat without moof");
      }
      byte[] all = Arrays.copyOf(pendingMoof, pendingMoof.length + box.length);
      System.arraycopy(box, 0, all, pendingMoof.length, box.length);
      pendingMoof = null;
      listener.fragment(all, pendingInfo);
    }
    // anything else (styp, sidx, mfra, free, prft, ...) is dropped
  }

  /** The first error raised from {@code write}, which native callers may have swallowed; or null. */
  public IOException failure() {
    return failure;
  }

  /**
   * What to throw when the muxer failed with {@code e}: the splitter's own first error (which the
   * native muxer may have turned into a vaguer one), with {@code e} suppressed, else {@code e}.
   *
   * @param e what the muxer threw
   * @param what what was being done, for an {@code e} that is not an {@link IOException}
   * @return the exception to throw
   */
  public IOException failureOr(Exception e, String what) {
    IOException f = failure;
    if (f != null) {
      f.addSuppressed(e);
      return f;
    }
    return e instanceof IOException io ? io : new IOException(what, e);
  }

  /** Checks that the stream ended on a box boundary. */
  @Override
  public void close() throws IOException {
    if (!failed && (len != 0 || pendingMoof != null)) {
      failed = true;
      throw new MalformedMediaException("muxer output ended inside a box", null);
    }
  }
}
