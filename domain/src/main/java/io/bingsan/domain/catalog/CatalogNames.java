package io.bingsan.domain.catalog;

import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;

/** The rules every namespace, table and view name obeys. */
public final class CatalogNames {
  /** Longest accepted level or object name, in characters; keeps keys and paths bounded. */
  public static final int MAX_NAME_LENGTH = 255;

  /** Deepest accepted namespace. */
  public static final int MAX_NAMESPACE_DEPTH = 16;

  private CatalogNames() {}

  public static Namespace requireValid(Namespace namespace) {
    if (namespace == null || namespace.isEmpty()) {
      throw new BadRequestException("Namespace must have at least one level");
    }
    if (namespace.length() > MAX_NAMESPACE_DEPTH) {
      throw new BadRequestException(
          "Namespace has %d levels, more than the %d allowed", namespace.length(), MAX_NAMESPACE_DEPTH);
    }
    for (String level : namespace.levels()) {
      requireValidName(level, "Namespace level");
    }
    return namespace;
  }

  public static TableIdentifier requireValid(TableIdentifier identifier) {
    if (identifier == null) {
      throw new BadRequestException("Identifier is required");
    }
    requireValid(identifier.namespace());
    requireValidName(identifier.name(), "Name");
    return identifier;
  }

  private static void requireValidName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new BadRequestException("%s must not be empty", what);
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new BadRequestException("%s is longer than %d characters", what, MAX_NAME_LENGTH);
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new BadRequestException("%s must not contain control characters", what);
      }
    }
  }
}
