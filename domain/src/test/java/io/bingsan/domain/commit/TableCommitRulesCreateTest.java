package io.bingsan.domain.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SnapshotRefType;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.UpdateRequirements;
import org.apache.iceberg.exceptions.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Create commits: what makes a commit a create, and the table a staged create commits. */
class TableCommitRulesCreateTest {
  private static final UpdateRequirement CREATE = new UpdateRequirement.AssertTableDoesNotExist();
  private static final UpdateRequirement SAME_UUID =
      new UpdateRequirement.AssertTableUUID("6c6e3a4e-07d6-4b8f-8bb1-0e45f4a1f3a2");

  static Stream<Arguments> requirementLists() {
    return Stream.of(
        Arguments.of("no requirements", List.of(), false),
        Arguments.of("an update's requirement", List.of(SAME_UUID), false),
        Arguments.of("assert-create", List.of(CREATE), true),
        Arguments.of("assert-create twice", List.of(CREATE, CREATE), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requirementLists")
  void isCreateOnlyForAssertCreate(
      String name, List<UpdateRequirement> requirements, boolean create) {
    assertThat(TableCommitRules.isCreate(requirements)).isEqualTo(create);
  }

  /** A create may assert nothing about a table that does not exist yet, in whatever order. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("mixedCreates")
  void assertCreateWithAnotherRequirementIsABadRequest(
      String name, List<UpdateRequirement> requirements) {
    assertThatThrownBy(() -> TableCommitRules.isCreate(requirements))
        .isInstanceOf(BadRequestException.class);
  }

  static Stream<Arguments> mixedCreates() {
    return Stream.of(
        Arguments.of("assert-create first", List.of(CREATE, SAME_UUID)),
        Arguments.of(
            "assert-create last",
            List.of(
                new UpdateRequirement.AssertRefSnapshotID(SnapshotRef.MAIN_BRANCH, null), CREATE)));
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {1, 2, 3})
  void stagedCreateBuildsTheStagedTable(int formatVersion) {
    TableMetadata staged = staged(formatVersion);
    List<MetadataUpdate> updates = wired(stagedCreateUpdates(staged));
    // The client derives the requirements from the updates; a create must be recognised as one.
    assertThat(TableCommitRules.isCreate(UpdateRequirements.forCreateTable(updates))).isTrue();

    TableMetadata created = TableCommitRules.create(updates);

    assertThat(created.formatVersion()).isEqualTo(formatVersion);
    assertThat(created.uuid()).isEqualTo(staged.uuid());
    assertThat(created.location()).isEqualTo(staged.location());
    assertThat(created.properties()).isEqualTo(staged.properties());
    assertThat(created.schema().sameSchema(staged.schema())).isTrue();
    assertThat(created.spec().compatibleWith(staged.spec())).isTrue();
    assertThat(created.sortOrder().sameOrder(staged.sortOrder())).isTrue();
    assertThat(created.snapshots()).isEmpty();
    assertThat(created.changes()).isNotEmpty();
  }

  /** A create-table-as-select: the staged table plus its first snapshot on main. */
  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {1, 2, 3})
  void stagedCreateWithFirstSnapshot(int formatVersion) {
    List<MetadataUpdate> updates =
        withFirstSnapshot(stagedCreateUpdates(staged(formatVersion)), formatVersion);

    TableMetadata created = TableCommitRules.create(wired(updates));

    assertThat(created.currentSnapshot().snapshotId()).isEqualTo(TestTables.FIRST);
    assertThat(created.formatVersion()).isEqualTo(formatVersion);
  }

  /** Golden: iceberg-core's create path of CatalogHandlers.updateTable builds the same table. */
  @ParameterizedTest(name = "format v{0}, first snapshot {1}")
  @MethodSource("createVariants")
  void createAgreesWithIcebergHandlers(int formatVersion, boolean firstSnapshot) {
    List<MetadataUpdate> updates = stagedCreateUpdates(staged(formatVersion));
    if (firstSnapshot) {
      updates = withFirstSnapshot(updates, formatVersion);
    }

    TableMetadata ours = TableCommitRules.create(updates);
    TableMetadata theirs =
        new IcebergReference().create(UpdateRequirements.forCreateTable(updates), updates);

    assertThat(IcebergReference.comparable(ours)).isEqualTo(IcebergReference.comparable(theirs));
  }

  static Stream<Arguments> createVariants() {
    return Stream.of(1, 2, 3)
        .flatMap(v -> Stream.of(Arguments.of(v, false), Arguments.of(v, true)));
  }

  @Test
  void createWithoutFormatVersionUsesIcebergsDefault() {
    List<MetadataUpdate> updates =
        stagedCreateUpdates(staged(2)).stream()
            .filter(u -> !(u instanceof MetadataUpdate.UpgradeFormatVersion))
            .toList();

    TableMetadata ours = TableCommitRules.create(updates);
    TableMetadata theirs = new IcebergReference().create(List.of(CREATE), updates);

    assertThat(ours.formatVersion()).isEqualTo(theirs.formatVersion());
    assertThat(IcebergReference.comparable(ours)).isEqualTo(IcebergReference.comparable(theirs));
  }

  @Test
  void createWithAnUnsupportedFormatVersionIsRejected() {
    List<MetadataUpdate> updates = new ArrayList<>(stagedCreateUpdates(staged(2)));
    updates.set(1, new MetadataUpdate.UpgradeFormatVersion(99));

    assertThatThrownBy(() -> TableCommitRules.create(updates))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99");
  }

  // ---- helpers

  private static TableMetadata staged(int formatVersion) {
    return TableMetadata.newTableMetadata(
        TestTables.FIRST_SCHEMA,
        PartitionSpec.builderFor(TestTables.FIRST_SCHEMA).identity("data").build(),
        SortOrder.builderFor(TestTables.FIRST_SCHEMA).asc("id").build(),
        "file:/warehouse/ns/staged",
        Map.of("format-version", Integer.toString(formatVersion), "owner", "alice"));
  }

  /**
   * What Iceberg's REST client (RESTSessionCatalog) sends to commit a staged create: the staged
   * metadata spelled out as updates, new ids referred to as "last added" (-1).
   */
  private static List<MetadataUpdate> stagedCreateUpdates(TableMetadata staged) {
    List<MetadataUpdate> updates = new ArrayList<>();
    updates.add(new MetadataUpdate.AssignUUID(staged.uuid()));
    updates.add(new MetadataUpdate.UpgradeFormatVersion(staged.formatVersion()));
    updates.add(new MetadataUpdate.AddSchema(staged.schema()));
    updates.add(new MetadataUpdate.SetCurrentSchema(-1));
    updates.add(new MetadataUpdate.AddPartitionSpec(staged.spec()));
    updates.add(new MetadataUpdate.SetDefaultPartitionSpec(-1));
    updates.add(new MetadataUpdate.AddSortOrder(staged.sortOrder()));
    updates.add(new MetadataUpdate.SetDefaultSortOrder(-1));
    updates.add(new MetadataUpdate.SetLocation(staged.location()));
    updates.add(new MetadataUpdate.SetProperties(staged.properties()));
    return updates;
  }

  private static List<MetadataUpdate> withFirstSnapshot(
      List<MetadataUpdate> updates, int formatVersion) {
    List<MetadataUpdate> all = new ArrayList<>(updates);
    // v1 tables have no sequence numbers: they must be 0.
    long sequence = formatVersion == 1 ? 0 : 1;
    all.add(
        new MetadataUpdate.AddSnapshot(
            TestTables.snapshot(formatVersion, TestTables.FIRST, null, sequence, 0)));
    all.add(
        new MetadataUpdate.SetSnapshotRef(
            SnapshotRef.MAIN_BRANCH, TestTables.FIRST, SnapshotRefType.BRANCH, null, null, null));
    return all;
  }

  private static List<MetadataUpdate> wired(List<MetadataUpdate> updates) {
    return updates.stream().map(TestTables::wire).toList();
  }
}
