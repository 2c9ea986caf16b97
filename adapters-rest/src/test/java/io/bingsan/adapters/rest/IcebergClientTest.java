package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.view.View;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Iceberg's own Java client against the API: the contract real engines rely on. */
class IcebergClientTest {
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
  private static final Namespace NAMESPACE = Namespace.of("client.db", "Nested Level");

  private static RestTestServer server;
  private static RESTCatalog catalog;

  @BeforeAll
  static void start() throws Exception {
    server = new RestTestServer(RestSettings.defaults());
    catalog = new RESTCatalog();
    catalog.initialize(
        "bingsan",
        Map.of(
            "uri", server.uri().toString(),
            "warehouse", RestTestServer.WAREHOUSE,
            "io-impl", "org.apache.iceberg.inmemory.InMemoryFileIO"));
    catalog.createNamespace(Namespace.of("client.db"));
    // Iceberg's request builders probe maps with containsKey(null): no Map.of here.
    catalog.createNamespace(NAMESPACE, new HashMap<>(Map.of("owner", "bingsan")));
  }

  @AfterAll
  static void stop() throws IOException {
    catalog.close();
    server.close();
  }

  @Test
  void namespacesWithDotsAndSpacesRoundTrip() {
    assertThat(catalog.listNamespaces(Namespace.of("client.db"))).containsExactly(NAMESPACE);
    assertThat(catalog.namespaceExists(NAMESPACE)).isTrue();
    assertThat(catalog.loadNamespaceMetadata(NAMESPACE)).containsEntry("owner", "bingsan");
    assertThat(catalog.namespaceExists(Namespace.of("client"))).isFalse();
    assertThatThrownBy(() -> catalog.loadNamespaceMetadata(Namespace.of("information_schema")))
        .isInstanceOf(NoSuchNamespaceException.class);
    assertThatThrownBy(() -> catalog.createNamespace(NAMESPACE))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void tablesAreCreatedLoadedCommittedRenamedAndDropped() throws InterruptedException {
    TableIdentifier identifier = TableIdentifier.of(NAMESPACE, "Events");
    catalog.createTable(identifier, SCHEMA);

    Table table = catalog.loadTable(identifier);
    table.updateProperties().set("k", "v").commit();
    assertThat(catalog.loadTable(identifier).properties()).containsEntry("k", "v");
    // The client revalidates its cached copy with If-None-Match.
    assertThat(catalog.loadTable(identifier).properties()).containsEntry("k", "v");
    assertThat(server.logged("GET /v1/wh/namespaces/client.db%1FNested+Level/tables/Events?snapshots=all 304"))
        .isTrue();
    assertThat(catalog.tableExists(identifier)).isTrue();
    assertThat(catalog.listTables(NAMESPACE)).containsExactly(identifier);

    TableIdentifier renamed = TableIdentifier.of(NAMESPACE, "Events2");
    catalog.renameTable(identifier, renamed);
    assertThatThrownBy(() -> catalog.loadTable(identifier)).isInstanceOf(NoSuchTableException.class);
    assertThat(catalog.dropTable(renamed, false)).isTrue();
    assertThat(catalog.tableExists(renamed)).isFalse();
    assertThat(server.idempotency.claims()).isPositive();
  }

  @Test
  void aCreateTransactionStagesThenCommitsWithAssertCreate() {
    TableIdentifier identifier = TableIdentifier.of(NAMESPACE, "Staged");

    catalog.buildTable(identifier, SCHEMA).withProperty("p", "1").createTransaction().commitTransaction();

    assertThat(catalog.loadTable(identifier).properties()).containsEntry("p", "1");
    catalog.dropTable(identifier, false);
  }

  @Test
  void aNamespaceWithTablesCannotBeDropped() {
    Namespace namespace = Namespace.of("full");
    catalog.createNamespace(namespace);
    catalog.createTable(TableIdentifier.of(namespace, "t"), SCHEMA);

    assertThatThrownBy(() -> catalog.dropNamespace(namespace))
        .isInstanceOf(NamespaceNotEmptyException.class);
  }

  @Test
  void viewsAreCreatedLoadedRenamedAndDropped() {
    TableIdentifier identifier = TableIdentifier.of(NAMESPACE, "Recent");
    catalog
        .buildView(identifier)
        .withSchema(SCHEMA)
        .withDefaultNamespace(NAMESPACE)
        .withQuery("spark", "select id from events")
        .create();

    View view = catalog.loadView(identifier);
    assertThat(view.sqlFor("spark").sql()).isEqualTo("select id from events");
    view.updateProperties().set("comment", "recent").commit();
    assertThat(catalog.loadView(identifier).properties()).containsEntry("comment", "recent");
    assertThat(catalog.viewExists(identifier)).isTrue();

    TableIdentifier renamed = TableIdentifier.of(NAMESPACE, "Recent2");
    catalog.renameView(identifier, renamed);
    assertThatThrownBy(() -> catalog.loadView(identifier)).isInstanceOf(NoSuchViewException.class);
    assertThat(catalog.dropView(renamed)).isTrue();
    assertThat(catalog.viewExists(renamed)).isFalse();
  }
}
