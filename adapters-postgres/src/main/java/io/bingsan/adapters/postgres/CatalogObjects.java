package io.bingsan.adapters.postgres;

import io.bingsan.domain.change.ObjectKind;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.jdbi.v3.core.statement.SqlStatement;

/** Where tables and views live, how one is found by its identifier, and how its absence reads. */
final class CatalogObjects {
  private static final String IDENTIFIED =
      " FROM %s o JOIN namespaces n ON n.id = o.namespace_id"
          + " WHERE n.warehouse = %s AND n.name_key = %s AND o.name_key = %s";

  private static final Map<ObjectKind, String> IDENTIFIED_BY_NAME =
      perKind(kind -> identified(kind, ":warehouse", ":namespace", ":name"));

  private static final Map<ObjectKind, String> IDENTIFIED_BY_POSITION =
      perKind(kind -> identified(kind, "?", "?", "?"));

  private CatalogObjects() {}

  /** One SQL text per kind, built once: hot statements then reuse the same string every call. */
  static Map<ObjectKind, String> perKind(Function<ObjectKind, String> sql) {
    Map<ObjectKind, String> texts = new EnumMap<>(ObjectKind.class);
    for (ObjectKind kind : ObjectKind.values()) {
      texts.put(kind, sql.apply(kind));
    }
    return Collections.unmodifiableMap(texts);
  }

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
    return IDENTIFIED_BY_NAME.get(kind);
  }

  /** {@link #identified(ObjectKind)} with these SQL expressions for the identifier's keys. */
  static String identified(ObjectKind kind, String warehouse, String namespaceKey, String nameKey) {
    return IDENTIFIED.formatted(table(kind), warehouse, namespaceKey, nameKey);
  }

  /** {@link #identified} with positional parameters; set them with {@link #setIdentifier}. */
  static String identifiedByPosition(ObjectKind kind) {
    return IDENTIFIED_BY_POSITION.get(kind);
  }

  static <S extends SqlStatement<S>> S bindIdentifier(
      S statement, String warehouse, TableIdentifier identifier) {
    return statement
        .bind("warehouse", warehouse)
        .bind("namespace", NameKeys.of(identifier.namespace()))
        .bind("name", NameKeys.of(identifier.name()));
  }

  static void setIdentifier(
      PreparedStatement statement, String warehouse, TableIdentifier identifier)
      throws SQLException {
    statement.setString(1, warehouse);
    statement.setString(2, NameKeys.of(identifier.namespace()));
    statement.setString(3, NameKeys.of(identifier.name()));
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
