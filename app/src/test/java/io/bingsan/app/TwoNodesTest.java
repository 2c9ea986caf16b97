package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.db.DataSourceFactory;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of one catalog on one database, each answering loads from the pointers it read: a
 * change one node acknowledged is what the other serves next, through Iceberg's own client.
 */
class TwoNodesTest {
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  private static CatalogTestServer secondNode;

  private RESTCatalog onA;
  private RESTCatalog onB;
  private Namespace namespace;

  @BeforeAll
  static void startSecondNode() {
    secondNode = CatalogTestServer.startSecondNode();
  }

  @AfterAll
  static void stopSecondNode() {
    secondNode.stop();
  }

  @BeforeEach
  void connect() {
    onA = CatalogTestServer.shared().newClient(Map.of());
    onB = secondNode.newClient(Map.of());
    namespace = Namespace.of("nodes_" + UUID.randomUUID().toString().replace("-", ""));
    onA.createNamespace(namespace);
  }

  @AfterEach
  void disconnect() throws IOException {
    onA.close();
    onB.close();
  }

  @Test
  void appendsOnEitherNodeAreServedAtOnceByTheOther() throws IOException {
    TableIdentifier id = TableIdentifier.of(namespace, "t");
    onA.createTable(id, SCHEMA);
    for (int round = 0; round < 10; round++) {
      RESTCatalog writer = round % 2 == 0 ? onA : onB;
      RESTCatalog reader = round % 2 == 0 ? onB : onA;
      reader.loadTable(id);

      long appended = append(writer, id);

      assertThat(reader.loadTable(id).currentSnapshot().snapshotId()).isEqualTo(appended);
    }
  }

  @Test
  void renamesDropsAndCreatesAreServedAtOnceByTheOther() {
    TableIdentifier id = TableIdentifier.of(namespace, "t");
    TableIdentifier renamed = TableIdentifier.of(namespace, "renamed");
    onA.createTable(id, SCHEMA);
    onB.loadTable(id);
    assertThatThrownBy(() -> onB.loadTable(renamed)).isInstanceOf(NoSuchTableException.class);

    onA.renameTable(id, renamed);

    assertThatThrownBy(() -> onB.loadTable(id)).isInstanceOf(NoSuchTableException.class);
    String uuid = onB.loadTable(renamed).uuid().toString();

    onA.dropTable(renamed, false);

    assertThatThrownBy(() -> onB.loadTable(renamed)).isInstanceOf(NoSuchTableException.class);

    onA.createTable(renamed, SCHEMA);

    assertThat(onB.loadTable(renamed).uuid().toString()).isNotEqualTo(uuid);
  }

  /** With their notices' connections cut, nodes wait out each other's lease or read afresh. */
  @Test
  void nodesCutOffFromTheirNoticesServeTheLatestCommitToo() throws Exception {
    TableIdentifier id = TableIdentifier.of(namespace, "t");
    onA.createTable(id, SCHEMA);
    for (int round = 0; round < 3; round++) {
      onB.loadTable(id);
      cutNoticeConnections();

      long appended = append(onA, id);

      assertThat(onB.loadTable(id).currentSnapshot().snapshotId()).isEqualTo(appended);
    }
  }

  private static long append(RESTCatalog catalog, TableIdentifier id) throws IOException {
    Table table = catalog.loadTable(id);
    table.newFastAppend().appendFile(RestCatalogEndToEndTest.dataFile(table, "d")).commit();
    return table.currentSnapshot().snapshotId();
  }

  /** Ends every node's lease connection, as a network cut or a database restart would. */
  private static void cutNoticeConnections() throws SQLException {
    DataSourceFactory database = secondNode.database();
    try (Connection connection =
            DriverManager.getConnection(
                database.getUrl(), database.getUser(), database.getPassword());
        Statement statement = connection.createStatement();
        ResultSet terminated =
            statement.executeQuery(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name LIKE 'bingsan-node-%'")) {
      terminated.next();
      assertThat(terminated.getInt(1)).isGreaterThanOrEqualTo(2);
    }
  }
}
