package io.bingsan.adapters.rest;

/**
 * The path of one table, {@code /v1/{prefix}/namespaces/{namespace}/tables/{table}}, split into
 * its parameters; namespace and table still encoded, as Jersey's {@code @Encoded} parameters are.
 * Only paths Jersey would route there with the same parameters are accepted: no segment starts
 * with a dot (dot segments), none holds a {@code ;} (matrix parameters), and the prefix holds no
 * {@code %} (Jersey decodes it). Read by hand, without a regular expression: every load and commit
 * asks.
 */
record TablePath(String prefix, String namespace, String table) {
  private static final String ROOT = "/v1/";
  private static final String NAMESPACES = "/namespaces/";
  private static final String TABLES = "/tables/";

  /** The parameters of {@code path}, or null if it is not a table's path. */
  static TablePath parse(String path) {
    if (!path.startsWith(ROOT)) {
      return null;
    }
    int prefixEnd = path.indexOf('/', ROOT.length());
    if (prefixEnd < 0
        || !isSegment(path, ROOT.length(), prefixEnd)
        || holds(path, '%', ROOT.length(), prefixEnd)
        || !path.startsWith(NAMESPACES, prefixEnd)) {
      return null;
    }
    int namespaceStart = prefixEnd + NAMESPACES.length();
    int namespaceEnd = path.indexOf('/', namespaceStart);
    if (namespaceEnd < 0
        || !isSegment(path, namespaceStart, namespaceEnd)
        || !path.startsWith(TABLES, namespaceEnd)) {
      return null;
    }
    int tableStart = namespaceEnd + TABLES.length();
    if (path.indexOf('/', tableStart) >= 0 || !isSegment(path, tableStart, path.length())) {
      return null;
    }
    return new TablePath(
        path.substring(ROOT.length(), prefixEnd),
        path.substring(namespaceStart, namespaceEnd),
        path.substring(tableStart));
  }

  /** A non-empty segment that does not start with a dot and has no matrix parameters. */
  private static boolean isSegment(String path, int start, int end) {
    return end > start && path.charAt(start) != '.' && !holds(path, ';', start, end);
  }

  private static boolean holds(String path, char character, int start, int end) {
    int found = path.indexOf(character, start);
    return found >= 0 && found < end;
  }
}
