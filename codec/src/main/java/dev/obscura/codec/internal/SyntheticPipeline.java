package dev.obscura.codec.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;

import dev.obscura.codec.SyntheticCamera;
import dev.obscura.codec.VideoSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/** Encodes {@link SyntheticCamera} frames, as fast as possible or paced in real time. Internal: not API. */
public final class SyntheticPipeline extends Pipeline {
  private final SyntheticCamera camera;
  private final long totalFrames;
  private final boolean realTime;
  private long startNanos;
  private long n;

  public SyntheticPipeline(FragmentedMp4Splitter.Listener listener, String movflags, VideoSettings s, Duration record,
      int gopFrames, boolean realTime) throws IOException {
    super(listener);
    this.camera = new SyntheticCamera(s);
    this.totalFrames = record == null ? Long.MAX_VALUE : record.toNanos() * s.fps() / 1_000_000_000L;
    this.realTime = realTime;
    this.recorder = Encoders.fragmentedH264(splitter, s, gopFrames, movflags);
    recorder.setMetadata("comment", SyntheticCamera.MARKER);
    recorder.start();
  }

  @Override
  protected boolean step() throws IOException {
    if (n >= totalFrames) {
      return false;
    }
    if (realTime) {
      if (n == 0) {
        startNanos = System.nanoTime();
      }
      long wait = startNanos + camera.timestampMicros(n) * 1000 - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while pacing");
        }
      }
    }
    recorder.record(camera.frame(n), AV_PIX_FMT_BGR24);
    n++;
    return true;
  }

  @Override
  protected void closeInput() {}
}
