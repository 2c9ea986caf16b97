package io.bingsan.service;

import static io.bingsan.service.fakes.TestCatalog.WAREHOUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.domain.commit.CommitRetryPolicy;
import io.bingsan.domain.commit.TableCommit;
import io.bingsan.ports.out.PageRequest;
import io.bingsan.service.fakes.TestCatalog;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RetryableValidationException;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotParser;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SnapshotRefType;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadata.MetadataLogEntry;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchWarehouseException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Table commits by Iceberg's algorithm, with the races and store failures a database brings. */
class TableCommitServiceTest {
  private TestCatalog catalog;
  private Namespace ns;
  private TableIdentifier id;
  private TableMetadata created;

  @BeforeEach
  void setUp() {
    catalog = new TestCatalog();
    ns = catalog.namespace("ns");
    id = TableIdentifier.of(ns, "t");
    created = catalog.createTable(id);
  }

  @Test
  void commitWritesTheNextFileAndSwapsThePointer() {
    TableMetadata result = commit(id, uuidOf(created), setProperty("k", "v"));

    assertThat(result.properties()).containsEntry("k", "v");
    assertThat(fileName(result.metadataFileLocation())).startsWith("00001-");
    assertThat(result.metadataFileLocation()).startsWith(created.location() + "/metadata/");
    assertThat(catalog.files.readTable(result.metadataFileLocation()).properties())
        .containsEntry("k", "v");
    assertThat(catalog.load(id).metadataFileLocation()).isEqualTo(result.metadataFileLocation());
    assertThat(catalog.store.events(WAREHOUSE))
        .last()
        .isEqualTo(
            new CatalogChange.MetadataSwapped(
                ObjectKind.TABLE,
                id,
                created.metadataFileLocation(),
                result.metadataFileLocation()));
  }

  @Test
  void metadataLogRecordsEveryPreviousFileInOrder() {
    List<String> locations = new ArrayList<>(List.of(created.metadataFileLocation()));
    for (int i = 0; i < 3; i++) {
      locations.add(catalog.setProperty(id, "k", "v" + i).metadataFileLocation());
    }

    TableMetadata loaded = catalog.load(id);

    assertThat(loaded.metadataFileLocation()).isEqualTo(locations.get(3));
    assertThat(loaded.previousFiles())
        .extracting(MetadataLogEntry::file)
        .containsExactlyElementsOf(locations.subList(0, 3));
    assertThat(locations)
        .extracting(TableCommitServiceTest::fileName)
        .satisfiesExactly(
            n -> assertThat(n).startsWith("00000-"),
            n -> assertThat(n).startsWith("00001-"),
            n -> assertThat(n).startsWith("00002-"),
            n -> assertThat(n).startsWith("00003-"));
  }

  @Test
  void commitThatChangesNothingWritesNothing() {
    int writes = catalog.files.written().size();
    int applies = catalog.store.applyCalls();

    TableMetadata result =
        commit(
            id,
            uuidOf(created),
            new MetadataUpdate.SetLocation(created.location()),
            setProperties(Map.of()));

    assertThat(result.metadataFileLocation()).isEqualTo(created.metadataFileLocation());
    assertThat(catalog.files.written()).hasSize(writes);
    assertThat(catalog.store.applyCalls()).isEqualTo(applies);
  }

  @Test
  void theFileHoldsTheVeryJsonTheAnswerCarries() {
    CommittedTable result =
        catalog
            .services
            .tableCommits()
            .commit(
                WAREHOUSE,
                new TableCommit(id, uuidOf(created), List.of(setProperty("k", "v"))));

    // The same instance: serialized once, for the file and the answer alike.
    assertThat(catalog.files.tableBytes(result.metadata().metadataFileLocation()))
        .isSameAs(result.metadataJson().utf8());
  }

  @Test
  void commitOnACachedVersionReadsOnlyThePointer() {
    int fileReads = catalog.files.tableReads();

    commit(id, uuidOf(created), setProperty("k", "v"));
    commit(id, uuidOf(created), setProperty("k", "w"));

    assertThat(catalog.files.tableReads()).isEqualTo(fileReads);
    assertThat(catalog.load(id).properties()).containsEntry("k", "w");
  }

  /** A version another node wrote is not in this node's cache: it is read once, then cached. */
  @Test
  void commitOnAnotherNodesVersionReadsItsMetadataOnce() {
    catalog
        .newNode()
        .tableCommits()
        .commit(WAREHOUSE, new TableCommit(id, uuidOf(created), List.of(setProperty("a", "1"))));
    int fileReads = catalog.files.tableReads();

    commit(id, uuidOf(created), setProperty("b", "2"));
    commit(id, uuidOf(created), setProperty("c", "3"));

    assertThat(catalog.files.tableReads()).isEqualTo(fileReads + 1);
    assertThat(catalog.load(id).properties())
        .containsEntry("a", "1")
        .containsEntry("b", "2")
        .containsEntry("c", "3");
  }

  // ---- the pointer this node knows

