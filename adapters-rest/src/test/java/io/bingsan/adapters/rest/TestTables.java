package io.bingsan.adapters.rest;

import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;

/** Table metadata for tests: two snapshots, only the second referenced (by {@code main}). */
final class TestTables {
  private static final String JSON =
      """
      {
        "format-version": 2,
        "table-uuid": "9c12d441-03fe-4693-9a96-a0705ddf69c1",
        "location": "file:/tmp/warehouse/db/t",
        "last-sequence-number": 2,
        "last-updated-ms": 1700000001000,
        "last-column-id": 1,
        "current-schema-id": 0,
        "schemas": [{"type": "struct", "schema-id": 0,
                     "fields": [{"id": 1, "name": "id", "required": true, "type": "long"}]}],
        "default-spec-id": 0,
        "partition-specs": [{"spec-id": 0, "fields": []}],
        "last-partition-id": 999,
        "default-sort-order-id": 0,
        "sort-orders": [{"order-id": 0, "fields": []}],
        "properties": {"owner": "test"},
        "current-snapshot-id": 2,
        "refs": {"main": {"snapshot-id": 2, "type": "branch"}},
        "snapshots": [
          {"sequence-number": 1, "snapshot-id": 1, "timestamp-ms": 1700000000000,
           "summary": {"operation": "append"}, "schema-id": 0,
           "manifest-list": "file:/tmp/warehouse/db/t/metadata/snap-1.avro"},
          {"sequence-number": 2, "snapshot-id": 2, "parent-snapshot-id": 1,
           "timestamp-ms": 1700000001000, "summary": {"operation": "append"}, "schema-id": 0,
           "manifest-list": "file:/tmp/warehouse/db/t/metadata/snap-2.avro"}
        ],
        "snapshot-log": [{"timestamp-ms": 1700000000000, "snapshot-id": 1},
                         {"timestamp-ms": 1700000001000, "snapshot-id": 2}],
        "metadata-log": []
      }
      """;

  private TestTables() {}

  static TableMetadata withTwoSnapshots(String metadataLocation) {
    return TableMetadataParser.fromJson(metadataLocation, JSON);
  }
}
