package io.bingsan.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Rows of cells printed aligned for a terminal, or as a Markdown table for the docs. */
final class TextTable {
  private final List<List<String>> rows = new ArrayList<>();

  TextTable row(List<String> cells) {
    rows.add(cells);
    return this;
  }

  String render(boolean markdown) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      StringBuilder line = new StringBuilder(markdown ? "|" : "");
      for (int i = 0; i < columns; i++) {
        String cell = i < row.size() ? row.get(i) : "";
        // Names left, numbers right, as people read them.
        String padded = i == 0 ? pad(cell, widths[i], false) : pad(cell, widths[i], true);
        line.append(markdown ? " " + padded + " |" : (i == 0 ? "" : "  ") + padded);
      }
      out.append(line.toString().stripTrailing()).append('\n');
      if (markdown && r == 0) {
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < columns; i++) {
          rule.append(i == 0 ? "---" : "---:").append('|');
        }
        out.append(rule).append('\n');
      }
    }
    return out.toString();
  }

  private static String pad(String cell, int width, boolean right) {
    String spaces = " ".repeat(width - cell.length());
    return right ? spaces + cell : cell + spaces;
  }

  /** A number with the precision its size deserves: 12,345 / 123 / 1.23 / 0.012. */
  static String number(Object value) {
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      return "–";
    }
    double v = n.doubleValue();
    double magnitude = Math.abs(v);
    if (magnitude >= 100 || v == Math.rint(v) && magnitude >= 10) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, magnitude >= 1 ? "%.2f" : "%.3f", v);
  }
}
