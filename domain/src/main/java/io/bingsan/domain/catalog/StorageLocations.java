package io.bingsan.domain.catalog;

import java.util.Locale;
import org.apache.iceberg.exceptions.BadRequestException;

/** Normalises storage locations so that prefixes can be compared textually. */
public final class StorageLocations {
  private StorageLocations() {}

  /**
   * Returns the location without trailing slashes, with local paths in the {@code file:/path} form
   * that Iceberg writes, so {@code /a}, {@code file:/a} and {@code file:///a} compare equal.
   */
  public static String normalize(String location) {
    if (location == null || location.isBlank()) {
      throw new BadRequestException("Location must not be empty");
    }
    String trimmed = location.strip();
    if (trimmed.startsWith("/")) {
      trimmed = "file:" + trimmed;
    } else if (trimmed.startsWith("file://")) {
      trimmed = "file:" + trimmed.substring("file://".length());
    }
    int schemeEnd = trimmed.indexOf(':');
    if (schemeEnd <= 0) {
      throw new BadRequestException("Location must be absolute (a path or a URI): %s", location);
    }
    String scheme = trimmed.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    String rest = trimmed.substring(schemeEnd + 1);
    if ("file".equals(scheme)) {
      rest = "/" + rest.replaceFirst("^/+", "");
    }
    String normalized = scheme + ":" + rest;
    while (normalized.endsWith("/") && !normalized.endsWith(":/") && !normalized.endsWith("://")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    for (String segment : rest.split("/")) {
      if ("..".equals(segment) || ".".equals(segment)) {
        throw new BadRequestException("Location must not contain relative segments: %s", location);
      }
    }
    return normalized;
  }

  /** True when {@code location} equals {@code root} or lies below it. */
  public static boolean isUnder(String location, String root) {
    String normalizedLocation = normalize(location);
    String normalizedRoot = normalize(root);
    return normalizedLocation.equals(normalizedRoot)
        || normalizedLocation.startsWith(
            normalizedRoot.endsWith("/") ? normalizedRoot : normalizedRoot + "/");
  }
}
