package io.bingsan.adapters.postgres;

import static java.util.stream.Collectors.joining;

import java.util.Arrays;
import java.util.Locale;
import org.apache.iceberg.catalog.Namespace;

/**
 * The keys names are stored, compared and sorted by: lower-cased, so that names keep their case
 * but compare case-insensitively. A namespace's key joins its levels with U+001F, which sorts below
 * every character a name may contain: the keys below namespace {@code k} are exactly those in
 * {@code [k + U+001F, k + U+0020)}.
 */
final class NameKeys {
  private static final char SEPARATOR = '\u001F';

  private NameKeys() {}

  static String of(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  static String of(Namespace namespace) {
    return Arrays.stream(namespace.levels())
        .map(NameKeys::of)
        .collect(joining(String.valueOf(SEPARATOR)));
  }

  /** The start of the key range below a namespace; empty for the top level. */
  static String descendantsFrom(Namespace namespace) {
    return namespace.isEmpty() ? "" : of(namespace) + SEPARATOR;
  }

  /** The smallest key after {@code key} and everything below it. */
  static String after(String key) {
    return key + (char) (SEPARATOR + 1);
  }

  /** Rejects what would break the key order: no level, or a level with a control character. */
  static Namespace requireStorable(Namespace namespace) {
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("A namespace needs at least one level");
    }
    for (String level : namespace.levels()) {
      if (level.chars().anyMatch(c -> c <= SEPARATOR)) {
        throw new IllegalArgumentException(
            "Namespace level contains a control character: " + namespace);
      }
    }
    return namespace;
  }
}
