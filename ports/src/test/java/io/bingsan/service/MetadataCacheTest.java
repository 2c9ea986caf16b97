package io.bingsan.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.bingsan.ports.out.StoredMetadata;
import io.bingsan.service.fakes.TestCatalog;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.junit.jupiter.api.Test;

class MetadataCacheTest {
  private static final String LOCATION = "file:/warehouse/ns/t/metadata/00000-a.metadata.json";

  private final MetadataCache cache = new MetadataCache(1_000_000);

  @Test
  void parsesOncePerLocation() {
    StoredMetadata stored = new StoredMetadata(LOCATION, TableMetadataParser.toJson(table()));

    TableMetadata first = cache.table(stored);

    assertThat(first.metadataFileLocation()).isEqualTo(LOCATION);
    assertThat(cache.table(stored)).isSameAs(first);
  }

  /** A file never changes once written, so a location already cached is never parsed again. */
  @Test
  void putEntryAnswersWithoutParsing() {
    TableMetadata published =
        TableMetadata.buildFrom(table()).withMetadataLocation(LOCATION).discardChanges().build();
    cache.putTable(published);

    assertThat(cache.table(new StoredMetadata(LOCATION, "this is not JSON"))).isSameAs(published);
  }

  @Test
  void anotherLocationIsAnotherEntry() {
    String json = TableMetadataParser.toJson(table());

    TableMetadata first = cache.table(new StoredMetadata(LOCATION, json));
    TableMetadata second =
        cache.table(new StoredMetadata(LOCATION.replace("00000-a", "00001-b"), json));

    assertThat(second).isNotSameAs(first);
    assertThat(second.metadataFileLocation()).endsWith("00001-b.metadata.json");
  }

  private static TableMetadata table() {
    return TableMetadata.newTableMetadata(
        TestCatalog.SCHEMA, PartitionSpec.unpartitioned(), "file:/warehouse/ns/t", Map.of());
  }
}
