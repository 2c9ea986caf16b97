package io.bingsan.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.bingsan.service.fakes.TestCatalog;
import java.util.ArrayList;
import java.util.HashMap;
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
  /** Metadata files by location, as JSON; every read is counted. */
  private final Map<String, String> files = new HashMap<>();
  private final List<String> reads = new ArrayList<>();
  /** The locations the cache reported superseded. */
  private final List<String> superseded = new ArrayList<>();

  MetadataCacheTest() {
    cache.onSuperseded(superseded::add);
  }

  @Test
  void readsEachFileOnce() {
    TableMetadata first = writeNewTable(LOCATION);

    TableMetadata read = cache.table(LOCATION, this::readFile);

    assertThat(read.uuid()).isEqualTo(first.uuid());
    assertThat(read.metadataFileLocation()).isEqualTo(LOCATION);
    assertThat(cache.table(LOCATION, this::readFile)).isSameAs(read);
    assertThat(reads).containsExactly(LOCATION);
  }

  /** A file never changes once written, so a location already cached is never read again. */
  @Test
  void aPutEntryAnswersWithoutReading() {
    TableMetadata published =
        TableMetadata.buildFrom(table()).withMetadataLocation(LOCATION).discardChanges().build();
    cache.putTable(published);

    assertThat(cache.table(LOCATION, this::readFile)).isSameAs(published);
    assertThat(reads).isEmpty();
  }

  /** Busy tables would otherwise fill the cache with versions no pointer names any more. */
  @Test
  void aNewerVersionEvictsTheOneItSupersedesAndSaysSo() {
    writeNewTable(LOCATION);
    TableMetadata first = cache.table(LOCATION, this::readFile);
    TableMetadata second =
        TableMetadata.buildFrom(first)
            .setProperties(Map.of("k", "v"))
            .discardChanges()
            .withMetadataLocation(NEXT_LOCATION)
            .build();

    cache.putTable(second);

    assertThat(cache.table(NEXT_LOCATION, this::readFile)).isSameAs(second);
    assertThat(superseded).containsExactly(LOCATION);
    cache.table(LOCATION, this::readFile);
    assertThat(reads).containsExactly(LOCATION, LOCATION);
  }

  @Test
  void readingANewerVersionEvictsTheOneCachedBefore() {
    TableMetadata first = writeNewTable(LOCATION);
    cache.table(LOCATION, this::readFile);
    files.put(
        NEXT_LOCATION,
        TableMetadataParser.toJson(
            TableMetadata.buildFrom(first).setProperties(Map.of("k", "v")).build()));

    cache.table(NEXT_LOCATION, this::readFile);
    cache.table(NEXT_LOCATION, this::readFile);

    assertThat(superseded).containsExactly(LOCATION);
    assertThat(reads).containsExactly(LOCATION, NEXT_LOCATION);
  }

  /** A load that read the pointer before a commit may bring the older version in afterwards. */
  @Test
  void anOlderVersionReadLateEvictsNothing() {
    TableMetadata older = writeNewTable(LOCATION);
    String olderJson = files.get(LOCATION);
    files.put(
        NEXT_LOCATION,
        olderJson.replace(
            "\"last-updated-ms\":" + older.lastUpdatedMillis(),
            "\"last-updated-ms\":" + (older.lastUpdatedMillis() + 1_000)));
    cache.table(NEXT_LOCATION, this::readFile);

    cache.table(LOCATION, this::readFile);
    cache.table(NEXT_LOCATION, this::readFile);

    assertThat(superseded).isEmpty();
    assertThat(reads).containsExactly(NEXT_LOCATION, LOCATION);
  }

  @Test
  void otherTablesKeepTheirVersions() {
    writeNewTable(LOCATION);
    writeNewTable(NEXT_LOCATION);

    cache.table(LOCATION, this::readFile);
    cache.table(NEXT_LOCATION, this::readFile);
    cache.table(LOCATION, this::readFile);

    assertThat(reads).containsExactly(LOCATION, NEXT_LOCATION);
  }

  private TableMetadata writeNewTable(String location) {
    TableMetadata table = table();
    files.put(location, TableMetadataParser.toJson(table));
    return table;
  }

  private TableMetadata readFile(String location) {
    reads.add(location);
    return TableMetadataParser.fromJson(location, files.get(location));
  }

  private static TableMetadata table() {
    return TableMetadata.newTableMetadata(
        TestCatalog.SCHEMA, PartitionSpec.unpartitioned(), "file:/warehouse/ns/t", Map.of());
  }
}
