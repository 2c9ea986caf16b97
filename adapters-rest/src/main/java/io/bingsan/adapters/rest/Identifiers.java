package io.bingsan.adapters.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * Namespaces and names as they appear in URLs. Iceberg's client form-encodes every namespace level
 * and object name on its own ({@code RESTUtil.encodeString}: a space becomes {@code +}) and joins
 * the levels with the separator, {@code %1F} unless the server advertises another. So path
 * parameters are taken still encoded ({@code @Encoded}), split on the separator, and only then
 * decoded level by level: a level may hold any character, dots and encoded slashes included.
 */
final class Identifiers {
  /** The separator advertised as {@code namespace-separator}; the one clients use by default. */
  static final String NAMESPACE_SEPARATOR = "%1F";

  private static final Pattern PATH_SEPARATOR =
      Pattern.compile(Pattern.quote(NAMESPACE_SEPARATOR), Pattern.CASE_INSENSITIVE);
  private static final Pattern QUERY_SEPARATOR =
      Pattern.compile(Pattern.quote(URLDecoder.decode(NAMESPACE_SEPARATOR, StandardCharsets.UTF_8)));

  private Identifiers() {}

  /** A namespace from its still-encoded path parameter. */
  static Namespace namespaceFromPath(String encoded) {
    if (!isEncoded(encoded)) {
      return Namespace.of(encoded);
    }
    String[] levels = PATH_SEPARATOR.split(encoded, -1);
    for (int i = 0; i < levels.length; i++) {
      levels[i] = decode(levels[i]);
    }
    return Namespace.of(levels);
  }

  /**
   * A namespace from a query parameter, which Jersey has already decoded; the client joins the
   * levels with the separator itself. Absent or empty means the top level.
   */
  static Namespace namespaceFromQuery(String decoded) {
    if (decoded == null || decoded.isEmpty()) {
      return Namespace.empty();
    }
    return Namespace.of(QUERY_SEPARATOR.split(decoded, -1));
  }

  /** A table or view identifier from its still-encoded path parameters. */
  static TableIdentifier identifier(String encodedNamespace, String encodedName) {
    return TableIdentifier.of(namespaceFromPath(encodedNamespace), decode(encodedName));
  }

  /** One form-encoded level or name, decoded. */
  static String decode(String encoded) {
    if (!isEncoded(encoded)) {
      return encoded;
    }
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Malformed percent-encoding in path: %s", encoded);
    }
  }

  /**
   * Whether a path parameter has anything to decode or split. Most do not, and each request names
   * its table: the decoder and the separator's pattern allocate even when nothing changes.
   */
  private static boolean isEncoded(String parameter) {
    return parameter.indexOf('%') >= 0 || parameter.indexOf('+') >= 0;
  }
}
