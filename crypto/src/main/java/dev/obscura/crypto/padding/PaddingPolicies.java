package dev.obscura.crypto.padding;

import java.time.Duration;
import java.util.Locale;

/**
 * The four padding policies of docs/padding.md, and their names on the command line.
 *
 * <ul>
 *   <li>{@link #none()}: every unit as it is, when it is ready.
 *   <li>{@link #buckets(double, int)}: every unit rounded up to a bucket, {@code ceil(base^k)},
 *       sent when it is ready.
 *   <li>{@link #cbr(long)}: a constant bitrate; every second carries exactly the same bytes, in
 *       ten slices, video first and padding after; what does not fit waits for later slices.
 *   <li>{@link #interval(Duration, int)}: one upload of a fixed size at every multiple of a
 *       period, video first and padding after; what does not fit waits for later uploads.
 * </ul>
 *
 * <p>Every policy is immutable and thread-safe; its shapers are not (one per stream, one thread).
 */
public final class PaddingPolicies {

  /** The base of {@code buckets} when the name comes bare. */
  public static final double DEFAULT_BUCKET_BASE = 1.25;

  /** The smallest bucket of {@code buckets} when none is given, in bytes. */
  public static final int DEFAULT_MIN_BUCKET = 256;

  /** The rate of {@code cbr} when the name comes bare: 125,000 bytes a second (1 Mbit/s). */
  public static final long DEFAULT_CBR_BYTES_PER_SECOND = 125_000L;

  /** The period of {@code interval} when the name comes bare: 2 seconds. */
  public static final Duration DEFAULT_INTERVAL_PERIOD = Duration.ofSeconds(2);

  /** The upload size of {@code interval} when the name comes bare: 262,144 bytes (1 Mbit/s). */
  public static final int DEFAULT_INTERVAL_BYTES = 262_144;

  private PaddingPolicies() {}

  /**
   * No padding: each unit is sent as it is when it is ready (today's behaviour).
   *
   * @return the policy {@code none}
   */
  public static PaddingPolicy none() {
    return NoPadding.INSTANCE;
  }

  /**
   * Size buckets with {@link #DEFAULT_MIN_BUCKET} as the smallest bucket.
   *
   * @param base the ratio between buckets, for example 1.25; finite, at least 1.001 and at most
   *     1024
   * @return the policy {@code buckets}
   * @throws IllegalArgumentException if {@code base} is out of range
   */
  public static PaddingPolicy buckets(double base) {
    return buckets(base, DEFAULT_MIN_BUCKET);
  }

  /**
   * Size buckets: each unit is sent when it is ready, padded up to the smallest bucket that holds
   * it. The buckets are the distinct values {@code ceil(base^k)} (k = 0, 1, 2, ..., computed with
   * {@link StrictMath#pow} so every platform agrees) that are at least {@code minimum} and below
   * {@link Integer#MAX_VALUE}, and {@link Integer#MAX_VALUE} itself as the last bucket.
   *
   * @param base the ratio between buckets, for example 1.25; finite, at least 1.001 and at most
   *     1024
   * @param minimum the smallest unit size sent, at least 1
   * @return the policy {@code buckets}
   * @throws IllegalArgumentException if {@code base} or {@code minimum} is out of range
   */
  public static PaddingPolicy buckets(double base, int minimum) {
    return new BucketPadding(base, minimum);
  }

  /**
   * Constant bitrate: every second of the shaper's clock (each {@code [n, n+1)} seconds, n a
   * whole number) carries exactly {@code bytesPerSecond} bytes, in ten sends at its tenths (the
   * tenth starting at {@code n + i/10} s carries {@code floor(B(i+1)/10) - floor(Bi/10)} bytes;
   * an empty slice is not sent). A slice carries the queued video bytes first, oldest first, and
   * padding for the rest; a unit is queued when it is ready and goes out from the first slice at
   * or after that time, spread over as many slices as it needs, which adds latency (the sends'
   * times show it). Slices start at the first one at or after the shaper's first call. The rate
   * must exceed the video's, or the queue and the latency grow without end.
   *
   * @param bytesPerSecond the bytes of every second, at least 1 and at most {@code 10 *
   *     Integer.MAX_VALUE}
   * @return the policy {@code cbr}
   * @throws IllegalArgumentException if {@code bytesPerSecond} is out of range
   */
  public static PaddingPolicy cbr(long bytesPerSecond) {
    return new ScheduledPadding.Cbr(bytesPerSecond);
  }

  /**
   * Fixed-interval uploads: at every multiple of {@code period} on the shaper's clock, starting
   * at the first one at or after its first call, exactly one send of exactly {@code bytes} bytes:
   * the queued video bytes first, oldest first, and padding for the rest (all padding when
   * nothing is queued). A unit is queued when it is ready and goes out from the first upload at
   * or after that time, spread over as many uploads as it needs. The rate {@code bytes/period}
   * must exceed the video's, or the queue and the latency grow without end.
   *
   * @param period the time between uploads, at least 1 millisecond and a whole number of
   *     microseconds
   * @param bytes the size of every upload, at least 1
   * @return the policy {@code interval}
   * @throws IllegalArgumentException if {@code period} or {@code bytes} is out of range
   * @throws NullPointerException if {@code period} is null
   */
  public static PaddingPolicy interval(Duration period, int bytes) {
    return new ScheduledPadding.Interval(period, bytes);
  }

