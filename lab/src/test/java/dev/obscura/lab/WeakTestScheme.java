package dev.obscura.lab;

import dev.obscura.core.EncodedFrame;
import dev.obscura.crypto.scheme.SchemeContext;
import dev.obscura.crypto.scheme.SealingScheme;
import java.util.ArrayList;
import java.util.List;

/** A test-only WEAK scheme: every frame in the clear, one record per frame. */
final class WeakTestScheme implements SealingScheme {
  @Override
  public String name() {
    return "test-weak";
  }

  @Override
  public String description() {
    return "test only: frames in the clear";
  }

  @Override
  public Protection protection() {
    return Protection.WEAK;
  }

  @Override
  public String warning() {
    return "test-weak leaves every frame in the clear";
  }

  @Override
  public Sealer sealer(SchemeContext context) {
    return segment -> {
      List<byte[]> out = new ArrayList<>();
      for (EncodedFrame f : segment) {
        out.add(f.data().clone());
      }
      return out;
    };
  }

  @Override
  public Opener opener(SchemeContext context) {
    return records -> {
      List<EncodedFrame> out = new ArrayList<>();
      for (byte[] r : records) {
        out.add(new EncodedFrame(0, out.isEmpty(), r.clone()));
      }
      return out;
    };
  }
}
