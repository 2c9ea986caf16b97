package io.bingsan.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The little JSON the generator needs: objects become {@link LinkedHashMap}s (order kept), arrays
 * {@link List}s, integral numbers {@link Long} (snapshot ids need all 64 bits), others {@link
 * Double}. Written by hand so the generator has no dependency a peer could be said to lack.
 */
final class Json {
  private final String text;

  /** Slash-joined key paths whose values are built whole. */
  private final Set<String> wanted;

  /** The objects on the way to a wanted path, built with only those keys. */
  private final Set<String> leading;

  private int at;

  private Json(String text, Set<String> wanted, Set<String> leading) {
    this.text = text;
    this.wanted = wanted;
    this.leading = leading;
  }

  static Object parse(String text) {
    return parse(text, null, Set.of(), Set.of());
  }

  /**
   * Builds only the values at {@code paths} (object keys joined by slashes, such as {@code
   * metadata/location}) and the objects leading to them; the rest is stepped over unbuilt, which
   * keeps a writer's reload of a long table history cheap for the machine the server shares.
   */
  static Object parseOnly(String text, String... paths) {
    Set<String> leading = new HashSet<>();
    for (String path : paths) {
      for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
        leading.add(path.substring(0, slash));
      }
    }
    return parse(text, "", Set.of(paths), leading);
  }

  /** {@code path} null builds the whole document. */
  private static Object parse(String text, String path, Set<String> wanted, Set<String> leading) {
    Json parser = new Json(text, wanted, leading);
    Object value = parser.value(path);
    parser.skipWhitespace();
    if (parser.at != text.length()) {
      throw parser.error("trailing characters");
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new IllegalArgumentException("Expected a JSON object: " + value);
  }

  @SuppressWarnings("unchecked")
  static List<Object> array(Object value) {
    if (value instanceof List<?> list) {
      return (List<Object>) list;
    }
    throw new IllegalArgumentException("Expected a JSON array: " + value);
  }

  /** The value at a path of object keys, or null where any step is missing. */
  static Object at(Object root, String... keys) {
    Object current = root;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, false, 0);
    return out.toString();
  }

  /** Indented, for result files people read. */
  static String pretty(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, true, 0);
    return out.append('\n').toString();
  }

  private static void write(Object value, StringBuilder out, boolean pretty, int depth) {
    switch (value) {
      case null -> out.append("null");
      case String s -> quote(s, out);
      case Boolean b -> out.append(b);
      case Double d when d.isNaN() || d.isInfinite() -> out.append("null");
      case Number n -> out.append(n);
      case Map<?, ?> map -> {
        out.append('{');
        int i = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          separate(out, i++, pretty, depth + 1);
          quote(String.valueOf(entry.getKey()), out);
          out.append(pretty ? ": " : ":");
          write(entry.getValue(), out, pretty, depth + 1);
        }
        close(out, '}', i, pretty, depth);
      }
      case List<?> list -> {
        out.append('[');
        int i = 0;
        for (Object item : list) {
          separate(out, i++, pretty, depth + 1);
          write(item, out, pretty, depth + 1);
        }
        close(out, ']', i, pretty, depth);
      }
      default -> throw new IllegalArgumentException("Not JSON: " + value.getClass());
    }
  }

  private static void separate(StringBuilder out, int index, boolean pretty, int depth) {
    if (index > 0) {
      out.append(',');
    }
    if (pretty) {
      out.append('\n').append("  ".repeat(depth));
    }
  }

  private static void close(StringBuilder out, char bracket, int items, boolean pretty, int depth) {
    if (pretty && items > 0) {
      out.append('\n').append("  ".repeat(depth));
    }
    out.append(bracket);
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** The value next in the text, found at {@code path}; null builds everything below it. */
  private Object value(String path) {
    skipWhitespace();
    if (at >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> parseObject(path);
      case '[' -> parseArray();
      case '"' -> parseString();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> parseNumber();
    };
  }

  private Map<String, Object> parseObject(String path) {
    Map<String, Object> map = new LinkedHashMap<>();
    at++;
    skipWhitespace();
    if (accept('}')) {
      return map;
    }
    do {
      skipWhitespace();
      String key = parseString();
      skipWhitespace();
      expect(':');
      String keyPath = path == null ? null : path.isEmpty() ? key : path + '/' + key;
      if (keyPath == null || wanted.contains(keyPath)) {
        map.put(key, value(null));
      } else if (leading.contains(keyPath)) {
        map.put(key, value(keyPath));
      } else {
        skipValue();
      }
      skipWhitespace();
    } while (accept(','));
    expect('}');
    return map;
  }

  private List<Object> parseArray() {
    List<Object> list = new ArrayList<>();
    at++;
    skipWhitespace();
    if (accept(']')) {
      return list;
    }
    do {
      list.add(value(null));
      skipWhitespace();
    } while (accept(','));
    expect(']');
    return list;
  }

  /** Steps over the next value without building it. */
  private void skipValue() {
    skipWhitespace();
    int depth = 0;
    while (true) {
      if (at >= text.length()) {
        if (depth == 0) {
          return;
        }
        throw error("unexpected end");
      }
      char c = text.charAt(at);
      if (c == '"') {
        skipString();
        if (depth == 0) {
          return;
        }
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          return;
        }
        if (--depth == 0) {
          at++;
          return;
        }
      } else if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
        // The end of a number or literal.
        return;
      }
      at++;
    }
  }

  private void skipString() {
    at++;
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '\\') {
        at++;
      } else if (c == '"') {
        return;
      }
    }
    throw error("unterminated string");
  }

  private String parseString() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char escaped = text.charAt(at++);
      switch (escaped) {
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          at += 4;
        }
        default -> out.append(escaped);
      }
    }
  }

  private Number parseNumber() {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String number = text.substring(start, at);
    if (number.isEmpty()) {
      throw error("unexpected character");
    }
    if (number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0) {
      try {
        return Long.parseLong(number);
      } catch (NumberFormatException tooLong) {
        // Falls through to a double, as JavaScript would read it.
      }
    }
    return Double.parseDouble(number);
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("unexpected literal");
    }
    at += word.length();
    return value;
  }

  private void skipWhitespace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  /** Steps over {@code c} when it comes next. */
  private boolean accept(char c) {
    if (at < text.length() && text.charAt(at) == c) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!accept(c)) {
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String problem) {
    int from = Math.max(0, at - 20);
    int to = Math.min(text.length(), at + 20);
    return new IllegalArgumentException(
        "Bad JSON at " + at + " (" + problem + "): …" + text.substring(from, to) + "…");
  }
}
