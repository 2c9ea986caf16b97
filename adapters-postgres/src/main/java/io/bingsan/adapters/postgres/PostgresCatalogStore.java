package io.bingsan.adapters.postgres;

import static java.util.Objects.requireNonNull;

import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.ports.out.CatalogChangeLog;
import io.bingsan.ports.out.CatalogObjectStore;
import io.bingsan.ports.out.MetricsReportStore;
import io.bingsan.ports.out.NamespaceStore;
import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** The catalog on PostgreSQL: namespaces, tables and views, their change log and metrics. */
public final class PostgresCatalogStore
    implements NamespaceStore, CatalogObjectStore, CatalogChangeLog, MetricsReportStore {

  /**
   * A loose index scan: each step seeks the first key of the next child in the unique index, so a
   * page costs one index probe per child however many namespaces lie below them. The recursion
   * emits children in key order, and the outer LIMIT stops it once the page is full. Each child
   * comes with the name of the first namespace in its range: its own, when it exists.
   */
  private static final String CHILDREN =
      """
      WITH RECURSIVE children (key, name) AS (
        (SELECT %1$s, n.name FROM namespaces n
         WHERE n.warehouse = :warehouse AND n.name_key >= :prefix %2$s
         ORDER BY n.name_key LIMIT 1)
        UNION ALL
        SELECT next.key, next.name FROM children c CROSS JOIN LATERAL (
          SELECT %1$s AS key, n.name FROM namespaces n
          WHERE n.warehouse = :warehouse AND n.name_key >= c.key || chr(32) %2$s
          ORDER BY n.name_key LIMIT 1) next
      )
      SELECT key, name FROM children LIMIT :limit
      """;

  /** The child's key: the parent's prefix and the next level of a key below it. */
  private static final String CHILD_KEY =
      "(:prefix || split_part(substr(n.name_key, length(:prefix) + 1), chr(31), 1)) COLLATE \"C\"";

  private static final Map<ObjectKind, String> METADATA_LOCATION =
      CatalogObjects.perKind(
          kind -> "SELECT o.metadata_location" + CatalogObjects.identifiedByPosition(kind));

  /**
   * Several objects' pointers in one statement, in the order asked, each name looked up as {@link
   * #METADATA_LOCATION} looks up one: as a join, the planner may scan every object instead.
   */
  private static final Map<ObjectKind, String> METADATA_LOCATIONS =
      CatalogObjects.perKind(
          kind ->
              """
              SELECT (SELECT o.metadata_location %s)
              FROM unnest(?::text[], ?::text[]) WITH ORDINALITY
                AS asked (namespace_key, name_key, ordinal)
              ORDER BY asked.ordinal
              """
                  .formatted(
                      CatalogObjects.identified(
                          kind, "?", "asked.namespace_key", "asked.name_key")));

  private static final String NAMESPACE =
      "SELECT id, name FROM namespaces WHERE warehouse = ? AND name_key = ?";

  /**
   * A namespace's objects in key order. Its stored name is read once by {@link #NAMESPACE}, not
   * sent and decoded with every row.
   */
  private static final Map<ObjectKind, String> LIST =
      CatalogObjects.perKind(
          kind ->
              ("SELECT name, name_key FROM %s WHERE namespace_id = ? AND name_key > ?"
                      + " ORDER BY name_key LIMIT ?")
                  .formatted(CatalogObjects.table(kind)));

  private final Database database;
  private final DataSource pool;
  private final NodeLeases leases;

  /**
   * The store on one database, reached through JDBI and, for the pointer reads every load makes,
   * through {@code pool} directly: both must lead to the same database. Its table changes are
   * acknowledged once every other node holding a lease has heard of them ({@code leases}).
   */
  public PostgresCatalogStore(Jdbi jdbi, DataSource pool, NodeLeases leases) {
    this.database = new Database(requireNonNull(jdbi, "jdbi is null"));
    this.pool = requireNonNull(pool, "pool is null");
    this.leases = requireNonNull(leases, "leases is null");
  }

  @Override
  public Optional<Map<String, String>> properties(String warehouse, Namespace namespace) {
    return database.read(
        handle ->
            handle
                .createQuery(
                    "SELECT properties::text FROM namespaces"
                        + " WHERE warehouse = :warehouse AND name_key = :key")
                .bind("warehouse", warehouse)
                .bind("key", NameKeys.of(namespace))
                .mapTo(String.class)
                .findOne()
                .map(Json::readStringMap));
  }

  @Override
  public Page<Namespace> listChildren(String warehouse, Namespace parent, PageRequest page) {
    String range =
        (parent.isEmpty() ? "" : " AND n.name_key < :until")
            + (page.after() == null ? "" : " AND n.name_key >= :after");
    String sql = CHILDREN.formatted(CHILD_KEY, range);
    int depth = parent.length() + 1;
    return database.read(
        handle -> {
          Query query =
              handle
                  .createQuery(sql)
                  .bind("warehouse", warehouse)
                  .bind("prefix", NameKeys.descendantsFrom(parent))
                  .bind("limit", page.limit());
          if (!parent.isEmpty()) {
            query.bind("until", NameKeys.after(NameKeys.of(parent)));
          }
          if (page.after() != null) {
            query.bind("after", NameKeys.after(page.after()));
          }
          return page(
              query
                  .map(
                      (row, context) ->
                          new Keyed<>(
                              row.getString("key"),
                              Namespace.of(
                                  SqlValues.textArray(row, "name")
                                      .subList(0, depth)
                                      .toArray(String[]::new))))
                  .list(),
              page);
        });
  }

  @Override
  public Optional<String> metadataLocation(
      String warehouse, ObjectKind kind, TableIdentifier identifier) {
    return Database.query(
        pool,
        METADATA_LOCATION.get(kind),
        statement -> CatalogObjects.setIdentifier(statement, warehouse, identifier),
        result ->
            result.next() ? Optional.of(result.getString("metadata_location")) : Optional.empty());
  }

  @Override
  public List<Optional<String>> metadataLocations(
      String warehouse, ObjectKind kind, List<TableIdentifier> identifiers) {
    if (identifiers.size() <= 1) {
      return CatalogObjectStore.super.metadataLocations(warehouse, kind, identifiers);
    }
    return Database.query(
        pool,
        METADATA_LOCATIONS.get(kind),
        statement -> {
          Connection connection = statement.getConnection();
          statement.setString(1, warehouse);
          statement.setArray(
              2, textArray(connection, identifiers, id -> NameKeys.of(id.namespace())));
          statement.setArray(3, textArray(connection, identifiers, id -> NameKeys.of(id.name())));
        },
        result -> {
          List<Optional<String>> locations = new ArrayList<>(identifiers.size());
          while (result.next()) {
            locations.add(Optional.ofNullable(result.getString(1)));
          }
          return locations;
        });
  }

  private static Array textArray(
      Connection connection,
      List<TableIdentifier> identifiers,
      Function<TableIdentifier, String> key)
      throws SQLException {
    return connection.createArrayOf("text", identifiers.stream().map(key).toArray());
  }

  @Override
  public Page<TableIdentifier> list(
      String warehouse, ObjectKind kind, Namespace namespace, PageRequest page) {
    return database.read(
        handle -> {
          Optional<StoredNamespace> stored =
              Database.query(
                  handle,
                  NAMESPACE,
                  statement -> {
                    statement.setString(1, warehouse);
                    statement.setString(2, NameKeys.of(namespace));
                  },
                  result ->
                      result.next()
                          ? Optional.of(
                              new StoredNamespace(
                                  result.getLong("id"),
                                  Namespace.of(
                                      SqlValues.textArray(result, "name")
                                          .toArray(String[]::new))))
                          : Optional.empty());
          if (stored.isEmpty()) {
            return new Page<>(List.of(), null);
          }
          return Database.query(
              handle,
              LIST.get(kind),
              statement -> {
                statement.setLong(1, stored.get().id());
                // The empty key sorts before every name: no "after" starts at the first.
                statement.setString(2, page.after() == null ? "" : page.after());
                statement.setInt(3, page.limit());
              },
              result -> {
                List<Keyed<TableIdentifier>> rows = new ArrayList<>();
                while (result.next()) {
                  rows.add(
                      new Keyed<>(
                          result.getString("name_key"),
                          TableIdentifier.of(stored.get().name(), result.getString("name"))));
                }
                return page(rows, page);
              });
        });
  }

  @Override
  public void apply(String warehouse, List<CatalogChange> changes) {
    requireNonNull(warehouse, "warehouse is null");
    List<CatalogChange> all = List.copyOf(changes);
    List<TableIdentifier> tables =
        all.stream().flatMap(change -> change.tables().stream()).toList();
    if (tables.isEmpty()) {
      write(warehouse, all, handle -> {});
      return;
    }
    try (NodeLeases.Announcement announcement = leases.announce(warehouse, tables)) {
      try {
        write(warehouse, all, announcement::send);
      } catch (ServiceUnavailableException unknownOutcome) {
        announcement.awaitLeasesOut();
        throw unknownOutcome;
      }
      announcement.awaitPeers();
    }
  }

  /** Applies the changes, then runs {@code last}, in one transaction. */
  private void write(String warehouse, List<CatalogChange> changes, Consumer<Handle> last) {
    database.inTransaction(
        handle -> {
          ChangeWriter writer = new ChangeWriter(handle, warehouse);
          changes.forEach(writer::apply);
          last.accept(handle);
          return null;
        });
  }

  @Override
  public void save(String warehouse, TableIdentifier table, String reportType, String reportJson) {
    // Locking the table row makes a concurrent drop either wait for the report or win cleanly.
    int saved =
        database.inTransaction(
            handle ->
                CatalogObjects.bindIdentifier(
                        handle.createUpdate(
                            "INSERT INTO metrics_reports (table_id, report_type, report)"
                                + " SELECT o.id, :type, CAST(:report AS jsonb)"
                                + CatalogObjects.identified(ObjectKind.TABLE)
                                + " FOR KEY SHARE OF o"),
                        warehouse,
                        table)
                    .bind("type", reportType)
                    .bind("report", reportJson)
                    .execute());
    if (saved == 0) {
      throw new NoSuchTableException("Table does not exist: %s", table);
    }
  }

  /** A namespace as stored: the case of its levels is the one it was created with. */
  private record StoredNamespace(long id, Namespace name) {}

  /** An item with the key it is sorted by. */
  private record Keyed<T>(String key, T item) {}

  private static <T> Page<T> page(List<Keyed<T>> rows, PageRequest request) {
    List<T> items = rows.stream().map(Keyed::item).toList();
    boolean full = request.limit() != PageRequest.UNBOUNDED && rows.size() == request.limit();
    return new Page<>(items, full ? rows.get(rows.size() - 1).key() : null);
  }
}
