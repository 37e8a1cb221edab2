package dev.obscura.codec.internal;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.FrameSource;
import java.io.IOException;

/** A {@link FrameSource} over a {@link Pipeline} feeding a {@link LiveFrameExtractor}. Internal: not API. */
public final class LiveFrameSource implements FrameSource {
  private final Pipeline pipeline;
  private final LiveFrameExtractor extractor;

  public LiveFrameSource(Pipeline pipeline, LiveFrameExtractor extractor) {
    this.pipeline = pipeline;
    this.extractor = extractor;
  }

  @Override
  public EncodedFrame next() throws IOException {
    EncodedFrame f;
    while ((f = extractor.poll()) == null) {
      if (!pipeline.advance()) {
        return extractor.poll();
      }
    }
    return f;
  }

  @Override
  public void close() throws IOException {
    pipeline.close();
  }
}
