package dev.obscura.examples.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses durations such as {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h} or {@code PT10S}. */
final class Durations implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(v);
    Duration d;
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      double millis = switch (m.group(2)) {
        case "ms" -> n;
        case "s" -> n * 1_000;
        case "m" -> n * 60_000;
        default -> n * 3_600_000;
      };
      d = Duration.ofMillis(Math.round(millis));
    } else {
      try {
        d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
      } catch (java.time.format.DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (examples: 10s, 500ms, 2m, PT10S)");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new CommandLine.TypeConversionException("duration must be positive: " + value);
    }
    return d;
  }

  static String format(Duration d) {
    return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
  }
}
