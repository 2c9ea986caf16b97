package io.bingsan.domain.commit;

import static io.bingsan.domain.commit.TestTables.FIRST;
import static io.bingsan.domain.commit.TestTables.SECOND;
import static io.bingsan.domain.commit.TestTables.snapshot;
import static io.bingsan.domain.commit.TestTables.wire;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.RetryableValidationException;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SnapshotRefType;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.encryption.EncryptedKey;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every table update Iceberg knows, applied to a table with history. Each case states what the
 * update means for the result, and is checked again against iceberg-core's own handlers.
 */
class TableCommitRulesUpdatesTest {
  private static final String NEW_LOCATION = "s3://bucket/moved/t";

  private record Case(
      String name,
      int formatVersion,
      Function<TableMetadata, List<MetadataUpdate>> updates,
      BiConsumer<TableMetadata, TableMetadata> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case v2(
      String name,
      Function<TableMetadata, List<MetadataUpdate>> updates,
      BiConsumer<TableMetadata, TableMetadata> check) {
    return new Case(name, 2, updates, check);
  }

  static Stream<Case> cases() {
    return Stream.of(
        v2(
            "upgrade-format-version",
            m -> List.of(new MetadataUpdate.UpgradeFormatVersion(3)),
            (base, r) -> {
              assertThat(r.formatVersion()).isEqualTo(3);
              assertThat(snapshotIds(r)).isEqualTo(snapshotIds(base));
            }),
        v2(
            "add-schema",
            m -> List.of(new MetadataUpdate.AddSchema(withExtraColumn(m.schema()))),
            (base, r) -> {
              assertThat(r.schemas()).hasSize(base.schemas().size() + 1);
              assertThat(r.lastColumnId()).isEqualTo(base.lastColumnId() + 1);
              // Adding is not switching: readers keep the current schema.
              assertThat(r.currentSchemaId()).isEqualTo(base.currentSchemaId());
            }),
        v2(
            "add-schema, set-current-schema -1 (the one just added)",
            m ->
                List.of(
                    new MetadataUpdate.AddSchema(withExtraColumn(m.schema())),
                    new MetadataUpdate.SetCurrentSchema(-1)),
            (base, r) -> {
              assertThat(r.currentSchemaId()).isNotEqualTo(base.currentSchemaId());
              assertThat(r.schema().findField("extra")).isNotNull();
            }),
        v2(
            "set-current-schema to an older schema",
            m -> List.of(new MetadataUpdate.SetCurrentSchema(olderSchema(m))),
            (base, r) -> {
              assertThat(r.currentSchemaId()).isEqualTo(olderSchema(base));
              assertThat(r.schema().findField("ts")).isNull();
            }),
        v2(
            "add-spec",
            m -> List.of(new MetadataUpdate.AddPartitionSpec(truncateData(m))),
            (base, r) -> {
              assertThat(r.specs()).hasSize(base.specs().size() + 1);
              assertThat(r.defaultSpecId()).isEqualTo(base.defaultSpecId());
              assertThat(r.lastAssignedPartitionId()).isGreaterThan(base.lastAssignedPartitionId());
            }),
        v2(
            "add-spec, set-default-spec -1",
            m ->
                List.of(
                    new MetadataUpdate.AddPartitionSpec(truncateData(m)),
                    new MetadataUpdate.SetDefaultPartitionSpec(-1)),
            (base, r) -> {
              assertThat(r.defaultSpecId()).isNotEqualTo(base.defaultSpecId());
              assertThat(r.spec().fields())
                  .singleElement()
                  .satisfies(f -> assertThat(f.transform().toString()).isEqualTo("truncate[4]"));
            }),
        v2(
            "set-default-spec to an older spec",
            m -> List.of(new MetadataUpdate.SetDefaultPartitionSpec(olderSpec(m))),
            (base, r) -> assertThat(r.defaultSpecId()).isEqualTo(olderSpec(base))),
        v2(
            "add-sort-order",
            m -> List.of(new MetadataUpdate.AddSortOrder(ascData(m))),
            (base, r) -> {
              assertThat(r.sortOrders()).hasSize(base.sortOrders().size() + 1);
              assertThat(r.defaultSortOrderId()).isEqualTo(base.defaultSortOrderId());
            }),
        v2(
            "add-sort-order, set-default-sort-order -1",
            m ->
                List.of(
                    new MetadataUpdate.AddSortOrder(ascData(m)),
                    new MetadataUpdate.SetDefaultSortOrder(-1)),
            (base, r) -> {
              assertThat(r.defaultSortOrderId()).isNotEqualTo(base.defaultSortOrderId());
              assertThat(r.sortOrder().fields())
                  .singleElement()
                  .satisfies(f -> assertThat(f.sourceId()).isEqualTo(2));
            }),
        v2(
            "set-default-sort-order to an older order",
            m -> List.of(new MetadataUpdate.SetDefaultSortOrder(olderSortOrder(m))),
            (base, r) -> assertThat(r.defaultSortOrderId()).isEqualTo(olderSortOrder(base))),
        v2(
            "add-snapshot",
            m -> List.of(new MetadataUpdate.AddSnapshot(snapshot(2, 103, SECOND, 3, 0))),
            (base, r) -> {
              assertThat(r.snapshot(103)).isNotNull();
              // Not yet on a branch: readers still see the old snapshot.
              assertThat(r.currentSnapshot().snapshotId()).isEqualTo(SECOND);
              assertThat(r.lastSequenceNumber()).isEqualTo(3);
            }),
        v2(
            "add-snapshot, set-snapshot-ref main (an append)",
            m ->
                List.of(
                    new MetadataUpdate.AddSnapshot(snapshot(2, 103, SECOND, 3, 0)), mainAt(103)),
            (base, r) -> {
              assertThat(r.currentSnapshot().snapshotId()).isEqualTo(103);
              assertThat(r.snapshotLog()).hasSize(base.snapshotLog().size() + 1);
              assertThat(r.snapshotLog().get(r.snapshotLog().size() - 1).snapshotId())
                  .isEqualTo(103);
            }),
        new Case(
            "add-snapshot with row lineage (v3)",
            3,
            m ->
                List.of(
                    new MetadataUpdate.AddSnapshot(snapshot(3, 103, SECOND, 3, m.nextRowId())),
                    mainAt(103)),
            (base, r) -> assertThat(r.nextRowId()).isEqualTo(base.nextRowId() + 10)),
        v2(
            "set-snapshot-ref main back to an older snapshot (a rollback)",
            m -> List.of(mainAt(FIRST)),
            (base, r) -> {
              assertThat(r.currentSnapshot().snapshotId()).isEqualTo(FIRST);
              assertThat(snapshotIds(r)).isEqualTo(snapshotIds(base));
            }),
        v2(
            "set-snapshot-ref new branch with retention",
            m ->
                List.of(
                    new MetadataUpdate.SetSnapshotRef(
                        "dev", FIRST, SnapshotRefType.BRANCH, 5, 86_400_000L, 604_800_000L)),
            (base, r) -> {
              SnapshotRef dev = r.ref("dev");
              assertThat(dev.isBranch()).isTrue();
              assertThat(dev.snapshotId()).isEqualTo(FIRST);
              assertThat(dev.minSnapshotsToKeep()).isEqualTo(5);
              assertThat(dev.maxSnapshotAgeMs()).isEqualTo(86_400_000L);
              assertThat(dev.maxRefAgeMs()).isEqualTo(604_800_000L);
              assertThat(r.currentSnapshot().snapshotId()).isEqualTo(SECOND);
            }),
        v2(
            "set-snapshot-ref new tag",
            m ->
                List.of(
                    new MetadataUpdate.SetSnapshotRef(
                        "v2", SECOND, SnapshotRefType.TAG, null, null, 1_000L)),
            (base, r) -> {
              assertThat(r.ref("v2").isTag()).isTrue();
              assertThat(r.ref("v2").snapshotId()).isEqualTo(SECOND);
            }),
        v2(
            "remove-snapshots, several ids, with their refs and statistics",
            m ->
                List.of(
                    new MetadataUpdate.AddSnapshot(snapshot(2, 103, SECOND, 3, 0)),
                    new MetadataUpdate.AddSnapshot(snapshot(2, 104, 103L, 4, 0)),
                    new MetadataUpdate.RemoveSnapshots(Set.of(FIRST, 103L, 104L))),
            (base, r) -> {
              assertThat(snapshotIds(r)).containsExactly(SECOND);
              // Refs to a removed snapshot go with it; main was elsewhere and stays.
              assertThat(r.refs()).containsOnlyKeys(SnapshotRef.MAIN_BRANCH);
              assertThat(r.statisticsFiles()).isEmpty();
              assertThat(r.partitionStatisticsFiles()).isEmpty();
            }),
        v2(
            "remove-snapshot-ref",
            m -> List.of(new MetadataUpdate.RemoveSnapshotRef("audit")),
            (base, r) -> {
              assertThat(r.ref("audit")).isNull();
              assertThat(r.snapshot(FIRST)).isNotNull();
              assertThat(r.ref("v1")).isNotNull();
            }),
        v2(
            "set-location",
            m -> List.of(new MetadataUpdate.SetLocation(NEW_LOCATION)),
            (base, r) -> assertThat(r.location()).isEqualTo(NEW_LOCATION)),
        v2(
            "set-properties",
            m -> List.of(new MetadataUpdate.SetProperties(Map.of("a", "1", "owner", "bob"))),
            (base, r) -> {
              assertThat(r.properties()).containsEntry("a", "1").containsEntry("owner", "bob");
              assertThat(r.properties()).hasSize(base.properties().size() + 1);
            }),
        v2(
            "remove-properties",
            m -> List.of(new MetadataUpdate.RemoveProperties(Set.of("owner", "never-set"))),
            (base, r) -> {
              assertThat(base.properties()).containsKey("owner");
              assertThat(r.properties()).doesNotContainKey("owner");
            }),
        v2(
            "set-statistics for another snapshot",
            m -> List.of(new MetadataUpdate.SetStatistics(TestTables.statistics(SECOND))),
            (base, r) ->
                assertThat(statisticsSnapshots(r)).containsExactlyInAnyOrder(FIRST, SECOND)),
        v2(
            "set-statistics replaces a snapshot's statistics",
            m -> List.of(new MetadataUpdate.SetStatistics(replacedStatistics())),
            (base, r) ->
                assertThat(r.statisticsFiles())
                    .singleElement()
                    .satisfies(f -> assertThat(f.path()).isEqualTo(replacedStatistics().path()))),
        v2(
            "remove-statistics",
            m -> List.of(new MetadataUpdate.RemoveStatistics(FIRST)),
            (base, r) -> {
              assertThat(base.statisticsFiles()).isNotEmpty();
              assertThat(r.statisticsFiles()).isEmpty();
            }),
        v2(
            "set-partition-statistics",
            m ->
                List.of(
                    new MetadataUpdate.SetPartitionStatistics(
                        TestTables.partitionStatistics(SECOND))),
            (base, r) ->
                assertThat(
                        r.partitionStatisticsFiles().stream()
                            .map(PartitionStatisticsFile::snapshotId))
                    .containsExactlyInAnyOrder(FIRST, SECOND)),
        v2(
            "remove-partition-statistics",
            m -> List.of(new MetadataUpdate.RemovePartitionStatistics(FIRST)),
            (base, r) -> {
              assertThat(base.partitionStatisticsFiles()).isNotEmpty();
              assertThat(r.partitionStatisticsFiles()).isEmpty();
            }),
        v2(
            "remove-partition-specs",
            m -> List.of(new MetadataUpdate.RemovePartitionSpecs(Set.of(olderSpec(m)))),
            (base, r) -> {
              assertThat(r.specs())
                  .extracting(PartitionSpec::specId)
                  .containsExactly(base.defaultSpecId());
              assertThat(r.defaultSpecId()).isEqualTo(base.defaultSpecId());
            }),
        v2(
            "remove-schemas",
            m -> List.of(new MetadataUpdate.RemoveSchemas(Set.of(olderSchema(m)))),
            (base, r) ->
                assertThat(r.schemas())
                    .extracting(Schema::schemaId)
                    .containsExactly(base.currentSchemaId())),
        v2(
            "add-encryption-key",
            m -> List.of(new MetadataUpdate.AddEncryptionKey(TestTables.encryptionKey("key-1"))),
            (base, r) ->
                assertThat(r.encryptionKeys())
                    .extracting(EncryptedKey::keyId)
                    .containsExactlyInAnyOrder("key-0", "key-1")),
        v2(
            "remove-encryption-key",
            m -> List.of(new MetadataUpdate.RemoveEncryptionKey("key-0")),
            (base, r) -> {
              assertThat(base.encryptionKeys()).isNotEmpty();
              assertThat(r.encryptionKeys()).isEmpty();
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void updateIsApplied(Case c) {
    TableMetadata base = TestTables.base(c.formatVersion());

    TableMetadata result = TableCommitRules.apply(base, List.of(), wired(c.updates().apply(base)));

    assertThat(result.changes()).isNotEmpty();
    c.check().accept(base, result);
    // What the catalog keeps is the JSON file: the change must survive it.
    c.check().accept(base, TableMetadataParser.fromJson(TableMetadataParser.toJson(result)));
    // The metadata log gains the file this commit replaces.
    assertThat(result.previousFiles())
        .last()
        .satisfies(entry -> assertThat(entry.file()).isEqualTo(base.metadataFileLocation()));
  }

  /** Golden: the same commit through iceberg-core's CatalogHandlers yields the same metadata. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void agreesWithIcebergHandlers(Case c) {
    IcebergReference reference = new IcebergReference();
    IcebergReference.Registered table = reference.register(TestTables.base(c.formatVersion()));
    List<MetadataUpdate> updates = c.updates().apply(table.base());

    TableMetadata ours = TableCommitRules.apply(table.base(), List.of(), updates);
    TableMetadata theirs = reference.commit(table.identifier(), List.of(), updates);

    assertThat(IcebergReference.comparable(ours)).isEqualTo(IcebergReference.comparable(theirs));
  }

  @Test
  void casesCoverEveryTableUpdateOfIcebergCore() {
    // assign-uuid on an existing table is only valid as a no-op (see TableUuidTest).
    Set<Class<?>> covered =
        Stream.concat(
                cases()
                    .flatMap(c -> c.updates().apply(TestTables.base(c.formatVersion())).stream()),
                noOps().flatMap(c -> c.updates().apply(TestTables.base()).stream()))
            .map(Object::getClass)
            .collect(Collectors.toSet());
    Set<Class<?>> viewOnly =
        Set.of(MetadataUpdate.AddViewVersion.class, MetadataUpdate.SetCurrentViewVersion.class);
    Set<Class<?>> known =
        Arrays.stream(MetadataUpdate.class.getDeclaredClasses())
            .filter(MetadataUpdate.class::isAssignableFrom)
            .filter(type -> !viewOnly.contains(type))
            .collect(Collectors.toSet());

    assertThat(known).hasSizeGreaterThanOrEqualTo(21);
    assertThat(covered).containsAll(known);
  }

  @Test
  void updatesApplyInRequestOrder() {
    TableMetadata base = TestTables.base();
    List<MetadataUpdate> setThenRemove =
        List.of(
            new MetadataUpdate.SetProperties(Map.of("k", "v")),
            new MetadataUpdate.RemoveProperties(Set.of("k")));
    List<MetadataUpdate> removeThenSet = new ArrayList<>(setThenRemove);
    Collections.reverse(removeThenSet);

    assertThat(TableCommitRules.apply(base, List.of(), setThenRemove).properties())
        .doesNotContainKey("k");
    assertThat(TableCommitRules.apply(base, List.of(), removeThenSet).properties())
        .containsEntry("k", "v");
  }

  // ---- updates that change nothing

  static Stream<NoOp> noOps() {
    return Stream.of(
        new NoOp("no updates at all", m -> List.of()),
        new NoOp("assign-uuid, same uuid", m -> List.of(new MetadataUpdate.AssignUUID(m.uuid()))),
        new NoOp(
            "upgrade-format-version, same version",
            m -> List.of(new MetadataUpdate.UpgradeFormatVersion(m.formatVersion()))),
        new NoOp(
            "add-schema, identical to the current one",
            m -> List.of(new MetadataUpdate.AddSchema(m.schema()))),
        new NoOp(
            "set-current-schema, already current",
            m -> List.of(new MetadataUpdate.SetCurrentSchema(m.currentSchemaId()))),
        new NoOp(
            "set-default-spec, already default",
            m -> List.of(new MetadataUpdate.SetDefaultPartitionSpec(m.defaultSpecId()))),
        new NoOp(
            "set-default-sort-order, already default",
            m -> List.of(new MetadataUpdate.SetDefaultSortOrder(m.defaultSortOrderId()))),
        new NoOp(
            "set-snapshot-ref main, where it already is",
            m -> List.of(mainAt(m.currentSnapshot().snapshotId()))),
        new NoOp(
            "remove-snapshot-ref, no such ref",
            m -> List.of(new MetadataUpdate.RemoveSnapshotRef("no-such-ref"))),
        new NoOp(
            "remove-snapshots, none", m -> List.of(new MetadataUpdate.RemoveSnapshots(Set.of()))),
        new NoOp(
            "set-location, same location",
            m -> List.of(new MetadataUpdate.SetLocation(m.location()))),
        new NoOp("set-properties, empty", m -> List.of(new MetadataUpdate.SetProperties(Map.of()))),
        new NoOp(
            "remove-properties, empty",
            m -> List.of(new MetadataUpdate.RemoveProperties(Set.of()))),
        new NoOp(
            "remove-statistics, none there",
            m -> List.of(new MetadataUpdate.RemoveStatistics(SECOND))),
        new NoOp(
            "remove-partition-statistics, none there",
            m -> List.of(new MetadataUpdate.RemovePartitionStatistics(SECOND))),
        new NoOp(
            "add-encryption-key, already there",
            m -> List.of(new MetadataUpdate.AddEncryptionKey(TestTables.encryptionKey("key-0")))),
        new NoOp(
            "remove-encryption-key, no such key",
            m -> List.of(new MetadataUpdate.RemoveEncryptionKey("no-such-key"))));
  }

  private record NoOp(String name, Function<TableMetadata, List<MetadataUpdate>> updates) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noOps")
  void commitThatChangesNothingHasNoChanges(NoOp c) {
    TableMetadata base = TestTables.base();
    List<MetadataUpdate> updates = wired(c.updates().apply(base));

    TableMetadata result =
        TableCommitRules.apply(
            base, List.of(new UpdateRequirement.AssertTableUUID(base.uuid())), updates);

    assertThat(result.changes()).isEmpty();
    assertThat(TableMetadataParser.toJson(result)).isEqualTo(TableMetadataParser.toJson(base));
  }

  /** Golden: Iceberg's handler writes no new metadata file for these commits either. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("noOps")
  void icebergHandlersAlsoSkipTheseCommits(NoOp c) {
    IcebergReference reference = new IcebergReference();
    IcebergReference.Registered table = reference.register(TestTables.base());

    TableMetadata theirs =
        reference.commit(table.identifier(), List.of(), c.updates().apply(table.base()));

    assertThat(theirs.metadataFileLocation()).isEqualTo(table.base().metadataFileLocation());
  }

  // ---- stale and malformed updates

  static Stream<StaleCase> staleUpdates() {
    return Stream.of(
        // A concurrent append took sequence number 2; a client still holding 1 proposes 2 again.
        new StaleCase(
            "sequence number behind the table's",
            2,
            m ->
                new MetadataUpdate.AddSnapshot(
                    snapshot(2, 103, SECOND, m.lastSequenceNumber(), 0))),
        new StaleCase(
            "first-row-id behind the table's next-row-id",
            3,
            m ->
                new MetadataUpdate.AddSnapshot(
                    snapshot(3, 103, SECOND, m.lastSequenceNumber() + 1, m.nextRowId() - 5))));
  }

  private record StaleCase(
      String name, int formatVersion, Function<TableMetadata, MetadataUpdate> update) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Stale values are Iceberg's retryable validation: a 409 that tells the client to refresh. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("staleUpdates")
  void staleSnapshotIsACommitConflict(StaleCase c) {
    TableMetadata base = TestTables.base(c.formatVersion());

    assertThatThrownBy(
            () -> TableCommitRules.apply(base, List.of(), List.of(wire(c.update().apply(base)))))
        .isInstanceOf(CommitFailedException.class)
        .hasCauseInstanceOf(RetryableValidationException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("staleUpdates")
  void staleSnapshotIsAlsoAConflictForIcebergHandlers(StaleCase c) {
    IcebergReference reference = new IcebergReference();
    IcebergReference.Registered table = reference.register(TestTables.base(c.formatVersion()));

    assertThatThrownBy(
            () ->
                reference.commit(
                    table.identifier(), List.of(), List.of(c.update().apply(table.base()))))
        .isInstanceOf(CommitFailedException.class);
  }

  static Stream<Malformed> malformedUpdates() {
    return Stream.of(
        new Malformed(
            "add-snapshot with an id the table has",
            m -> new MetadataUpdate.AddSnapshot(snapshot(2, FIRST, SECOND, 3, 0))),
        new Malformed("set-snapshot-ref to an unknown snapshot", m -> mainAt(999)),
        new Malformed("set-current-schema unknown", m -> new MetadataUpdate.SetCurrentSchema(999)),
        new Malformed(
            "set-current-schema -1 without add-schema",
            m -> new MetadataUpdate.SetCurrentSchema(-1)),
        new Malformed(
            "set-default-spec unknown", m -> new MetadataUpdate.SetDefaultPartitionSpec(999)),
        new Malformed(
            "remove-schemas the current one",
            m -> new MetadataUpdate.RemoveSchemas(Set.of(m.currentSchemaId()))),
        new Malformed(
            "remove-partition-specs the default one",
            m -> new MetadataUpdate.RemovePartitionSpecs(Set.of(m.defaultSpecId()))),
        new Malformed(
            "upgrade-format-version downwards", m -> new MetadataUpdate.UpgradeFormatVersion(1)),
        new Malformed(
            "upgrade-format-version beyond what Iceberg supports",
            m -> new MetadataUpdate.UpgradeFormatVersion(99)));
  }

  private record Malformed(String name, Function<TableMetadata, MetadataUpdate> update) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A malformed update is the client's error (400), not a conflict: retrying on fresh metadata
   * cannot fix it. Golden: Iceberg's handler fails with the same exception type.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedUpdates")
  void malformedUpdateIsRejectedButNotAsAConflict(Malformed c) {
    TableMetadata base = TestTables.base();
    Throwable ours =
        catchThrowable(
            () -> TableCommitRules.apply(base, List.of(), List.of(c.update().apply(base))));

    IcebergReference reference = new IcebergReference();
    IcebergReference.Registered table = reference.register(TestTables.base());
    Throwable theirs =
        catchThrowable(
            () ->
                reference.commit(
                    table.identifier(), List.of(), List.of(c.update().apply(table.base()))));

    assertThat(ours).isNotNull().isNotInstanceOf(CommitFailedException.class);
    assertThat(theirs).isNotNull();
    assertThat(ours.getClass()).isEqualTo(theirs.getClass());
  }

  /**
   * A schema the table's format version cannot hold is the client's error, with iceberg-core's
   * reason. iceberg-core's own handlers let its IllegalStateException become a 500, which a client
   * must read as an unknown commit outcome.
   */
  @Test
  void schemaTheFormatCannotHoldIsABadRequest() {
    TableMetadata base = TestTables.base(2);
    Schema unknownColumn =
        TypeUtil.join(
            base.schema(),
            new Schema(optional(base.schema().highestFieldId() + 1, "x", Types.UnknownType.get())));

    assertThatThrownBy(
            () ->
                TableCommitRules.apply(
                    base, List.of(), List.of(new MetadataUpdate.AddSchema(unknownColumn))))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("unknown is not supported until v3");
  }

  // ---- helpers

  private static List<MetadataUpdate> wired(List<MetadataUpdate> updates) {
    return updates.stream().map(TestTables::wire).toList();
  }

  private static MetadataUpdate mainAt(long snapshotId) {
    return new MetadataUpdate.SetSnapshotRef(
        SnapshotRef.MAIN_BRANCH, snapshotId, SnapshotRefType.BRANCH, null, null, null);
  }

  private static Schema withExtraColumn(Schema schema) {
    return TypeUtil.join(
        schema,
        new Schema(optional(schema.highestFieldId() + 1, "extra", Types.IntegerType.get())));
  }

  private static PartitionSpec truncateData(TableMetadata m) {
    return TestTables.evolvedSpec(m, m.schema(), "truncate[4]", 2, "data_trunc");
  }

  private static SortOrder ascData(TableMetadata m) {
    return SortOrder.builderFor(m.schema()).asc("data").build();
  }

  private static int olderSchema(TableMetadata m) {
    return m.schemas().stream()
        .mapToInt(Schema::schemaId)
        .filter(id -> id != m.currentSchemaId())
        .findFirst()
        .orElseThrow();
  }

  private static int olderSpec(TableMetadata m) {
    return m.specs().stream()
        .mapToInt(PartitionSpec::specId)
        .filter(id -> id != m.defaultSpecId())
        .findFirst()
        .orElseThrow();
  }

  private static int olderSortOrder(TableMetadata m) {
    return m.sortOrders().stream()
        .mapToInt(SortOrder::orderId)
        .filter(id -> id != m.defaultSortOrderId())
        .findFirst()
        .orElseThrow();
  }

  private static List<Long> snapshotIds(TableMetadata m) {
    return m.snapshots().stream().map(Snapshot::snapshotId).toList();
  }

  private static List<Long> statisticsSnapshots(TableMetadata m) {
    return m.statisticsFiles().stream().map(StatisticsFile::snapshotId).toList();
  }

  private static StatisticsFile replacedStatistics() {
    StatisticsFile original = TestTables.statistics(FIRST);
    return new org.apache.iceberg.GenericStatisticsFile(
        FIRST,
        original.path().replace(".puffin", "-v2.puffin"),
        2_000,
        200,
        original.blobMetadata());
  }
}
