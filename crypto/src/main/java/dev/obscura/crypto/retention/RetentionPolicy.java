package dev.obscura.crypto.retention;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How much footage of each stream to keep: footage younger than a {@link #keepFor duration},
 * and/or at most a {@link #keepBytes byte budget}. A {@link Pruner} deletes whole epochs, oldest
 * first, while the oldest epoch is entirely older than the duration or the stream is over the
 * budget; it never deletes the newest epoch (the one being recorded), so a stream can stay over
 * its budget by up to one epoch.
 *
 * <p>Immutable. With both limits, an epoch goes when either says so.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * RetentionPolicy thirtyDays = RetentionPolicy.keepFor(Duration.ofDays(30));
 * RetentionPolicy both = thirtyDays.andAtMostBytes(10L << 30);
 * }</pre>
 */
public final class RetentionPolicy {
  private final Duration maxAge;
  private final long maxBytes;

  private RetentionPolicy(Duration maxAge, long maxBytes) {
    this.maxAge = maxAge;
    this.maxBytes = maxBytes;
  }

  /**
   * Keep footage whose segments ended less than {@code age} ago (by the camera's signed segment
   * times and the pruner's clock).
   *
   * @param age how long to keep footage, positive
   * @return the policy
   * @throws IllegalArgumentException if {@code age} is not positive
   */
  public static RetentionPolicy keepFor(Duration age) {
    Objects.requireNonNull(age, "age");
    if (age.isNegative() || age.isZero()) {
      throw new IllegalArgumentException("a retention duration must be positive");
    }
    return new RetentionPolicy(age, Long.MAX_VALUE);
  }

  /**
   * Keep at most {@code bytes} of each stream (segments and envelopes, as the store lists them).
   *
   * @param bytes the budget per stream, positive
   * @return the policy
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public static RetentionPolicy keepBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("a retention byte budget must be positive");
    }
    return new RetentionPolicy(null, bytes);
  }

  /**
   * This policy with a byte budget as well.
   *
   * @param bytes the budget per stream, positive
   * @return the combined policy
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public RetentionPolicy andAtMostBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("a retention byte budget must be positive");
    }
    return new RetentionPolicy(maxAge, bytes);
  }

  /** @return how long footage is kept, if the policy has a duration */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /** @return the byte budget per stream, if the policy has one */
  public Optional<Long> maxBytes() {
    return maxBytes == Long.MAX_VALUE ? Optional.empty() : Optional.of(maxBytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetentionPolicy p && Objects.equals(p.maxAge, maxAge) && p.maxBytes == maxBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAge, maxBytes);
  }

  @Override
  public String toString() {
    return "RetentionPolicy[" + (maxAge == null ? "" : "keep " + maxAge)
        + (maxAge != null && maxBytes != Long.MAX_VALUE ? ", " : "")
        + (maxBytes == Long.MAX_VALUE ? "" : "at most " + maxBytes + " bytes") + "]";
  }
}
