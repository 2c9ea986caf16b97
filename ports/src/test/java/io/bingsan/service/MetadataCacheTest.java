package io.bingsan.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.bingsan.ports.out.StoredMetadata;
import io.bingsan.service.fakes.TestCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.junit.jupiter.api.Test;

class MetadataCacheTest {
  private static final String LOCATION = "file:/warehouse/ns/t/metadata/00000-a.metadata.json";
  private static final String NEXT_LOCATION =
      "file:/warehouse/ns/t/metadata/00001-b.metadata.json";

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

  /** Busy tables would otherwise fill the cache with versions no pointer names any more. */
  @Test
  void aNewerVersionEvictsTheOneItSupersedesAndSaysSo() {
    List<String> superseded = new ArrayList<>();
    cache.onSuperseded(superseded::add);
    TableMetadata first =
        cache.table(new StoredMetadata(LOCATION, TableMetadataParser.toJson(table())));
    TableMetadata second =
        TableMetadata.buildFrom(first)
            .setProperties(Map.of("k", "v"))
            .discardChanges()
            .withMetadataLocation(NEXT_LOCATION)
            .build();

    cache.putTable(second);

    assertThat(cache.tableIfCached(LOCATION)).isEmpty();
    assertThat(cache.tableIfCached(NEXT_LOCATION)).containsSame(second);
    assertThat(superseded).containsExactly(LOCATION);
  }

  @Test
  void loadingANewerVersionEvictsTheOneCachedBefore() {
    List<String> superseded = new ArrayList<>();
    cache.onSuperseded(superseded::add);
    TableMetadata first =
        cache.table(new StoredMetadata(LOCATION, TableMetadataParser.toJson(table())));
    String newerJson =
        TableMetadataParser.toJson(
            TableMetadata.buildFrom(first).setProperties(Map.of("k", "v")).build());

    cache.table(new StoredMetadata(NEXT_LOCATION, newerJson));
    cache.table(new StoredMetadata(NEXT_LOCATION, newerJson));

    assertThat(cache.tableIfCached(LOCATION)).isEmpty();
    assertThat(superseded).containsExactly(LOCATION);
  }

  @Test
  void otherTablesKeepTheirVersions() {
    cache.table(new StoredMetadata(LOCATION, TableMetadataParser.toJson(table())));

    cache.table(new StoredMetadata(NEXT_LOCATION, TableMetadataParser.toJson(table())));

    assertThat(cache.tableIfCached(LOCATION)).isPresent();
    assertThat(cache.tableIfCached(NEXT_LOCATION)).isPresent();
  }

  private static TableMetadata table() {
    return TableMetadata.newTableMetadata(
        TestCatalog.SCHEMA, PartitionSpec.unpartitioned(), "file:/warehouse/ns/t", Map.of());
  }
}
