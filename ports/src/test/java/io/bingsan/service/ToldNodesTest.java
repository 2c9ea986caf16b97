package io.bingsan.service;

import static io.bingsan.service.fakes.TestCatalog.SCHEMA;
import static io.bingsan.service.fakes.TestCatalog.WAREHOUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.domain.commit.TableCommit;
import io.bingsan.service.fakes.InMemoryNoticeBoard;
import io.bingsan.service.fakes.TestCatalog;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes that hear of each other's table changes: each serves loads from the pointers it read
 * before, and every change one acknowledges is what the other serves next.
 */
class ToldNodesTest {
  private final TestCatalog catalog = new TestCatalog();
  private final InMemoryNoticeBoard board = new InMemoryNoticeBoard();
  private final InMemoryNoticeBoard.Node noticesOfA = board.join();
  private final InMemoryNoticeBoard.Node noticesOfB = board.join();
  private final CatalogServices nodeA = catalog.newNode(noticesOfA);
  private final CatalogServices nodeB = catalog.newNode(noticesOfB);
  private final Namespace namespace = Namespace.of("ns");
  private final TableIdentifier id = TableIdentifier.of(namespace, "t");

  @BeforeEach
  void createTable() {
    catalog.namespace("ns");
    create(nodeA, id);
  }

  @Test
  void repeatedLoadsReadThePointerOnce() {
    int before = catalog.store.pointerReads();

    TableMetadata first = nodeB.tables().load(WAREHOUSE, id);
    TableMetadata again = nodeB.tables().load(WAREHOUSE, id);

    assertThat(again.metadataFileLocation()).isEqualTo(first.metadataFileLocation());
    assertThat(catalog.store.pointerReads()).isEqualTo(before + 1);
  }

  @Test
  void eachNodeServesTheOthersLatestCommit() {
    for (int round = 0; round < 4; round++) {
      CatalogServices writer = round % 2 == 0 ? nodeA : nodeB;
      CatalogServices reader = round % 2 == 0 ? nodeB : nodeA;
      reader.tables().load(WAREHOUSE, id);

      TableMetadata committed = setProperty(writer, "round", Integer.toString(round));

      assertThat(reader.tables().load(WAREHOUSE, id).metadataFileLocation())
          .isEqualTo(committed.metadataFileLocation());
      assertThat(writer.tables().load(WAREHOUSE, id).metadataFileLocation())
          .isEqualTo(committed.metadataFileLocation());
    }
  }

  @Test
  void dropsRenamesAndCreatesReachTheOtherNode() {
    nodeB.tables().load(WAREHOUSE, id);
    TableIdentifier renamed = TableIdentifier.of(namespace, "renamed");
    assertThatThrownBy(() -> nodeB.tables().load(WAREHOUSE, renamed))
        .isInstanceOf(NoSuchTableException.class);

    nodeA.tables().rename(WAREHOUSE, id, renamed);

    assertThatThrownBy(() -> nodeB.tables().load(WAREHOUSE, id))
        .isInstanceOf(NoSuchTableException.class);
    TableMetadata moved = nodeB.tables().load(WAREHOUSE, renamed);

    nodeA.tables().drop(WAREHOUSE, renamed, false);

    assertThatThrownBy(() -> nodeB.tables().load(WAREHOUSE, renamed))
        .isInstanceOf(NoSuchTableException.class);

    TableMetadata recreated = create(nodeA, renamed);

    assertThat(nodeB.tables().load(WAREHOUSE, renamed).uuid())
        .isEqualTo(recreated.uuid())
        .isNotEqualTo(moved.uuid());
  }

  @Test
  void aNodeServesItsOwnChangesAtOnce() {
    nodeA.tables().load(WAREHOUSE, id);
    TableMetadata committed = setProperty(nodeA, "k", "v");
    assertThat(nodeA.tables().load(WAREHOUSE, id).metadataFileLocation())
        .isEqualTo(committed.metadataFileLocation());

    nodeA.tables().drop(WAREHOUSE, id, false);

    assertThatThrownBy(() -> nodeA.tables().load(WAREHOUSE, id))
        .isInstanceOf(NoSuchTableException.class);
  }

  @Test
  void aQuietNodeReadsEveryPointerAndForgetsWhatItReadOnceBack() {
    nodeB.tables().load(WAREHOUSE, id);
    noticesOfB.goQuiet();
    TableMetadata committed = setProperty(nodeA, "k", "v");
    int before = catalog.store.pointerReads();

    assertThat(nodeB.tables().load(WAREHOUSE, id).metadataFileLocation())
        .isEqualTo(committed.metadataFileLocation());
    nodeB.tables().load(WAREHOUSE, id);
    assertThat(catalog.store.pointerReads()).isEqualTo(before + 2);

    noticesOfB.comeBack();
    TableMetadata later = setProperty(nodeA, "k", "w");

    assertThat(nodeB.tables().load(WAREHOUSE, id).metadataFileLocation())
        .isEqualTo(later.metadataFileLocation());
  }

  /** As a commit between its swap and its acknowledgement: the table moved, B not yet told. */
  @Test
  void aDropOnAPointerThatMovedUntoldIsRetriedOnTheCurrentOne() {
    nodeB.tables().load(WAREHOUSE, id);
    setProperty(catalog.newNode(), "untold", "1");

    nodeB.tables().drop(WAREHOUSE, id, false);

    assertThatThrownBy(() -> nodeA.tables().load(WAREHOUSE, id))
        .isInstanceOf(NoSuchTableException.class);
  }

  private static TableMetadata create(CatalogServices node, TableIdentifier table) {
    return node.tables()
        .create(
            WAREHOUSE,
            table.namespace(),
            CreateTableRequest.builder().withName(table.name()).withSchema(SCHEMA).build());
  }

  private TableMetadata setProperty(CatalogServices node, String key, String value) {
    TableMetadata current = node.tables().load(WAREHOUSE, id);
    return node.tableCommits()
        .commit(
            WAREHOUSE,
            new TableCommit(
                id,
                List.of(new UpdateRequirement.AssertTableUUID(current.uuid())),
                List.of(new MetadataUpdate.SetProperties(Map.of(key, value)))))
        .metadata();
  }
}
