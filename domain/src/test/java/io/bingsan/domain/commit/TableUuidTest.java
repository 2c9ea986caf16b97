package io.bingsan.domain.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table's UUID is its identity: clients assert it, the catalog indexes it. The REST spec allows
 * {@code assign-uuid} only on create ("not safe to re-assign the UUID if a table already has one").
 */
class TableUuidTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"another UUID", "same UUID in upper case"})
  void existingTableKeepsItsUuid(String variant) {
    TableMetadata base = TestTables.base();
    String uuid =
        variant.startsWith("another")
            ? UUID.randomUUID().toString()
            : base.uuid().toUpperCase(Locale.ROOT);

    assertThatThrownBy(
            () ->
                TableCommitRules.apply(
                    base, List.of(), List.of(TestTables.wire(new MetadataUpdate.AssignUUID(uuid)))))
        .isInstanceOf(BadRequestException.class)
        .isNotInstanceOf(CommitFailedException.class);
  }

  @Test
  void repeatingTheUuidIsHarmless() {
    TableMetadata base = TestTables.base();

    TableMetadata result =
        TableCommitRules.apply(
            base, List.of(), List.of(new MetadataUpdate.AssignUUID(base.uuid())));

    assertThat(result.uuid()).isEqualTo(base.uuid());
    assertThat(result.changes()).isEmpty();
  }

  @Test
  void createAssignsTheClientsUuid() {
    String uuid = UUID.randomUUID().toString();

    TableMetadata created =
        TableCommitRules.create(
            List.of(
                new MetadataUpdate.AssignUUID(uuid),
                new MetadataUpdate.AddSchema(TestTables.FIRST_SCHEMA),
                new MetadataUpdate.SetCurrentSchema(-1),
                new MetadataUpdate.AddPartitionSpec(PartitionSpec.unpartitioned()),
                new MetadataUpdate.SetDefaultPartitionSpec(-1),
                new MetadataUpdate.AddSortOrder(SortOrder.unsorted()),
                new MetadataUpdate.SetDefaultSortOrder(-1),
                new MetadataUpdate.SetLocation("file:/warehouse/ns/u")));

    assertThat(created.uuid()).isEqualTo(uuid);
  }
}
