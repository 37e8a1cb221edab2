package dev.obscura.examples.cli;

import dev.obscura.crypto.segment.StreamRange;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * A point in a recording: an ISO-8601 instant ({@code 2026-11-26T15:00:00Z}) or {@code +S},
 * seconds (may be fractional) from the start of the first segment in the store.
 */
record TimeSpec(Instant absolute, Double offsetSeconds) {
  static final class Converter implements CommandLine.ITypeConverter<TimeSpec> {
    @Override
    public TimeSpec convert(String value) {
      String v = value.trim();
      if (v.startsWith("+")) {
        try {
          double s = Double.parseDouble(v.substring(1));
          if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
            throw new NumberFormatException();
          }
          return new TimeSpec(null, s);
        } catch (NumberFormatException e) {
          throw new CommandLine.TypeConversionException("'" + value + "' is not +SECONDS");
        }
      }
      try {
        return new TimeSpec(Instant.parse(v), null);
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is neither an ISO-8601 instant (2026-11-26T15:00:00Z) nor +SECONDS");
      }
    }
  }

  /** {@code --from} and {@code --to} (either may be null: open) as the SDK's range. */
  static StreamRange range(TimeSpec from, TimeSpec to) {
    StreamRange r = StreamRange.all();
    if (from != null) {
      r = from.absolute != null ? r.from(from.absolute) : r.fromOffset(from.offset());
    }
    if (to != null) {
      r = to.absolute != null ? r.to(to.absolute) : r.toOffset(to.offset());
    }
    return r;
  }

  private Duration offset() {
    return Duration.ofNanos(Math.round(offsetSeconds * 1e9));
  }

  @Override
  public String toString() {
    return absolute != null ? absolute.toString() : String.format(Locale.ROOT, "+%s", offsetSeconds);
  }
}
