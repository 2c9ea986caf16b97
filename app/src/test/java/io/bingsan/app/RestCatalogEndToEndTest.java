package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.relocated.com.google.common.collect.ImmutableMap;
import org.apache.iceberg.relocated.com.google.common.collect.ImmutableSet;
import java.util.UUID;
import org.apache.iceberg.BaseTransaction;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableCommit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.view.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The catalog driven by Iceberg's own Java REST client against the running app. */
class RestCatalogEndToEndTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "data", Types.StringType.get()));

  private final CatalogTestServer server = CatalogTestServer.shared();
  private RESTCatalog catalog;
  private Namespace namespace;

  @BeforeEach
  void connect() {
    catalog = server.newClient(Map.of());
    namespace = Namespace.of("e2e_" + UUID.randomUUID().toString().replace("-", ""));
    catalog.createNamespace(namespace, ImmutableMap.of("owner", "tests"));
  }

  @AfterEach
  void disconnect() throws IOException {
    catalog.close();
  }

  @Test
  void nestedNamespacesListUnderTheirParentAndKeepDots() {
    Namespace child = Namespace.of(namespace.level(0), "a.b");
    Namespace grandchild = Namespace.of(namespace.level(0), "a.b", "c");
    catalog.createNamespace(child);
    catalog.createNamespace(grandchild);

    assertThat(catalog.listNamespaces(namespace)).containsExactly(child);
    assertThat(catalog.listNamespaces(child)).containsExactly(grandchild);
    assertThat(catalog.namespaceExists(Namespace.of(namespace.level(0), "a"))).isFalse();
    assertThat(catalog.loadNamespaceMetadata(namespace)).containsEntry("owner", "tests");
  }

  /**
   * A missing table named like a metadata table makes the client look for the metadata table of a
   * table named after the namespace, at {@code namespaces//tables/<namespace>}: that must be a
   * plain 404, or Spark and Trino cannot create tables called {@code history} or {@code entries}.
   */
  @Test
  void tablesNamedLikeMetadataTables() {
    TableIdentifier history = TableIdentifier.of(namespace, "history");

    assertThatThrownBy(() -> catalog.loadTable(history)).isInstanceOf(NoSuchTableException.class);
    catalog.createTable(history, SCHEMA);
    assertThat(catalog.loadTable(history).schema().asStruct()).isEqualTo(SCHEMA.asStruct());
  }

  /** A level may hold a slash, sent as {@code %2F}. */
  @Test
  void namespaceLevelWithASlash() {
    Namespace slashed = Namespace.of(namespace.level(0), "2024/q1");
    catalog.createNamespace(slashed);

    assertThat(catalog.namespaceExists(slashed)).isTrue();
    assertThat(catalog.listNamespaces(namespace)).containsExactly(slashed);
  }

  @Test
  void namespacePropertiesAreUpdatedAndNonEmptyNamespacesAreNotDropped() {
    catalog.setProperties(namespace, ImmutableMap.of("k", "v"));
    catalog.removeProperties(namespace, ImmutableSet.of("owner"));
    assertThat(catalog.loadNamespaceMetadata(namespace)).containsEntry("k", "v").doesNotContainKey("owner");

    catalog.createTable(TableIdentifier.of(namespace, "t"), SCHEMA);
    assertThatThrownBy(() -> catalog.dropNamespace(namespace))
        .isInstanceOf(NamespaceNotEmptyException.class);
  }

  @Test
  void appendsAreCommittedAndVisibleToAFreshClient() throws IOException {
    TableIdentifier id = TableIdentifier.of(namespace, "events");
    Table table = catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned());
    table.newFastAppend().appendFile(dataFile(table, "a")).commit();
    table.newFastAppend().appendFile(dataFile(table, "b")).commit();

    try (RESTCatalog other = server.newClient(Map.of())) {
      Table loaded = other.loadTable(id);
      assertThat(loaded.snapshots()).hasSize(2);
      assertThat(loaded.currentSnapshot().summary()).containsEntry("total-data-files", "2");
      assertThat(Path.of(java.net.URI.create(loaded.location() + "/metadata")))
          .isDirectoryContaining(p -> p.getFileName().toString().startsWith("00002-"));
    }
  }

  @Test
  void aLongHistoryReachesClientsWhole() throws IOException {
    // Enough snapshots that the answers' gzip forms reuse deflated chunks of the history.
    TableIdentifier id = TableIdentifier.of(namespace, "long_history");
    Table table = catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned());
    for (int i = 0; i < 150; i++) {
      table.newFastAppend().appendFile(dataFile(table, "f" + i)).commit();
    }

    try (RESTCatalog other = server.newClient(Map.of())) {
      Table loaded = other.loadTable(id);
      assertThat(loaded.snapshots()).hasSize(150);
      assertThat(loaded.history()).hasSize(150);
      assertThat(loaded.currentSnapshot().summary()).containsEntry("total-data-files", "150");
    }
    table.refresh();
    assertThat(table.currentSnapshot().summary()).containsEntry("total-data-files", "150");
  }

  @Test
  void schemaEvolutionAndPropertiesSurviveReload() {
    TableIdentifier id = TableIdentifier.of(namespace, "evolving");
    Table table = catalog.createTable(id, SCHEMA);
    table.updateSchema().addColumn("extra", Types.IntegerType.get()).commit();
    table.updateProperties().set("owner", "me").commit();

    Table loaded = catalog.loadTable(id);
    assertThat(loaded.schema().findField("extra")).isNotNull();
    assertThat(loaded.properties()).containsEntry("owner", "me");
  }

  @Test
  void staleRequirementsAreConflicts() {
    TableIdentifier id = TableIdentifier.of(namespace, "contended");
    catalog.createTable(id, SCHEMA);
    Table first = catalog.loadTable(id);
    Table second = catalog.loadTable(id);
    first.updateSchema().addColumn("x", Types.IntegerType.get()).commit();

    // Schema changes carry requirements the first commit broke: a 409, never a silent overwrite.
    assertThatThrownBy(
            () ->
                second
                    .updateSchema()
                    .addColumn("x", Types.LongType.get())
                    .commit())
        .isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("last assigned field id changed");
    assertThat(catalog.loadTable(id).schema().findType("x")).isEqualTo(Types.IntegerType.get());
  }

  @Test
  void stagedCreateCommitsWithAssertCreate() {
    TableIdentifier id = TableIdentifier.of(namespace, "staged");
    Transaction create = catalog.buildTable(id, SCHEMA).createTransaction();
    create.updateProperties().set("staged", "yes").commit();
    assertThat(catalog.tableExists(id)).isFalse();

    create.commitTransaction();

    assertThat(catalog.loadTable(id).properties()).containsEntry("staged", "yes");
  }

  @Test
  void renameMovesTablesAcrossNamespacesAndRefusesTakenNames() {
    Namespace other = Namespace.of(namespace.level(0) + "_other");
    catalog.createNamespace(other);
    TableIdentifier from = TableIdentifier.of(namespace, "t1");
    TableIdentifier to = TableIdentifier.of(other, "t1_moved");
    catalog.createTable(from, SCHEMA);
    catalog.createTable(TableIdentifier.of(other, "taken"), SCHEMA);

    catalog.renameTable(from, to);

    assertThat(catalog.tableExists(from)).isFalse();
    assertThat(catalog.listTables(other)).contains(to);
    assertThatThrownBy(() -> catalog.renameTable(to, TableIdentifier.of(other, "taken")))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> catalog.renameTable(to, TableIdentifier.of("missing_ns", "x")))
        .isInstanceOf(NoSuchNamespaceException.class);
  }

  @Test
  void lookupsIgnoreCaseAndKeepTheCreatedCase() {
    catalog.createTable(TableIdentifier.of(namespace, "MixedCase"), SCHEMA);

    assertThat(catalog.tableExists(TableIdentifier.of(namespace, "mixedcase"))).isTrue();
    assertThat(catalog.listTables(namespace)).containsExactly(TableIdentifier.of(namespace, "MixedCase"));
    assertThatThrownBy(() -> catalog.createTable(TableIdentifier.of(namespace, "MIXEDCASE"), SCHEMA))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void dropWithPurgeDeletesTheTablesFiles() throws IOException {
    TableIdentifier id = TableIdentifier.of(namespace, "purged");
    Table table = catalog.createTable(id, SCHEMA);
    DataFile file = dataFile(table, "p");
    table.newFastAppend().appendFile(file).commit();
    Path dataPath = Path.of(java.net.URI.create(file.location()));
    assertThat(dataPath).exists();

    assertThat(catalog.dropTable(id, true)).isTrue();

    assertThat(dataPath).doesNotExist();
    assertThatThrownBy(() -> catalog.loadTable(id)).isInstanceOf(NoSuchTableException.class);
  }

  @Test
  void multiTableTransactionsCommitAllOrNothing() {
    TableIdentifier a = TableIdentifier.of(namespace, "a");
    TableIdentifier b = TableIdentifier.of(namespace, "b");
    catalog.createTable(a, SCHEMA);
    catalog.createTable(b, SCHEMA);
    Table tableA = catalog.loadTable(a);
    Table tableB = catalog.loadTable(b);

    Transaction txA = tableA.newTransaction();
    txA.updateProperties().set("tx", "1").commit();
    Transaction txB = tableB.newTransaction();
    txB.updateProperties().set("tx", "1").commit();
    catalog.commitTransaction(
        commitOf(a, txA),
        commitOf(b, txB));
    assertThat(catalog.loadTable(a).properties()).containsEntry("tx", "1");
    assertThat(catalog.loadTable(b).properties()).containsEntry("tx", "1");

    // A schema change to b built on metadata that has moved on fails, and must not touch a either.
    Transaction staleB = catalog.loadTable(b).newTransaction();
    staleB.updateSchema().addColumn("late", Types.IntegerType.get()).commit();
    catalog.loadTable(b).updateSchema().addColumn("early", Types.IntegerType.get()).commit();
    Transaction nextA = catalog.loadTable(a).newTransaction();
    nextA.updateProperties().set("tx", "2").commit();
    assertThatThrownBy(() -> catalog.commitTransaction(commitOf(a, nextA), commitOf(b, staleB)))
        .isInstanceOf(CommitFailedException.class);
    assertThat(catalog.loadTable(a).properties()).containsEntry("tx", "1");
    assertThat(catalog.loadTable(b).schema().findField("late")).isNull();
  }

  @Test
  void viewsAreCreatedReplacedAndDropped() {
    TableIdentifier id = TableIdentifier.of(namespace, "v");
    View view =
        catalog
            .buildView(id)
            .withSchema(SCHEMA)
            .withDefaultNamespace(namespace)
            .withQuery("spark", "select 1 as id, 'x' as data")
            .create();
    assertThat(view.currentVersion().versionId()).isEqualTo(1);

    catalog
        .buildView(id)
        .withSchema(SCHEMA)
        .withDefaultNamespace(namespace)
        .withQuery("spark", "select 2 as id, 'y' as data")
        .replace();

    assertThat(catalog.loadView(id).currentVersion().versionId()).isEqualTo(2);
    assertThat(catalog.listViews(namespace)).containsExactly(id);
    assertThatThrownBy(() -> catalog.createTable(id, SCHEMA)).isInstanceOf(AlreadyExistsException.class);
    assertThat(catalog.dropView(id)).isTrue();
    assertThat(catalog.viewExists(id)).isFalse();
  }

  private static TableCommit commitOf(TableIdentifier id, Transaction transaction) {
    BaseTransaction base = (BaseTransaction) transaction;
    return TableCommit.create(id, base.startMetadata(), base.currentMetadata());
  }

  static DataFile dataFile(Table table, String name) throws IOException {
    Path path = Path.of(java.net.URI.create(table.location() + "/data/" + name + "-" + UUID.randomUUID() + ".parquet"));
    Files.createDirectories(path.getParent());
    Files.write(path, List.of("not really parquet"));
    return DataFiles.builder(table.spec())
        .withPath("file:" + path)
        .withFormat(FileFormat.PARQUET)
        .withFileSizeInBytes(Files.size(path))
        .withRecordCount(1)
        .build();
  }
}
