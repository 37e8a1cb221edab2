package dev.obscura.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Frame sizes as the lab's command line writes them: {@code 1KiB,16KiB,1MiB} or plain bytes. */
public final class FrameSizes {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*(b|kib|mib|kb|mb)?");
  /** The largest frame the lab measures: 16 MiB. */
  public static final int MAX_FRAME_BYTES = 16 << 20;

  private FrameSizes() {}

  /**
   * Parses a comma-separated list of sizes: plain bytes, or a number with {@code B}, {@code KiB},
   * {@code MiB} (1024-based) or {@code KB}, {@code MB} (1000-based), case-insensitive.
   *
   * @param list for example {@code 1KiB,16KiB,1MiB}
   * @return the sizes in bytes, in the list's order
   * @throws IllegalArgumentException for an empty, malformed, repeated, zero or too large size
   */
  public static List<Integer> parse(String list) {
    List<Integer> out = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      Matcher m = SIZE.matcher(part.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new IllegalArgumentException("not a size: '" + part.trim() + "' (use bytes, or KiB/MiB, e.g. 16KiB)");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "b" : m.group(2);
      long mult = switch (unit) {
        case "kib" -> 1024;
        case "mib" -> 1024 * 1024;
        case "kb" -> 1000;
        case "mb" -> 1000 * 1000;
        default -> 1;
      };
      long bytes = n * mult;
      if (bytes < 1 || bytes > MAX_FRAME_BYTES) {
        throw new IllegalArgumentException("frame size " + part.trim() + " is not 1 B to 16 MiB");
      }
      if (out.contains((int) bytes)) {
        throw new IllegalArgumentException("frame size " + part.trim() + " is listed twice");
      }
      out.add((int) bytes);
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * A size as the lab's reports write it: {@code 16KiB}, {@code 1MiB}, or bytes.
   *
   * @param bytes the size
   * @return its short form
   */
  public static String format(int bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return (bytes >> 10) + "KiB";
    }
    return bytes + "B";
  }
}
