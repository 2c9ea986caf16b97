package io.bingsan.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.domain.change.CatalogChange.MetadataSwapped;
import io.bingsan.domain.change.CatalogChange.NamespaceCreated;
import io.bingsan.domain.change.CatalogChange.ObjectCreated;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.ports.out.PageRequest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresCatalogStoreTest extends CatalogStoreContractTest {

  @Override
  protected Stores stores() {
    PostgresCatalogStore store = TestDatabase.catalogStore();
    return new Stores(store, store, store, store);
  }

  @Override
  protected List<RecordedEvent> events(String warehouse) {
    return TestDatabase.jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT event_type, namespace, object_name, previous_metadata_location,"
                            + " metadata_location, payload::text AS payload FROM catalog_events"
                            + " WHERE warehouse = :warehouse ORDER BY id")
                    .bind("warehouse", warehouse)
                    .map(
                        (row, context) ->
                            new RecordedEvent(
                                row.getString("event_type"),
                                SqlValues.textArray(row, "namespace"),
                                row.getString("object_name"),
                                row.getString("previous_metadata_location"),
                                row.getString("metadata_location"),
                                row.getString("payload")))
                    .list());
  }

  @Override
  protected List<String> metricsReportTypes(String warehouse) {
    return TestDatabase.jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT r.report_type FROM metrics_reports r"
                            + " JOIN tables t ON t.id = r.table_id"
                            + " JOIN namespaces n ON n.id = t.namespace_id"
                            + " WHERE n.warehouse = :warehouse ORDER BY r.id")
                    .bind("warehouse", warehouse)
                    .mapTo(String.class)
                    .list());
  }

  @Test
  void namespaceLevelsWithControlCharactersAreRefused() {
    PostgresCatalogStore store = TestDatabase.catalogStore();

    // U+001F joins the levels of a name key; a level containing it would alias another name.
    assertThatThrownBy(
            () ->
                store.apply(
                    "warehouse-" + UUID.randomUUID(),
                    new NamespaceCreated(Namespace.of("a\u001Fb"), Map.of())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUnreachableDatabaseIsUnavailable() {
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
    nowhere.setUser("none");
    nowhere.setPassword("none");
    Jdbi unreachable = Jdbi.create(nowhere);
    PostgresCatalogStore store =
        new PostgresCatalogStore(
            unreachable,
            nowhere,
            new NodeLeases(nowhere::getConnection, nowhere, Duration.ofSeconds(2)));
    TableIdentifier table = TableIdentifier.of("db", "t");

    assertThatThrownBy(() -> store.metadataLocation("w", ObjectKind.TABLE, table))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThatThrownBy(
            () ->
                store.metadataLocations(
                    "w", ObjectKind.TABLE, List.of(table, TableIdentifier.of("db", "u"))))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThatThrownBy(() -> store.listChildren("w", Namespace.empty(), PageRequest.ALL))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThatThrownBy(() -> store.apply("w", new NamespaceCreated(Namespace.of("db"), Map.of())))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThatThrownBy(() -> new PostgresIdempotencyStore(unreachable).release("k"))
        .isInstanceOf(ServiceUnavailableException.class);
  }

  @Test
  void aLockTimeoutIsUnavailableAndChangesNothing() throws Exception {
    String warehouse = "warehouse-" + UUID.randomUUID();
    TableIdentifier table = TableIdentifier.of("db", "locked");
    PostgresCatalogStore store = TestDatabase.catalogStore();
    store.apply(warehouse, new NamespaceCreated(Namespace.of("db"), Map.of()));
    store.apply(
        warehouse,
        new ObjectCreated(ObjectKind.TABLE, table, UUID.randomUUID().toString(), "s3://b/1", false));
    PostgresCatalogStore impatient =
        new PostgresCatalogStore(
            Jdbi.create(
                () -> {
                  Connection connection = TestDatabase.dataSource().getConnection();
                  try (Statement statement = connection.createStatement()) {
                    statement.execute("SET lock_timeout = '200ms'");
                  }
                  return connection;
                }),
            TestDatabase.dataSource(),
            TestDatabase.leases());

    try (Handle holder = TestDatabase.jdbi().open()) {
      holder.begin();
      holder
          .createQuery(
              "SELECT t.id FROM tables t JOIN namespaces n ON n.id = t.namespace_id"
                  + " WHERE n.warehouse = :warehouse FOR UPDATE OF t")
          .bind("warehouse", warehouse)
          .mapTo(Long.class)
          .list();

      assertThatThrownBy(
              () ->
                  impatient.apply(
                      warehouse,
                      new MetadataSwapped(ObjectKind.TABLE, table, "s3://b/1", "s3://b/2")))
          .isInstanceOf(ServiceUnavailableException.class);
      holder.rollback();
    }
    assertThat(store.metadataLocation(warehouse, ObjectKind.TABLE, table)).contains("s3://b/1");
  }
}
