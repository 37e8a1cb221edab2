package dev.obscura.transport.s3;

import dev.obscura.transport.internal.NotOnAndroid;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How {@link S3SegmentStore} retries a request that failed transiently: bounded attempts,
 * exponential backoff with full jitter (the delay before retry {@code n} is uniform in
 * {@code [0, min(maxDelay, initialDelay * 2^(n-1))]}).
 *
 * <p><b>Security guarantees:</b> none; a retry policy only decides when to try again.
 *
 * <p><b>Restrictions:</b> only transient failures are retried (HTTP 5xx, 429 and S3's
 * {@code RequestTimeout}/{@code SlowDown}, connection refused or reset, timeouts). Everything
 * else (403, 404, a malformed request) fails at once. Every operation the store retries is
 * idempotent: a PUT of the same bytes, an upload part, a completion that is checked when its
 * first answer was lost.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * RetryPolicy p = RetryPolicy.builder()
 *     .maxAttempts(6)
 *     .initialDelay(Duration.ofMillis(100))
 *     .maxDelay(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 */
@NotOnAndroid
public final class RetryPolicy {
  private static final RetryPolicy DEFAULTS = builder().build();
  private static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialDelay;
  private final Duration maxDelay;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialDelay = b.initialDelay;
    this.maxDelay = b.maxDelay;
  }

  /** Five attempts, 200 ms initial delay, at most 10 s between attempts. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** One attempt, no retry. */
  public static RetryPolicy none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Attempts in all, including the first. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialDelay() {
    return initialDelay;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  /**
   * The delay before attempt {@code attempt + 1}, after {@code attempt} (1-based) attempts
   * failed: full jitter over the capped exponential.
   */
  public Duration delayAfter(int attempt, RandomGenerator random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1");
    }
    long base = initialDelay.toMillis();
    long cap = maxDelay.toMillis();
    long exp = attempt >= 31 ? cap : Math.min(cap, base << (attempt - 1));
    if (exp <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(random.nextLong(exp + 1));
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay
        + ", maxDelay=" + maxDelay + "]";
  }

  /** Builds a {@link RetryPolicy}; validates in {@link #build()}. */
  @NotOnAndroid
  public static final class Builder {
    private int maxAttempts = 5;
    private Duration initialDelay = Duration.ofMillis(200);
    private Duration maxDelay = Duration.ofSeconds(10);

    private Builder() {}

    /** Attempts in all, 1 to 100; 1 means no retry. Default 5. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Upper bound of the first backoff. Default 200 ms. */
    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
      return this;
    }

    /** Upper bound of any backoff. Default 10 s. */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
      return this;
    }

    public RetryPolicy build() {
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new IllegalArgumentException("maxAttempts must be 1-100, got " + maxAttempts);
      }
      if (initialDelay.isNegative() || maxDelay.isNegative()) {
        throw new IllegalArgumentException("delays must not be negative");
      }
      if (maxDelay.compareTo(initialDelay) < 0) {
        throw new IllegalArgumentException("maxDelay must be >= initialDelay");
      }
      return new RetryPolicy(this);
    }
  }
}
