package io.bingsan.domain.commit;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.GenericBlobMetadata;
import org.apache.iceberg.GenericStatisticsFile;
import org.apache.iceberg.ImmutableGenericPartitionStatisticsFile;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.MetadataUpdateParser;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionSpecParser;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotParser;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.UpdateRequirementParser;
import org.apache.iceberg.encryption.BaseEncryptedKey;
import org.apache.iceberg.encryption.EncryptedKey;
import org.apache.iceberg.types.Types;

/**
 * A table with some history, as a catalog holds it: parsed from its metadata file, so it carries a
 * metadata location and no pending changes.
 *
 * <p>Two schemas (current 1), two specs (default 1), two sort orders, snapshots 101 and 102 on
 * {@code main}, branch {@code audit} and tag {@code v1} on 101, statistics and partition statistics
 * for 101, one encryption key.
 */
final class TestTables {
  static final String LOCATION = "file:/warehouse/ns/t";
  static final long FIRST = 101L;
  static final long SECOND = 102L;

  /** Well in the past, so nothing trips Iceberg's one-minute clock-skew checks. */
  static final long T0 = 1_700_000_000_000L;

  static final Schema FIRST_SCHEMA =
      new Schema(
          required(1, "id", Types.LongType.get()), optional(2, "data", Types.StringType.get()));

  private TestTables() {}

  static TableMetadata base() {
    return base(2);
  }

  static TableMetadata base(int formatVersion) {
    TableMetadata created =
        TableMetadata.newTableMetadata(
            FIRST_SCHEMA,
            PartitionSpec.builderFor(FIRST_SCHEMA).identity("data").build(),
            SortOrder.builderFor(FIRST_SCHEMA).asc("id").build(),
            LOCATION,
            Map.of("format-version", Integer.toString(formatVersion), "owner", "alice"));
    Schema second =
        new Schema(
            required(1, "id", Types.LongType.get()),
            optional(2, "data", Types.StringType.get()),
            optional(3, "ts", Types.TimestampType.withZone()));
    TableMetadata.Builder builder = TableMetadata.buildFrom(created).setCurrentSchema(second, 3);
    builder.setDefaultPartitionSpec(evolvedSpec(created, second, "bucket[8]", 1, "id_bucket"));
    builder.setDefaultSortOrder(SortOrder.builderFor(second).desc("id").build());
    builder.setBranchSnapshot(snapshot(formatVersion, FIRST, null, 1, 0), SnapshotRef.MAIN_BRANCH);
    builder.setBranchSnapshot(
        snapshot(formatVersion, SECOND, FIRST, 2, 10), SnapshotRef.MAIN_BRANCH);
    builder.setRef("audit", SnapshotRef.branchBuilder(FIRST).build());
    builder.setRef("v1", SnapshotRef.tagBuilder(FIRST).build());
    builder.setStatistics(statistics(FIRST));
    builder.setPartitionStatistics(partitionStatistics(FIRST));
    builder.addEncryptionKey(encryptionKey("key-0"));
    return stored(builder.build(), 3);
  }

  /**
   * A one-field spec whose field id follows the table's last assigned one, as Iceberg's
   * spec-evolution API numbers them (a plain spec builder would restart at 1000).
   */
  static PartitionSpec evolvedSpec(
      TableMetadata table, Schema schema, String transform, int sourceId, String name) {
    return PartitionSpecParser.fromJson(
        schema,
        String.format(
            Locale.ROOT,
            "{\"spec-id\":0,\"fields\":[{\"name\":\"%s\",\"transform\":\"%s\","
                + "\"source-id\":%d,\"field-id\":%d}]}",
            name,
            transform,
            sourceId,
            table.lastAssignedPartitionId() + 1));
  }

  static StatisticsFile statistics(long snapshotId) {
    return new GenericStatisticsFile(
        snapshotId,
        LOCATION + "/metadata/stats-" + snapshotId + ".puffin",
        1_000,
        100,
        List.of(
            new GenericBlobMetadata(
                "apache-datasketches-theta-v1", snapshotId, 1, List.of(1), Map.of("ndv", "7"))));
  }

  static PartitionStatisticsFile partitionStatistics(long snapshotId) {
    return ImmutableGenericPartitionStatisticsFile.builder()
        .snapshotId(snapshotId)
        .path(LOCATION + "/metadata/partition-stats-" + snapshotId + ".parquet")
        .fileSizeInBytes(2_000)
        .build();
  }

  static EncryptedKey encryptionKey(String id) {
    return new BaseEncryptedKey(
        id, ByteBuffer.wrap(id.getBytes(StandardCharsets.UTF_8)), null, Map.of("purpose", "test"));
  }

  /** The metadata as read back from a file of the given version. */
  static TableMetadata stored(TableMetadata metadata, int version) {
    String location =
        String.format(
            Locale.ROOT, "%s/metadata/%05d-%s.metadata.json", LOCATION, version, UUID.randomUUID());
    return TableMetadataParser.fromJson(location, TableMetadataParser.toJson(metadata));
  }

  /**
   * A snapshot as a client commits it; v3 snapshots carry row lineage, each adding 10 rows from
   * {@code firstRowId}.
   */
  static Snapshot snapshot(
      int formatVersion, long id, Long parent, long sequence, long firstRowId) {
    StringBuilder json = new StringBuilder();
    json.append("{\"snapshot-id\":").append(id);
    if (parent != null) {
      json.append(",\"parent-snapshot-id\":").append(parent);
    }
    json.append(",\"sequence-number\":").append(sequence);
    json.append(",\"timestamp-ms\":").append(T0 + id);
    json.append(",\"summary\":{\"operation\":\"append\"}");
    json.append(",\"manifest-list\":\"").append(LOCATION).append("/metadata/snap-").append(id);
    json.append(".avro\"");
    if (formatVersion >= 3) {
      json.append(",\"first-row-id\":").append(firstRowId).append(",\"added-rows\":10");
    }
    return SnapshotParser.fromJson(json.append('}').toString());
  }

  /** The update as the REST layer hands it over: serialised by a client and parsed back. */
  static MetadataUpdate wire(MetadataUpdate update) {
    return MetadataUpdateParser.fromJson(MetadataUpdateParser.toJson(update));
  }

  static UpdateRequirement wire(UpdateRequirement requirement) {
    return UpdateRequirementParser.fromJson(UpdateRequirementParser.toJson(requirement));
  }
}
