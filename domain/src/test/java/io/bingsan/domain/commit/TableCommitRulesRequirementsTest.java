package io.bingsan.domain.commit;

import static io.bingsan.domain.commit.TestTables.FIRST;
import static io.bingsan.domain.commit.TestTables.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every table requirement Iceberg knows, holding and not holding, against a table's metadata. */
class TableCommitRulesRequirementsTest {
  private static final List<MetadataUpdate> TOUCH =
      List.of(new MetadataUpdate.SetProperties(Map.of("touched", "yes")));

  /** A requirement built from the current metadata, and whether it holds there. */
  private record Case(
      String name, Function<TableMetadata, UpdateRequirement> requirement, boolean holds) {
    @Override
    public String toString() {
      return name + (holds ? " holds" : " fails");
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("assert-table-uuid", m -> new UpdateRequirement.AssertTableUUID(m.uuid()), true),
        // Iceberg compares UUIDs ignoring case; a client may print them in upper case.
        new Case(
            "assert-table-uuid upper case",
            m -> new UpdateRequirement.AssertTableUUID(m.uuid().toUpperCase(Locale.ROOT)),
            true),
        new Case(
            "assert-table-uuid other table",
            m ->
                new UpdateRequirement.AssertTableUUID(
                    new StringBuilder(m.uuid()).reverse().toString()),
            false),
        new Case(
            "assert-ref-snapshot-id main",
            m ->
                new UpdateRequirement.AssertRefSnapshotID("main", m.currentSnapshot().snapshotId()),
            true),
        new Case(
            "assert-ref-snapshot-id main moved",
            m -> new UpdateRequirement.AssertRefSnapshotID("main", m.currentSnapshot().parentId()),
            false),
        new Case(
            "assert-ref-snapshot-id branch",
            m -> new UpdateRequirement.AssertRefSnapshotID("audit", m.ref("audit").snapshotId()),
            true),
        new Case(
            "assert-ref-snapshot-id tag moved",
            m -> new UpdateRequirement.AssertRefSnapshotID("v1", m.currentSnapshot().snapshotId()),
            false),
        // A null snapshot id means "this ref must not exist yet" (a client creating a branch).
        new Case(
            "assert-ref-snapshot-id null, ref absent",
            m -> new UpdateRequirement.AssertRefSnapshotID("new-branch", null),
            true),
        new Case(
            "assert-ref-snapshot-id null, ref created concurrently",
            m -> new UpdateRequirement.AssertRefSnapshotID("audit", null),
            false),
        new Case(
            "assert-ref-snapshot-id, ref removed concurrently",
            m -> new UpdateRequirement.AssertRefSnapshotID("gone", FIRST),
            false),
        new Case(
            "assert-last-assigned-field-id",
            m -> new UpdateRequirement.AssertLastAssignedFieldId(m.lastColumnId()),
            true),
        new Case(
            "assert-last-assigned-field-id stale",
            m -> new UpdateRequirement.AssertLastAssignedFieldId(m.lastColumnId() - 1),
            false),
        new Case(
            "assert-current-schema-id",
            m -> new UpdateRequirement.AssertCurrentSchemaID(m.currentSchemaId()),
            true),
        new Case(
            "assert-current-schema-id older schema",
            m ->
                new UpdateRequirement.AssertCurrentSchemaID(
                    other(m.schemas().stream().map(Schema::schemaId), m.currentSchemaId())),
            false),
        new Case(
            "assert-last-assigned-partition-id",
            m -> new UpdateRequirement.AssertLastAssignedPartitionId(m.lastAssignedPartitionId()),
            true),
        new Case(
            "assert-last-assigned-partition-id stale",
            m ->
                new UpdateRequirement.AssertLastAssignedPartitionId(
                    m.lastAssignedPartitionId() - 1),
            false),
        new Case(
            "assert-default-spec-id",
            m -> new UpdateRequirement.AssertDefaultSpecID(m.defaultSpecId()),
            true),
        new Case(
            "assert-default-spec-id older spec",
            m ->
                new UpdateRequirement.AssertDefaultSpecID(
                    other(m.specs().stream().map(PartitionSpec::specId), m.defaultSpecId())),
            false),
        new Case(
            "assert-default-sort-order-id",
            m -> new UpdateRequirement.AssertDefaultSortOrderID(m.defaultSortOrderId()),
            true),
        new Case(
            "assert-default-sort-order-id older order",
            m ->
                new UpdateRequirement.AssertDefaultSortOrderID(
                    other(m.sortOrders().stream().map(SortOrder::orderId), m.defaultSortOrderId())),
            false),
        // On an update (not a create) the table exists, so assert-create cannot hold.
        new Case("assert-create", m -> new UpdateRequirement.AssertTableDoesNotExist(), false));
  }

