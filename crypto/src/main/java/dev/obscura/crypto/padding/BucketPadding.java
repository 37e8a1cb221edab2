package dev.obscura.crypto.padding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code buckets}: every unit padded up to the next {@code ceil(base^k)} at or above a minimum. */
final class BucketPadding implements PaddingPolicy {
  private final double base;
  private final int minimum;
  private final int[] buckets;

  BucketPadding(double base, int minimum) {
    if (!(base >= 1.001 && base <= 1024)) {
      throw new IllegalArgumentException(
          "the bucket base must be a number from 1.001 to 1024, not " + base);
    }
    if (minimum < 1) {
      throw new IllegalArgumentException("the smallest bucket must be at least 1 byte, not " + minimum);
    }
    this.base = base;
    this.minimum = minimum;
    this.buckets = table(base, minimum);
  }

  /** The buckets in increasing order; the last is Integer.MAX_VALUE. */
  static int[] table(double base, int minimum) {
    List<Integer> sizes = new ArrayList<>();
    for (int k = 0; ; k++) {
      double ceil = Math.ceil(StrictMath.pow(base, k));
      if (!(ceil < Integer.MAX_VALUE)) {
        break;
      }
      int size = (int) ceil;
      if (size >= minimum && (sizes.isEmpty() || sizes.get(sizes.size() - 1) != size)) {
        sizes.add(size);
      }
    }
    int[] out = new int[sizes.size() + 1];
    for (int i = 0; i < sizes.size(); i++) {
      out[i] = sizes.get(i);
    }
    out[sizes.size()] = Integer.MAX_VALUE;
    return out;
  }

  @Override
  public String name() {
    return "buckets";
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "buckets(%s, min %d)", Double.toString(base), minimum);
  }

  @Override
  public Shaper newShaper() {
    return new NoPadding.SizeShaper(this);
  }

  @Override
  public int paddedSize(int bytes) {
    MonotonicClock.checkBytes(bytes);
    int i = Arrays.binarySearch(buckets, bytes);
    return i >= 0 ? buckets[i] : buckets[-i - 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketPadding
        && Double.compare(((BucketPadding) o).base, base) == 0
        && ((BucketPadding) o).minimum == minimum;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(base) * 31 + minimum;
  }

  @Override
  public String toString() {
    return describe();
  }
}