  @Test
  void commitAfterThisNodesOwnCommitReadsNoPointer() {
    commit(id, uuidOf(created), setProperty("k", "v"));
    int pointerReads = catalog.store.pointerReads();

    TableMetadata result = commit(id, uuidOf(created), setProperty("k", "w"));

    assertThat(catalog.store.pointerReads()).isEqualTo(pointerReads);
    assertThat(result.properties()).containsEntry("k", "w");
    assertThat(catalog.load(id).metadataFileLocation()).isEqualTo(result.metadataFileLocation());
  }

  @Test
  void commitOnAPointerAnotherNodeMovedSinceIsPlannedAgainOnTheirs() {
    commit(id, uuidOf(created), setProperty("mine", "1"));
    catalog
        .newNode()
        .tableCommits()
        .commit(
            WAREHOUSE, new TableCommit(id, uuidOf(created), List.of(setProperty("theirs", "1"))));
    int lostSwaps = catalog.store.lostSwaps();

    TableMetadata result = commit(id, uuidOf(created), setProperty("mine", "2"));

    assertThat(result.properties()).containsEntry("theirs", "1").containsEntry("mine", "2");
    assertThat(catalog.store.lostSwaps()).isEqualTo(lostSwaps + 1);
    // The attempt planned on the stale version left no file behind.
    assertThat(catalog.files.deleted())
        .singleElement()
        .satisfies(f -> assertThat(catalog.files.exists(f)).isFalse());
  }

  /** The stale plan is redone in the same turn: it is no lost race, and spends no retry. */
  @Test
  void stalePointerSpendsNoRetry() {
    TestCatalog oneAttempt =
        new TestCatalog(new CommitRetryPolicy(1, Duration.ZERO, Duration.ZERO));
    TableIdentifier table = TableIdentifier.of(oneAttempt.namespace("ns"), "t");
    TableMetadata start = oneAttempt.createTable(table);
    oneAttempt.setProperty(table, "mine", "1");
    oneAttempt
        .newNode()
        .tableCommits()
        .commit(
            WAREHOUSE, new TableCommit(table, uuidOf(start), List.of(setProperty("theirs", "1"))));

    TableMetadata result = oneAttempt.setProperty(table, "mine", "2");

    assertThat(result.properties()).containsEntry("theirs", "1").containsEntry("mine", "2");
  }

