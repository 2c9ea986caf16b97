package io.bingsan.adapters.postgres;

import io.bingsan.domain.change.ObjectKind;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.jdbi.v3.core.statement.SqlStatement;

/** Where tables and views live, how one is found by its identifier, and how its absence reads. */
final class CatalogObjects {
  private CatalogObjects() {}

  static String table(ObjectKind kind) {
    return switch (kind) {
      case TABLE -> "tables";
      case VIEW -> "views";
    };
  }

  /**
   * The FROM and WHERE clauses that select one object, as {@code o}, and its namespace, as {@code
   * n}; bind them with {@link #bindIdentifier}.
   */
  static String identified(ObjectKind kind) {
    return " FROM " + table(kind) + " o JOIN namespaces n ON n.id = o.namespace_id"
        + " WHERE n.warehouse = :warehouse AND n.name_key = :namespace AND o.name_key = :name";
  }

  static <S extends SqlStatement<S>> S bindIdentifier(
      S statement, String warehouse, TableIdentifier identifier) {
    return statement
        .bind("warehouse", warehouse)
        .bind("namespace", NameKeys.of(identifier.namespace()))
        .bind("name", NameKeys.of(identifier.name()));
  }

  /** The kind's name at the start of a message, as Iceberg's catalogs word them. */
  static String title(ObjectKind kind) {
    return switch (kind) {
      case TABLE -> "Table";
      case VIEW -> "View";
    };
  }

  static RuntimeException noSuchObject(ObjectKind kind, TableIdentifier identifier) {
    return switch (kind) {
      case TABLE -> new NoSuchTableException("Table does not exist: %s", identifier);
      case VIEW -> new NoSuchViewException("View does not exist: %s", identifier);
    };
  }
}