  /**
   * The sealed size a camera gives one unit under {@code policy}, when padding costs a fixed
   * trailer: {@code unpadded} itself if the policy leaves that size as it is (no padding, no
   * trailer: {@code none} stays byte-identical), else the policy's size for the unit with its
   * trailer, {@code policy.paddedSize(minPadded)}, which is at least {@code minPadded}.
   *
   * @param policy the padding policy
   * @param unpadded the unit's sealed size without padding
   * @param minPadded its sealed size with an empty padding (the trailer only), at least {@code
   *     unpadded}
   * @return {@code unpadded} (seal without padding), or the padded sealed size, at least {@code
   *     minPadded}
   * @throws IllegalArgumentException if the sizes are negative or out of order, or the policy
   *     returns a size smaller than it was given
   */
  public static int sealedSize(PaddingPolicy policy, int unpadded, int minPadded) {
    if (unpadded < 0 || minPadded < unpadded) {
      throw new IllegalArgumentException(
          "sizes out of order: unpadded " + unpadded + ", smallest padded " + minPadded);
    }
    int size = policy.paddedSize(unpadded);
    if (size == unpadded) {
      return unpadded;
    }
    if (size < minPadded) {
      size = policy.paddedSize(minPadded);
    }
    if (size < minPadded) {
      throw new IllegalArgumentException(
          policy.describe() + " padded " + minPadded + " bytes to fewer, " + size);
    }
    return size;
  }

  /**
   * Reads a policy from its command-line form: {@code none}; {@code buckets}, {@code
   * buckets:BASE} or {@code buckets:BASE:MIN}; {@code cbr} or {@code cbr:BYTES_PER_SECOND};
   * {@code interval} or {@code interval:PERIOD:BYTES}, where PERIOD is a number with {@code us},
   * {@code ms}, {@code s}, {@code m} or {@code h} (for example {@code interval:10s:65536}). Bare
   * names take the {@code DEFAULT_} values of this class. Names are case-insensitive.
   *
   * @param spec the policy's form
   * @return the policy
   * @throws IllegalArgumentException if {@code spec} names no policy or has a bad parameter; the
   *     message says which and why
   * @throws NullPointerException if {@code spec} is null
   */
  public static PaddingPolicy parse(String spec) {
    if (spec == null) {
      throw new NullPointerException("spec");
    }
    String[] parts = spec.trim().split(":", -1);
    String name = parts[0].toLowerCase(Locale.ROOT);
    switch (name) {
      case "none":
        arity(spec, parts, 1, 1);
        return none();
      case "buckets":
        arity(spec, parts, 1, 3);
        double base =
            parts.length > 1 ? parseDouble(spec, "base", parts[1]) : DEFAULT_BUCKET_BASE;
        int min =
            parts.length > 2
                ? (int) parseLong(spec, "minimum bucket", parts[2], Integer.MAX_VALUE)
                : DEFAULT_MIN_BUCKET;
        return wrap(spec, () -> buckets(base, min));
      case "cbr":
        arity(spec, parts, 1, 2);
        long rate =
            parts.length > 1
                ? parseLong(spec, "bytes per second", parts[1], Long.MAX_VALUE)
                : DEFAULT_CBR_BYTES_PER_SECOND;
        return wrap(spec, () -> cbr(rate));
      case "interval":
        if (parts.length != 1 && parts.length != 3) {
          throw new IllegalArgumentException(
              "padding policy '" + spec + "': interval takes a period and a size"
                  + " (interval:10s:65536), or nothing for the defaults");
        }
        Duration period =
            parts.length > 1 ? parseDuration(spec, parts[1]) : DEFAULT_INTERVAL_PERIOD;
        int bytes =
            parts.length > 1
                ? (int) parseLong(spec, "upload size", parts[2], Integer.MAX_VALUE)
                : DEFAULT_INTERVAL_BYTES;
        return wrap(spec, () -> interval(period, bytes));
      default:
        throw new IllegalArgumentException(
            "unknown padding policy '" + spec + "': expected none, buckets[:BASE[:MIN]],"
                + " cbr[:BYTES_PER_SECOND] or interval[:PERIOD:BYTES]");
    }
  }

  private interface Maker {
    PaddingPolicy make();
  }

  private static PaddingPolicy wrap(String spec, Maker maker) {
    try {
      return maker.make();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("padding policy '" + spec + "': " + e.getMessage(), e);
    }
  }

  private static void arity(String spec, String[] parts, int min, int max) {
    if (parts.length < min || parts.length > max) {
      throw new IllegalArgumentException(
          "padding policy '" + spec + "': " + parts[0] + " takes at most " + (max - 1)
              + " parameter(s), got " + (parts.length - 1));
    }
  }

  private static double parseDouble(String spec, String what, String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "padding policy '" + spec + "': the " + what + " '" + text + "' is not a number", e);
    }
  }

  private static long parseLong(String spec, String what, String text, long max) {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "padding policy '" + spec + "': the " + what + " '" + text
              + "' is not a whole number (or is too large)", e);
    }
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(
          "padding policy '" + spec + "': the " + what + " must be between 1 and " + max
              + ", not " + value);
    }
    return value;
  }

  private static Duration parseDuration(String spec, String text) {
    String t = text.toLowerCase(Locale.ROOT);
    String unit;
    if (t.endsWith("us")) {
      unit = "us";
    } else if (t.endsWith("ms")) {
      unit = "ms";
    } else if (t.endsWith("s")) {
      unit = "s";
    } else if (t.endsWith("m")) {
      unit = "m";
    } else if (t.endsWith("h")) {
      unit = "h";
    } else {
      throw new IllegalArgumentException(
          "padding policy '" + spec + "': the period '" + text
              + "' needs a unit: us, ms, s, m or h (for example 10s)");
    }
    long n = parseLong(spec, "period", t.substring(0, t.length() - unit.length()), Long.MAX_VALUE);
    try {
      switch (unit) {
        case "us":
          return Duration.ofNanos(Math.multiplyExact(n, 1000L));
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        default:
          return Duration.ofHours(n);
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "padding policy '" + spec + "': the period '" + text + "' is too long", e);
    }
  }
}