  /**
   * Writers queued behind this node's winning commit, as on a hot table, learn its version from its
   * swap: the pointer was that version at a moment of their requests, so they are refused without
   * a store read.
   */
  @Test
  @Timeout(10)
  void commitQueuedBehindThisNodesWinnerIsRefusedOnItsSwap() throws Exception {
    appendAsserting(id, 1);
    int pointerReads = catalog.store.pointerReads();
    CompletableFuture<TableMetadata> queued = new CompletableFuture<>();
    catalog.files.beforeNextTableWrite(
        () -> {
          // The winner holds the table's turn: this writer, on the same main, waits for it.
          Thread writer =
              new Thread(
                  () -> {
                    try {
                      queued.complete(appendAssertingMainAt(2, 1L));
                    } catch (RuntimeException e) {
                      queued.completeExceptionally(e);
                    }
                  });
          writer.start();
          awaitParked(writer);
        });

    appendAssertingMainAt(id, 3, 1L, 2);

    assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CommitFailedException.class)
        .hasMessageContaining("branch main has changed");
    assertThat(catalog.store.pointerReads()).isEqualTo(pointerReads);
    assertThat(catalog.load(id).currentSnapshot().snapshotId()).isEqualTo(3);
  }

  /** A request that began after this node's last swap cannot tell from it: it reads the pointer. */
  @Test
  void staleRequirementAfterThisNodesCommitIsCheckedAgainstAFreshRead() {
    appendAsserting(id, 1);
    appendAsserting(id, 2);
    int pointerReads = catalog.store.pointerReads();

    assertThatThrownBy(() -> appendAssertingMainAt(3, 1L))
        .isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("branch main has changed");
    assertThat(catalog.store.pointerReads()).isEqualTo(pointerReads + 1);
  }

  @Test
  void requirementTheKnownVersionFailsIsCheckedAgainstTheCurrentOne() {
    commit(id, uuidOf(created), setProperty("a", "1"));
    TableMetadata theirs = schemaChangedByAnotherNode();

    TableMetadata result =
        commit(
            id,
            List.of(new UpdateRequirement.AssertCurrentSchemaID(theirs.currentSchemaId())),
            setProperty("b", "2"));

    assertThat(result.currentSchemaId()).isEqualTo(theirs.currentSchemaId());
    assertThat(result.properties()).containsEntry("a", "1").containsEntry("b", "2");
    assertThat(catalog.files.deleted()).isEmpty();
  }

  /** Nothing to swap means no compare: an unchanged table is checked against the current one. */
  @Test
  void commitThatChangesNothingIsCheckedAgainstTheCurrentVersion() {
    commit(id, uuidOf(created), setProperty("a", "1"));
    schemaChangedByAnotherNode();

    assertThatThrownBy(
            () ->
                commit(
                    id,
                    List.of(new UpdateRequirement.AssertCurrentSchemaID(created.currentSchemaId()))))
        .isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("current schema changed");
    TableMetadata unchanged = commit(id, uuidOf(created));
    assertThat(unchanged.metadataFileLocation())
        .isEqualTo(catalog.load(id).metadataFileLocation());
  }

  /** Another node adds a column and makes that schema current. */
  private TableMetadata schemaChangedByAnotherNode() {
    return catalog
        .newNode()
        .tableCommits()
        .commit(
            WAREHOUSE,
            new TableCommit(
                id,
                uuidOf(created),
                List.of(
                    new MetadataUpdate.AddSchema(withColumn(created.schema(), "added")),
                    new MetadataUpdate.SetCurrentSchema(-1))))
        .metadata();
  }

  @Test
  void tableDroppedAndCreatedAgainSinceIsCommittedAsTheNewTable() {
    commit(id, uuidOf(created), setProperty("old", "1"));
    catalog.newNode().tables().drop(WAREHOUSE, id, false);
    TableMetadata recreated = catalog.createTable(id);

    // No requirement: only the swap can tell that the known version is another table's.
    TableMetadata result = commit(id, List.of(), setProperty("new", "1"));

    assertThat(result.uuid()).isEqualTo(recreated.uuid());
    assertThat(result.properties()).containsEntry("new", "1").doesNotContainKey("old");
    assertThat(catalog.load(id).metadataFileLocation()).isEqualTo(result.metadataFileLocation());
  }

  // ---- lost races

  @Test
  void lostRaceIsRetriedOnFreshMetadata() {
    List<String> raced = new ArrayList<>();
    catalog.store.beforeNextApply(
        changes -> raced.add(catalog.setProperty(id, "theirs", "1").metadataFileLocation()));

    TableMetadata result = commit(id, uuidOf(created), setProperty("mine", "1"));

    // Both commits survive: ours was redone on top of theirs.
    assertThat(result.properties()).containsEntry("theirs", "1").containsEntry("mine", "1");
    assertThat(fileName(result.metadataFileLocation())).startsWith("00002-");
    assertThat(result.previousFiles()).extracting(MetadataLogEntry::file).endsWith(raced.get(0));
    // The file of the attempt that lost is gone, and nothing else of ours is left behind.
    String lostAttempt = ourFirstAttempt(raced);
    assertThat(catalog.files.exists(lostAttempt)).isFalse();
    assertThat(catalog.files.existing()).hasSize(3);
  }

  @Test
  void concurrentCommitThatBreaksARequirementFailsWithoutRetry() {
    catalog.store.beforeNextApply(
        changes ->
            catalog.commit(
                id,
                new MetadataUpdate.AddSchema(withColumn(created.schema(), "added")),
                new MetadataUpdate.SetCurrentSchema(-1)));
    int writesBefore = catalog.files.written().size();

    assertThatThrownBy(
            () ->
                commit(
                    id,
                    List.of(new UpdateRequirement.AssertCurrentSchemaID(created.currentSchemaId())),
                    setProperty("mine", "1")))
        .isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("current schema changed");

    // Our one attempt and the concurrent commit: no second attempt was written.
    assertThat(catalog.files.written()).hasSize(writesBefore + 2);
    assertThat(catalog.files.deleted()).hasSize(1);
    assertThat(catalog.load(id).properties()).doesNotContainKey("mine");
  }

  @ParameterizedTest(name = "maxAttempts {0}")
  @ValueSource(ints = {1, 2, 5})
  void alwaysLosingGivesUpAfterMaxAttempts(int maxAttempts) {
    TestCatalog bounded =
        new TestCatalog(new CommitRetryPolicy(maxAttempts, Duration.ZERO, Duration.ZERO));
    TableIdentifier table = TableIdentifier.of(bounded.namespace("ns"), "hot");
    TableMetadata start = bounded.createTable(table);
    AtomicInteger concurrent = new AtomicInteger();
    bounded.store.beforeEveryApply(
        changes ->
            bounded.setProperty(table, "theirs", Integer.toString(concurrent.incrementAndGet())));
    int writesBefore = bounded.files.written().size();

    assertThatThrownBy(
            () ->
                bounded
                    .services
                    .tableCommits()
                    .commit(
                        WAREHOUSE,
                        new TableCommit(table, uuidOf(start), List.of(setProperty("mine", "1")))))
        .isInstanceOf(CommitFailedException.class);

    assertThat(concurrent).hasValue(maxAttempts);
    // One file per attempt of ours, one per concurrent commit; every one of ours deleted.
    assertThat(bounded.files.written()).hasSize(writesBefore + 2 * maxAttempts);
    assertThat(bounded.files.deleted()).hasSize(maxAttempts);
    assertThat(bounded.files.deleted()).noneMatch(bounded.files::exists);
    assertThat(bounded.load(table).properties()).doesNotContainKey("mine");
  }

  /**
   * Stale values after a retry are Iceberg's retryable validation: a 409, for the client to redo.
   */
  @Test
  void snapshotMadeStaleByAConcurrentAppendIsAConflict() {
    catalog.commit(id, addSnapshot(1, null, 1), mainAt(1));
    catalog.store.beforeNextApply(changes -> catalog.commit(id, addSnapshot(2, 1L, 2), mainAt(2)));

    // No requirement on main: only the sequence number can tell the snapshot is stale.
    assertThatThrownBy(() -> commit(id, List.of(), addSnapshot(3, 1L, 2)))
        .isInstanceOf(CommitFailedException.class)
        .hasCauseInstanceOf(RetryableValidationException.class);
    assertThat(catalog.load(id).snapshot(3)).isNull();
  }

  // ---- unknown outcomes and definite failures

  @Test
  void storeLostAfterTheSwapLandedIsASuccess() {
    catalog.store.failNextApply(new ServiceUnavailableException("connection reset"), true);

    TableMetadata result = commit(id, uuidOf(created), setProperty("k", "v"));

    assertThat(catalog.load(id).metadataFileLocation()).isEqualTo(result.metadataFileLocation());
    assertThat(catalog.files.exists(result.metadataFileLocation())).isTrue();
  }

  @Test
  void storeLostBeforeTheSwapIsAnUnknownOutcomeAndTheFileIsKept() {
    catalog.store.failNextApply(new ServiceUnavailableException("connection reset"), false);

    assertThatThrownBy(() -> commit(id, uuidOf(created), setProperty("k", "v")))
        .isInstanceOf(CommitStateUnknownException.class);

    // A late commit of the lost transaction could still point at the file: it must stay.
    String written = last(catalog.files.written());
    assertThat(catalog.files.exists(written)).isTrue();
    assertThat(catalog.files.deleted()).isEmpty();
    assertThat(catalog.load(id).metadataFileLocation()).isEqualTo(created.metadataFileLocation());
  }

  @Test
  void unknownOutcomeThatCannotBeVerifiedStaysUnknown() {
    catalog.store.failNextApply(new ServiceUnavailableException("connection reset"), true);
    // Armed during the swap, so it hits the read that verifies it, not the one the plan starts with.
    catalog.store.beforeNextApply(
        changes ->
            catalog.store.failNextPointerRead(new ServiceUnavailableException("still down")));

    assertThatThrownBy(() -> commit(id, uuidOf(created), setProperty("k", "v")))
        .isInstanceOf(CommitStateUnknownException.class);
    assertThat(catalog.files.deleted()).isEmpty();
  }

  @Test
  void tableDroppedConcurrentlyIsADefiniteFailureAndTheFileIsDeleted() {
    catalog.store.beforeNextApply(changes -> catalog.services.tables().drop(WAREHOUSE, id, false));

    assertThatThrownBy(() -> commit(id, uuidOf(created), setProperty("k", "v")))
        .isInstanceOf(NoSuchTableException.class);

    assertThat(catalog.files.deleted())
        .singleElement()
        .satisfies(f -> assertThat(catalog.files.exists(f)).isFalse());
  }

  @Test
  void createCommitIntoAMissingNamespaceDeletesItsFile() {
    TableIdentifier orphan = TableIdentifier.of(Namespace.of("missing"), "t");

    assertThatThrownBy(
            () ->
                catalog
                    .services
                    .tableCommits()
                    .commit(WAREHOUSE, createCommit(orphan, "file:/warehouse/missing/t")))
        .isInstanceOf(NoSuchNamespaceException.class);

    assertThat(catalog.files.deleted()).hasSize(1);
    assertThat(catalog.files.existing()).containsExactly(created.metadataFileLocation());
  }

  @Test
  void missingTableOrWarehouse() {
    TableCommit commit =
        new TableCommit(TableIdentifier.of(ns, "nope"), List.of(), List.of(setProperty("k", "v")));

    assertThatThrownBy(() -> catalog.services.tableCommits().commit(WAREHOUSE, commit))
        .isInstanceOf(NoSuchTableException.class);
    assertThatThrownBy(() -> catalog.services.tableCommits().commit("nowhere", commit))
        .isInstanceOf(NoSuchWarehouseException.class);
  }

  // ---- create commits (staged create)

  @Test
  void assertCreateCommitCreatesTheStagedTable() {
    TableIdentifier staged = TableIdentifier.of(ns, "staged");
    TableMetadata stage =
        catalog
            .services
            .tables()
            .stageCreate(
                WAREHOUSE,
                ns,
                CreateTableRequest.builder()
                    .withName("staged")
                    .withSchema(TestCatalog.SCHEMA)
                    .build());
    assertThat(catalog.files.written()).hasSize(1);

    TableMetadata result =
        catalog
            .services
            .tableCommits()
            .commit(WAREHOUSE, createCommit(staged, stage.location(), stage.uuid()))
            .metadata();

    assertThat(result.uuid()).isEqualTo(stage.uuid());
    assertThat(fileName(result.metadataFileLocation())).startsWith("00000-");
    assertThat(catalog.load(staged).metadataFileLocation())
        .isEqualTo(result.metadataFileLocation());
    assertThat(catalog.store.events(WAREHOUSE))
        .last()
        .isInstanceOf(CatalogChange.ObjectCreated.class);
  }

  @Test
  void assertCreateOnAnExistingTableIsAConflictAndWritesNothing() {
    int writes = catalog.files.written().size();

    assertThatThrownBy(
            () ->
                catalog
                    .services
                    .tableCommits()
                    .commit(WAREHOUSE, createCommit(id, created.location())))
        .isInstanceOf(CommitFailedException.class);
    assertThat(catalog.files.written()).hasSize(writes);
  }

  /** The create-commit route must enforce the same naming rules as create-table. */
  @Test
  void createCommitWithAnInvalidNameIsABadRequest() {
    TableIdentifier invalid = TableIdentifier.of(ns, "bad\u0007name");

    assertThatThrownBy(
            () ->
                catalog
                    .services
                    .tableCommits()
                    .commit(WAREHOUSE, createCommit(invalid, "file:/warehouse/ns/bad")))
        .isInstanceOf(BadRequestException.class);
    assertThat(catalog.services.tables().list(WAREHOUSE, ns, PageRequest.ALL).items())
        .containsExactly(id);
  }

  @Test
  void tableCreatedConcurrentlyWithACreateCommitIsAlreadyExists() {
    TableIdentifier racing = TableIdentifier.of(ns, "racing");
    catalog.store.beforeNextApply(changes -> catalog.createTable(racing));

    // A 409 either way; the store's message names what took the name (a table or a view).
    assertThatThrownBy(
            () ->
                catalog
                    .services
                    .tableCommits()
                    .commit(WAREHOUSE, createCommit(racing, "file:/warehouse/ns/racing")))
        .isInstanceOf(AlreadyExistsException.class);
    // Our file is deleted; the winner's table is intact.
    assertThat(catalog.files.deleted()).hasSize(1);
    assertThat(catalog.files.exists(catalog.load(racing).metadataFileLocation())).isTrue();
  }

  // ---- locations

  static Stream<Arguments> disallowedLocations() {
    return Stream.of(
        Arguments.of("set-location outside", new MetadataUpdate.SetLocation("file:/elsewhere/t")),
        Arguments.of(
            "set-location next to the root", new MetadataUpdate.SetLocation("file:/warehouse2/t")),
        Arguments.of(
            "set-location climbing out", new MetadataUpdate.SetLocation("file:/warehouse/../etc")),
        Arguments.of(
            "write.metadata.path outside",
            new MetadataUpdate.SetProperties(
                Map.of(TableProperties.WRITE_METADATA_LOCATION, "s3://foreign/meta"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("disallowedLocations")
  void locationsOutsideTheWarehouseAreBadRequests(String name, MetadataUpdate update) {
    int writes = catalog.files.written().size();

    assertThatThrownBy(() -> commit(id, uuidOf(created), update))
        .isInstanceOf(BadRequestException.class);
    assertThat(catalog.files.written()).hasSize(writes);
  }

  @Test
  void movingToAnotherAllowedRootWritesThere() {
    TableMetadata result =
        commit(
            id,
            uuidOf(created),
            new MetadataUpdate.SetLocation(TestCatalog.SHARED_ROOT + "/moved"));

    assertThat(result.metadataFileLocation())
        .startsWith(TestCatalog.SHARED_ROOT + "/moved/metadata/00001-");
  }

  // ---- multi-table commits

  @Test
  void multiTableCommitSwapsEveryPointerInOneBatch() {
    TableIdentifier other = TableIdentifier.of(ns, "other");
    TableMetadata otherCreated = catalog.createTable(other);
    int applies = catalog.store.applyCalls();

    List<CommittedTable> results =
        catalog
            .services
            .tableCommits()
            .commitAll(
                WAREHOUSE,
                List.of(
                    new TableCommit(id, uuidOf(created), List.of(setProperty("a", "1"))),
                    new TableCommit(other, uuidOf(otherCreated), List.of(setProperty("b", "2")))));

    assertThat(results)
        .extracting(result -> result.metadata().uuid())
        .containsExactly(created.uuid(), otherCreated.uuid());
    assertThat(catalog.load(id).properties()).containsEntry("a", "1");
    assertThat(catalog.load(other).properties()).containsEntry("b", "2");
    assertThat(catalog.store.applyCalls()).isEqualTo(applies + 1);
  }

  @Test
  void multiTableCommitWithOneFailingRequirementChangesNothing() {
    TableIdentifier other = TableIdentifier.of(ns, "other");
    catalog.createTable(other);
    int writes = catalog.files.written().size();

    assertThatThrownBy(
            () ->
                catalog
                    .services
                    .tableCommits()
                    .commitAll(
                        WAREHOUSE,
                        List.of(
                            new TableCommit(id, uuidOf(created), List.of(setProperty("a", "1"))),
                            new TableCommit(
                                other,
                                List.of(new UpdateRequirement.AssertTableUUID(created.uuid())),
                                List.of(setProperty("b", "2"))))))
        .isInstanceOf(CommitFailedException.class);

    assertThat(catalog.files.written()).hasSize(writes);
    assertThat(catalog.load(id).properties()).doesNotContainKey("a");
  }

  @Test
  void multiTableCommitFailingInTheStoreLeavesNoTableChangedAndNoFile() {
    TableIdentifier other = TableIdentifier.of(ns, "other");
    TableMetadata otherCreated = catalog.createTable(other);
    catalog.store.beforeNextApply(
        changes -> catalog.services.tables().drop(WAREHOUSE, other, false));

    assertThatThrownBy(
            () ->
                catalog
                    .services
                    .tableCommits()
                    .commitAll(
                        WAREHOUSE,
                        List.of(
                            new TableCommit(id, uuidOf(created), List.of(setProperty("a", "1"))),
                            new TableCommit(
                                other, uuidOf(otherCreated), List.of(setProperty("b", "2"))))))
        .isInstanceOf(NoSuchTableException.class);

    assertThat(catalog.load(id).metadataFileLocation()).isEqualTo(created.metadataFileLocation());
    assertThat(catalog.files.deleted()).hasSize(2).noneMatch(catalog.files::exists);
  }

  @Test
  void multiTableCommitLosingOnOneTableRetriesBoth() {
    TableIdentifier other = TableIdentifier.of(ns, "other");
    TableMetadata otherCreated = catalog.createTable(other);
    catalog.store.beforeNextApply(changes -> catalog.setProperty(other, "theirs", "1"));

    List<CommittedTable> results =
        catalog
            .services
            .tableCommits()
            .commitAll(
                WAREHOUSE,
                List.of(
                    new TableCommit(id, uuidOf(created), List.of(setProperty("a", "1"))),
                    new TableCommit(other, uuidOf(otherCreated), List.of(setProperty("b", "2")))));

    assertThat(results.get(1).metadata().properties()).containsEntry("theirs", "1").containsEntry("b", "2");
    assertThat(catalog.load(id).properties()).containsEntry("a", "1");
    assertThat(catalog.files.deleted()).hasSize(2).noneMatch(catalog.files::exists);
  }

  @Test
  void multiTableCommitWithAnUnchangedTableWritesOnlyTheChangedOne() {
    TableIdentifier other = TableIdentifier.of(ns, "other");
    TableMetadata otherCreated = catalog.createTable(other);
    int writes = catalog.files.written().size();

    List<CommittedTable> results =
        catalog
            .services
            .tableCommits()
            .commitAll(
                WAREHOUSE,
                List.of(
                    new TableCommit(id, uuidOf(created), List.of(setProperties(Map.of()))),
                    new TableCommit(other, uuidOf(otherCreated), List.of(setProperty("b", "2")))));

    assertThat(results.get(0).metadata().metadataFileLocation())
        .isEqualTo(created.metadataFileLocation());
    assertThat(catalog.files.written()).hasSize(writes + 1);
    assertThat(results)
        .allSatisfy(
            result ->
                assertThat(new String(result.metadataJson().utf8(), StandardCharsets.UTF_8))
                    .isEqualTo(TableMetadataParser.toJson(result.metadata())));
  }

  static Stream<Arguments> duplicateTables() {
    TableIdentifier t = TableIdentifier.of("ns", "t");
    return Stream.of(
        Arguments.of("same identifier", t, t),
        // The store compares names case-insensitively: these are one table.
        Arguments.of("same table, other case", t, TableIdentifier.of("NS", "T")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("duplicateTables")
  void tableTwiceInOneCommitIsABadRequest(
      String name, TableIdentifier first, TableIdentifier second) {
    int writes = catalog.files.written().size();

    assertThatThrownBy(
            () ->
                catalog
                    .services
                    .tableCommits()
                    .commitAll(
                        WAREHOUSE,
                        List.of(
                            new TableCommit(first, uuidOf(created), List.of(setProperty("a", "1"))),
                            new TableCommit(
                                second, uuidOf(created), List.of(setProperty("b", "2"))))))
        .isInstanceOf(BadRequestException.class);
    assertThat(catalog.files.written()).hasSize(writes);
  }

  @Test
  void emptyCommitIsABadRequest() {
    assertThatThrownBy(() -> catalog.services.tableCommits().commitAll(WAREHOUSE, List.of()))
        .isInstanceOf(BadRequestException.class);
  }

  // ---- real threads

  /** Writers race on one table with real threads: every commit lands once, no file is orphaned. */
  @Test
  void concurrentWritersLoseNothing() throws Exception {
    TestCatalog shared =
        new TestCatalog(new CommitRetryPolicy(200, Duration.ZERO, Duration.ofMillis(1)));
    TableIdentifier hot = TableIdentifier.of(shared.namespace("ns"), "hot");
    TableMetadata start = shared.createTable(hot);
    int writers = 6;
    int commitsEach = 8;
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int w = 0; w < writers; w++) {
      int writer = w;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < commitsEach; i++) {
                        shared
                            .services
                            .tableCommits()
                            .commit(
                                WAREHOUSE,
                                new TableCommit(
                                    hot,
                                    uuidOf(start),
                                    List.of(setProperty("writer-" + writer + "-" + i, "x"))));
                      }
                    } catch (Throwable t) {
                      failures.add(t);
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(failures).isEmpty();
    TableMetadata end = shared.load(hot);
    assertThat(end.properties().keySet().stream().filter(k -> k.startsWith("writer-")))
        .hasSize(writers * commitsEach);
    assertThat(end.previousFiles()).hasSize(writers * commitsEach);
    // Every file left is the current one or in the log: lost attempts were cleaned up.
    Set<String> referenced = new HashSet<>();
    referenced.add(end.metadataFileLocation());
    end.previousFiles().forEach(e -> referenced.add(e.file()));
    assertThat(shared.files.existing()).containsExactlyInAnyOrderElementsOf(referenced);
  }

  /**
   * Writers on one node append to one branch as engines do, each asserting the snapshot it built
   * on: they take turns, so a stale writer fails before writing anything, no swap is ever lost and
   * every acknowledged snapshot is in the branch's history.
   */
  @Test
  void writersOnOneNodeTakeTurnsOnAHotTable() throws Exception {
    catalog = TestCatalog.patient();
    TableIdentifier hot = TableIdentifier.of(catalog.namespace("ns"), "hot");
    catalog.createTable(hot);
    int filesBefore = catalog.files.written().size();
    int writers = 8;
    int commitsEach = 10;
    List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
    List<CommitFailedException> conflicts = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      long firstId = (w + 1) * 1_000L;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (long next = firstId; next < firstId + commitsEach; ) {
                        try {
                          appendAsserting(hot, next);
                          acknowledged.add(next++);
                        } catch (CommitFailedException conflict) {
                          conflicts.add(conflict);
                        }
                      }
                    } catch (Throwable t) {
                      failures.add(t);
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(failures).isEmpty();
    TableMetadata end = catalog.load(hot);
    List<Long> history = new ArrayList<>();
    for (Long s = end.ref(SnapshotRef.MAIN_BRANCH).snapshotId();
        s != null;
        s = end.snapshot(s).parentId()) {
      history.add(s);
    }
    assertThat(history).containsExactlyInAnyOrderElementsOf(acknowledged);
    assertThat(history).hasSize(writers * commitsEach);
    assertThat(catalog.store.lostSwaps()).isZero();
    assertThat(catalog.files.written()).hasSize(filesBefore + writers * commitsEach);
    assertThat(catalog.files.deleted()).isEmpty();
    assertThat(conflicts)
        .allSatisfy(c -> assertThat(c).hasMessageContaining("Requirement failed: branch main"));
  }

  /** Two multi-table commits naming the same tables in opposite orders never wait on each other. */
  @Test
  @Timeout(60)
  void crossingMultiTableCommitsDoNotDeadlock() throws Exception {
    // Waits long enough that only a deadlock could stop the test, not a fall-back.
    TestCatalog patient = TestCatalog.patient();
    Namespace space = patient.namespace("ns");
    TableIdentifier a = TableIdentifier.of(space, "a");
    TableIdentifier b = TableIdentifier.of(space, "b");
    List<UpdateRequirement> aIs = uuidOf(patient.createTable(a));
    List<UpdateRequirement> bIs = uuidOf(patient.createTable(b));
    int rounds = 50;
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (String writer : List.of("ab", "ba")) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < rounds; i++) {
                        TableCommit onA = new TableCommit(a, aIs, List.of(setProperty(writer + i, "x")));
                        TableCommit onB = new TableCommit(b, bIs, List.of(setProperty(writer + i, "x")));
                        patient
                            .services
                            .tableCommits()
                            .commitAll(
                                WAREHOUSE, writer.equals("ab") ? List.of(onA, onB) : List.of(onB, onA));
                      }
                    } catch (Throwable t) {
                      failures.add(t);
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(failures).isEmpty();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      written.addAll(List.of("ab" + i, "ba" + i));
    }
    assertThat(patient.load(a).properties()).containsKeys(written.toArray(String[]::new));
    assertThat(patient.load(b).properties()).containsKeys(written.toArray(String[]::new));
    assertThat(patient.store.lostSwaps()).isZero();
  }

  /**
   * A commit that waited too long for its turn goes ahead without it; the swap still decides, so
   * the one it overtook retries and both land.
   */
  @Test
  void commitThatWaitedTooLongGoesAheadAndTheSwapDecides() throws Exception {
    TestCatalog impatient =
        new TestCatalog(
            new CommitRetryPolicy(4, Duration.ZERO, Duration.ZERO), Duration.ofMillis(50));
    TableIdentifier table = TableIdentifier.of(impatient.namespace("ns"), "t");
    List<UpdateRequirement> tableIs = uuidOf(impatient.createTable(table));
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    // While the first commit holds its turn, inside its transaction, a second one arrives.
    impatient.store.beforeNextApply(
        changes -> {
          Thread second =
              Thread.ofPlatform()
                  .start(
                      () -> {
                        try {
                          impatient
                              .services
                              .tableCommits()
                              .commit(
                                  WAREHOUSE,
                                  new TableCommit(
                                      table, tableIs, List.of(setProperty("second", "1"))));
                        } catch (Throwable t) {
                          failures.add(t);
                        }
                      });
          try {
            second.join();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
        });

    impatient
        .services
        .tableCommits()
        .commit(WAREHOUSE, new TableCommit(table, tableIs, List.of(setProperty("first", "1"))));

    assertThat(failures).isEmpty();
    assertThat(impatient.load(table).properties())
        .containsEntry("first", "1")
        .containsEntry("second", "1");
    assertThat(impatient.store.lostSwaps()).isEqualTo(1);
  }

  // ---- helpers

  /** Appends snapshot {@code snapshotId} to main, asserting main is where this writer saw it. */
  private void appendAsserting(TableIdentifier table, long snapshotId) {
    TableMetadata seen = catalog.load(table);
    Long parent = seen.currentSnapshot() == null ? null : seen.currentSnapshot().snapshotId();
    appendAssertingMainAt(table, snapshotId, parent, seen.lastSequenceNumber() + 1);
  }

  /** Appends {@code snapshotId} to main of {@link #id}, asserting main at {@code parent}. */
  private TableMetadata appendAssertingMainAt(long snapshotId, Long parent) {
    return appendAssertingMainAt(id, snapshotId, parent, snapshotId);
  }

  private TableMetadata appendAssertingMainAt(
      TableIdentifier table, long snapshotId, Long parent, long sequence) {
    return catalog
        .services
        .tableCommits()
        .commit(
            WAREHOUSE,
            new TableCommit(
                table,
                List.of(new UpdateRequirement.AssertRefSnapshotID(SnapshotRef.MAIN_BRANCH, parent)),
                List.of(addSnapshot(snapshotId, parent, sequence), mainAt(snapshotId))))
        .metadata();
  }

  /** Waits until {@code thread} waits: for these tests, in the queue for a table's turn. */
  private static void awaitParked(Thread thread) {
    while (thread.getState() != Thread.State.TIMED_WAITING
        && thread.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
  }

  private TableMetadata commit(
      TableIdentifier table, List<UpdateRequirement> requirements, MetadataUpdate... updates) {
    return catalog
        .services
        .tableCommits()
        .commit(WAREHOUSE, new TableCommit(table, requirements, List.of(updates)))
        .metadata();
  }

  private static List<UpdateRequirement> uuidOf(TableMetadata table) {
    return List.of(new UpdateRequirement.AssertTableUUID(table.uuid()));
  }

  private static MetadataUpdate setProperty(String key, String value) {
    return setProperties(Map.of(key, value));
  }

  private static MetadataUpdate setProperties(Map<String, String> properties) {
    return new MetadataUpdate.SetProperties(properties);
  }

  private static MetadataUpdate addSnapshot(long id, Long parent, long sequence) {
    return new MetadataUpdate.AddSnapshot(
        SnapshotParser.fromJson(
            String.format(
                Locale.ROOT,
                "{\"snapshot-id\":%d,%s\"sequence-number\":%d,\"timestamp-ms\":%d,"
                    + "\"summary\":{\"operation\":\"append\"},"
                    + "\"manifest-list\":\"file:/warehouse/ns/t/metadata/snap-%d.avro\"}",
                id,
                parent == null ? "" : "\"parent-snapshot-id\":" + parent + ",",
                sequence,
                1_700_000_000_000L + id,
                id)));
  }

  private static MetadataUpdate mainAt(long snapshotId) {
    return new MetadataUpdate.SetSnapshotRef(
        SnapshotRef.MAIN_BRANCH, snapshotId, SnapshotRefType.BRANCH, null, null, null);
  }

  private static Schema withColumn(Schema schema, String name) {
    List<Types.NestedField> columns = new ArrayList<>(schema.columns());
    columns.add(
        Types.NestedField.optional(schema.highestFieldId() + 1, name, Types.StringType.get()));
    return new Schema(columns);
  }

  /** A create commit as Iceberg's client sends it for a staged table. */
  private static TableCommit createCommit(TableIdentifier table, String location) {
    return createCommit(table, location, UUID.randomUUID().toString());
  }

  private static TableCommit createCommit(TableIdentifier table, String location, String uuid) {
    return new TableCommit(
        table,
        List.of(new UpdateRequirement.AssertTableDoesNotExist()),
        List.of(
            new MetadataUpdate.AssignUUID(uuid),
            new MetadataUpdate.UpgradeFormatVersion(2),
            new MetadataUpdate.AddSchema(TestCatalog.SCHEMA),
            new MetadataUpdate.SetCurrentSchema(-1),
            new MetadataUpdate.AddPartitionSpec(PartitionSpec.unpartitioned()),
            new MetadataUpdate.SetDefaultPartitionSpec(-1),
            new MetadataUpdate.AddSortOrder(SortOrder.unsorted()),
            new MetadataUpdate.SetDefaultSortOrder(-1),
            new MetadataUpdate.SetLocation(location)));
  }

  private String ourFirstAttempt(List<String> raced) {
    // Written in order: create, our first attempt, the concurrent commit, our retry.
    List<String> written = catalog.files.written();
    return written.stream()
        .filter(w -> !w.equals(created.metadataFileLocation()) && !raced.contains(w))
        .findFirst()
        .orElseThrow();
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  private static String fileName(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }
}
