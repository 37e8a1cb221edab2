package dev.obscura.codec.internal;

import java.io.Closeable;
import java.io.IOException;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * Input → {@link FFmpegFrameRecorder} (fragmented MP4) → {@link FragmentedMp4Splitter} → a
 * listener. Pull driven: {@link #advance()} feeds one frame or packet; everything runs on the
 * caller's thread. Internal: not API.
 */
public abstract class Pipeline implements Closeable {
  /** Largest top-level box accepted from the muxer. */
  public static final long MAX_BOX_BYTES = 256L << 20;

  protected final FragmentedMp4Splitter splitter;
  protected FFmpegFrameRecorder recorder;
  private boolean ended;
  private volatile boolean stopRequested;
  private boolean closed;

  protected Pipeline(FragmentedMp4Splitter.Listener listener) {
    this.splitter = new FragmentedMp4Splitter(listener, MAX_BOX_BYTES);
  }

  /** Feeds one unit of input to {@link #recorder}; false at the end of the input. */
  protected abstract boolean step() throws IOException;

  /** Releases the input (grabber) side. */
  protected abstract void closeInput() throws IOException;

  /**
   * Feeds one unit of input; at the end of the input, flushes the encoder and muxer.
   *
   * @return false once the input has ended and everything has been flushed to the listener
   */
  public boolean advance() throws IOException {
    if (closed) {
      throw new IOException("closed");
    }
    if (ended) {
      return false;
    }
    boolean more;
    try {
      more = !stopRequested && step();
    } catch (IOException | RuntimeException e) {
      throw splitterFailureOr(e);
    }
    if (splitter.failure() != null) {
      throw splitter.failure();
    }
    if (!more) {
      ended = true;
      try {
        recorder.stop();
      } catch (IOException | RuntimeException e) {
        throw splitterFailureOr(e);
      }
      if (splitter.failure() != null) {
        throw splitter.failure();
      }
      splitter.close();
      return false;
    }
    return true;
  }

  /** Makes the next {@link #advance()} end the input as if it had run out; any thread. */
  public void requestStop() {
    stopRequested = true;
  }

  private IOException splitterFailureOr(Exception e) {
    return splitter.failureOr(e, "encoding failed");
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException first = null;
    try {
      if (recorder != null) {
        recorder.release();
      }
    } catch (IOException e) {
      first = e;
    }
    try {
      closeInput();
    } catch (IOException e) {
      if (first == null) {
        first = e;
      } else {
        first.addSuppressed(e);
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
