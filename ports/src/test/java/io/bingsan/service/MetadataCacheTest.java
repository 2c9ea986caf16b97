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
    String other = "file:/warehouse/ns/other/metadata/00000-c.metadata.json";
    writeNewTable(LOCATION);
    writeNewTable(other);

    cache.table(LOCATION, this::readFile);
    cache.table(other, this::readFile);
    cache.table(LOCATION, this::readFile);

    assertThat(reads).containsExactly(LOCATION, other);
  }

  /** Two tables may share a metadata folder ({@code write.metadata.path}); each gets its own. */
  @Test
  void tablesSharingAFolderAreEachAnsweredFromTheirOwnFile() {
    TableMetadata first = writeNewTable(LOCATION);
    TableMetadata second = writeNewTable(NEXT_LOCATION);

    assertThat(cache.table(LOCATION, this::readFile).uuid()).isEqualTo(first.uuid());
    assertThat(cache.table(NEXT_LOCATION, this::readFile).uuid()).isEqualTo(second.uuid());
    assertThat(cache.table(LOCATION, this::readFile).uuid()).isEqualTo(first.uuid());
  }

  /**
   * Each commit names a new file. Were a new version's key cold, a cache full of tables read a
   * few times each would refuse it, and the busiest table would be read back on every commit.
   */
  @Test
  void aBusyTablesNewVersionsAreKeptInACacheFullOfTablesReadOnce() {
    MetadataCache small = new MetadataCache(100_000);
    for (int i = 0; i < 200; i++) {
      String location = "file:/warehouse/ns/other" + i + "/metadata/00000-a.metadata.json";
      writeNewTable(location);
      small.table(location, this::readFile);
      small.table(location, this::readFile);
    }
    TableMetadata version = writeNewTable(LOCATION);
    for (int load = 0; load < 3; load++) {
      version = small.table(LOCATION, this::readFile);
    }
    reads.clear();

    for (int i = 1; i <= 20; i++) {
      String location = "file:/warehouse/ns/t/metadata/%05d-v.metadata.json".formatted(i);
      version =
          TableMetadata.buildFrom(version)
              .setProperties(Map.of("commit", Integer.toString(i)))
              .discardChanges()
              .withMetadataLocation(location)
              .build();
      files.put(location, TableMetadataParser.toJson(version));
      small.putTable(version);

      small.table(location, this::readFile);
    }
    assertThat(reads).isEmpty();
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
