package dev.obscura.examples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text printed in aligned columns, each as wide as its widest cell, whatever the lengths
 * of names; the last column is not padded. Also {@link #count}, the one way the tool writes "1
 * device", "2 devices".
 */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] right;
  private final String indent;

  /**
   * @param indent printed before every row
   * @param rightAligned for each column, whether it is right-aligned (numbers)
   */
  Table(String indent, boolean... rightAligned) {
    this.indent = indent;
    this.right = rightAligned.clone();
  }

  /** Adds a row; missing trailing cells are empty. */
  Table row(Object... cells) {
    String[] r = new String[right.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "";
    }
    if (cells.length > r.length) { // everything after the last column joins it
      StringBuilder last = new StringBuilder(r[r.length - 1]);
      for (int i = r.length; i < cells.length; i++) {
        last.append(' ').append(cells[i]);
      }
      r[r.length - 1] = last.toString();
    }
    rows.add(r);
    return this;
  }

  /** Prints the rows, two spaces between columns. */
  void print(PrintWriter out) {
    int[] w = new int[right.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder(indent);
      for (int i = 0; i < r.length; i++) {
        boolean last = i == r.length - 1;
        String pad = " ".repeat(w[i] - r[i].length());
        if (right[i]) {
          sb.append(pad).append(r[i]);
        } else {
          sb.append(r[i]);
          if (!last) {
            sb.append(pad);
          }
        }
        if (!last) {
          sb.append("  ");
        }
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  /** {@code "1 device"}, {@code "2 devices"}: {@code n} and the noun, plural unless n is 1. */
  static String count(long n, String noun) {
    return n + " " + (n == 1 ? noun : plural(noun));
  }

  private static String plural(String noun) {
    if (noun.endsWith("y") && !noun.endsWith("ey")) {
      return noun.substring(0, noun.length() - 1) + "ies"; // entry -> entries
    }
    if (noun.endsWith("s") || noun.endsWith("sh") || noun.endsWith("ch")) {
      return noun + "es";
    }
    return noun + "s";
  }
}