  /** An id the table has that is not the current one. */
  private static int other(Stream<Integer> ids, int current) {
    return ids.filter(id -> id != current).findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void requirementDecidesWhetherTheCommitApplies(Case c) {
    TableMetadata base = TestTables.base();
    UpdateRequirement requirement = wire(c.requirement().apply(base));

    if (c.holds()) {
      TableMetadata result = TableCommitRules.apply(base, List.of(requirement), TOUCH);
      assertThat(result.properties()).containsEntry("touched", "yes");
    } else {
      assertThatThrownBy(() -> TableCommitRules.apply(base, List.of(requirement), TOUCH))
          .isInstanceOf(CommitFailedException.class)
          .hasMessageContaining("Requirement failed");
    }
  }

  /** Golden: iceberg-core's CatalogHandlers reach the same verdict and the same metadata. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void agreesWithIcebergHandlers(Case c) {
    IcebergReference reference = new IcebergReference();
    IcebergReference.Registered table = reference.register(TestTables.base());
    List<UpdateRequirement> requirements = List.of(c.requirement().apply(table.base()));

    TableMetadata[] results = new TableMetadata[2];
    Throwable ours =
        catchThrowable(
            () -> results[0] = TableCommitRules.apply(table.base(), requirements, TOUCH));
    Throwable theirs =
        catchThrowable(
            () -> results[1] = reference.commit(table.identifier(), requirements, TOUCH));

    if (theirs == null) {
      assertThat(ours).isNull();
      assertThat(IcebergReference.comparable(results[0]))
          .isEqualTo(IcebergReference.comparable(results[1]));
    } else {
      assertThat(theirs).isInstanceOf(CommitFailedException.class);
      assertThat(ours).isInstanceOf(CommitFailedException.class);
    }
  }

  @Test
  void casesCoverEveryTableRequirementOfIcebergCore() {
    TableMetadata base = TestTables.base();
    Set<Class<?>> covered =
        cases().map(c -> c.requirement().apply(base).getClass()).collect(Collectors.toSet());
    Set<Class<?>> known =
        Arrays.stream(UpdateRequirement.class.getDeclaredClasses())
            .filter(UpdateRequirement.class::isAssignableFrom)
            .filter(type -> type != UpdateRequirement.AssertViewUUID.class)
            .collect(Collectors.toSet());

    assertThat(known).hasSizeGreaterThanOrEqualTo(8);
    assertThat(covered).containsAll(known);
    // Each type is seen both holding and failing, except assert-create, which cannot hold on an
    // existing table (its passing case is a create, tested separately).
    Map<Class<?>, Set<Boolean>> verdicts =
        cases()
            .collect(
                Collectors.groupingBy(
                    c -> c.requirement().apply(base).getClass(),
                    Collectors.mapping(Case::holds, Collectors.toSet())));
    verdicts.remove(UpdateRequirement.AssertTableDoesNotExist.class);
    assertThat(verdicts.values())
        .allSatisfy(seen -> assertThat(seen).containsExactlyInAnyOrder(true, false));
  }

  @Test
  void oneFailingRequirementAmongHoldingOnesFailsTheCommit() {
    TableMetadata base = TestTables.base();
    List<UpdateRequirement> requirements = cases().map(c -> c.requirement().apply(base)).toList();

    assertThatThrownBy(() -> TableCommitRules.apply(base, requirements, TOUCH))
        .isInstanceOf(CommitFailedException.class);
    List<UpdateRequirement> holding =
        cases().filter(Case::holds).map(c -> c.requirement().apply(base)).toList();
    assertThat(TableCommitRules.apply(base, holding, TOUCH).properties()).containsKey("touched");
  }

  @Test
  void requirementsAreCheckedBeforeUpdatesAreApplied() {
    TableMetadata base = TestTables.base();
    // The update is invalid too; the conflict must win so the client refreshes rather than gives
    // up.
    List<MetadataUpdate> invalid = List.of(new MetadataUpdate.SetCurrentSchema(999));

    assertThatThrownBy(
            () ->
                TableCommitRules.apply(
                    base,
                    List.of(
                        new UpdateRequirement.AssertCurrentSchemaID(base.currentSchemaId() + 1)),
                    invalid))
        .isInstanceOf(CommitFailedException.class);
  }

  @Test
  void viewRequirementInATableCommitIsABadRequestNotAConflict() {
    TableMetadata base = TestTables.base();

    assertThatThrownBy(
            () ->
                TableCommitRules.apply(
                    base, List.of(new UpdateRequirement.AssertViewUUID(base.uuid())), TOUCH))
        .isInstanceOf(ValidationException.class)
        .isNotInstanceOf(CommitFailedException.class);
  }
}
