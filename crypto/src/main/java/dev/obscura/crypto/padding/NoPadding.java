package dev.obscura.crypto.padding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code none}: every unit as it is, when it is ready. */
final class NoPadding implements PaddingPolicy {
  static final NoPadding INSTANCE = new NoPadding();

  private NoPadding() {}

  @Override
  public String name() {
    return "none";
  }

  @Override
  public String describe() {
    return "none";
  }

  @Override
  public Shaper newShaper() {
    return new SizeShaper(this);
  }

  @Override
  public String toString() {
    return describe();
  }

  /** The shaper of the size-only policies: one send per unit, at once, of its padded size. */
  static final class SizeShaper implements Shaper {
    private final PaddingPolicy policy;
    private final MonotonicClock clock = new MonotonicClock();

    SizeShaper(PaddingPolicy policy) {
      this.policy = policy;
    }

    @Override
    public List<Send> offer(long micros, int bytes, boolean keyframe) {
      MonotonicClock.checkBytes(bytes);
      clock.at(micros);
      int size = policy.paddedSize(bytes);
      List<Send> sends = new ArrayList<>(1);
      sends.add(new Send(micros, size, size - bytes));
      return sends;
    }

    @Override
    public List<Send> advance(long micros) {
      clock.at(micros);
      return Collections.emptyList();
    }
  }
}
