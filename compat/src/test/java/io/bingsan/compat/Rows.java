package io.bingsan.compat;

import java.util.Arrays;
import java.util.List;

/** Expected rows: {@code assertThat(engine.rows(query)).containsExactly(row(1, "a"), ...)}. */
final class Rows {
  private Rows() {}

  /** A row of plain Java values as the engines' helpers return them; nulls allowed. */
  static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
