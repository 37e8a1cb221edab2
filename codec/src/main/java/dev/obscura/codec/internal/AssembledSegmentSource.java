package dev.obscura.codec.internal;

import dev.obscura.codec.StoppableSegmentSource;
import dev.obscura.core.MediaSegment;
import java.io.IOException;

/** A {@link StoppableSegmentSource} over a {@link Pipeline} feeding a {@link SegmentAssembler}. Internal: not API. */
public final class AssembledSegmentSource implements StoppableSegmentSource {
  private final Pipeline pipeline;
  private final SegmentAssembler assembler;

  public AssembledSegmentSource(Pipeline pipeline, SegmentAssembler assembler) {
    this.pipeline = pipeline;
    this.assembler = assembler;
  }

  @Override
  public MediaSegment next() throws IOException {
    MediaSegment s;
    while ((s = assembler.poll()) == null) {
      if (!pipeline.advance()) {
        assembler.finish();
        return assembler.poll();
      }
    }
    return s;
  }

  @Override
  public void requestStop() {
    pipeline.requestStop();
  }

  @Override
  public void close() throws IOException {
    pipeline.close();
  }
}
