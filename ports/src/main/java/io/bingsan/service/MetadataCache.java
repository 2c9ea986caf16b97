package io.bingsan.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bingsan.ports.out.StoredMetadata;
import java.util.Optional;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;

/**
 * Parsed metadata by metadata location. A metadata file never changes once written, so an entry is
 * never stale: only the pointer read from the store decides which entry is current.
 */
public final class MetadataCache {
  private final Cache<String, TableMetadata> tables;
  private final Cache<String, ViewMetadata> views;

  /**
   * @param maxJsonChars the parsed metadata kept, weighed by its JSON size in characters
   */
  public MetadataCache(long maxJsonChars) {
    this.tables = weighedCache(maxJsonChars);
    this.views = weighedCache(maxJsonChars / 8);
  }

  private static <V> Cache<String, V> weighedCache(long maxWeight) {
    return Caffeine.newBuilder()
        .maximumWeight(maxWeight)
        .<String, V>weigher((location, metadata) -> weight(metadata))
        .build();
  }

  private static int weight(Object metadata) {
    // Snapshot count dominates a table's parsed size; a small floor covers schemas and specs.
    if (metadata instanceof TableMetadata table) {
      return 2_000 + table.snapshots().size() * 600 + table.previousFiles().size() * 150;
    }
    return 4_000;
  }

  public TableMetadata table(StoredMetadata stored) {
    return tables.get(
        stored.metadataLocation(),
        location -> TableMetadataParser.fromJson(location, stored.metadataJson()));
  }

  /** The parsed metadata of the file at {@code location}, if this node holds it. */
  public Optional<TableMetadata> tableIfCached(String location) {
    return Optional.ofNullable(tables.getIfPresent(location));
  }

  public void putTable(TableMetadata metadata) {
    tables.put(metadata.metadataFileLocation(), metadata);
  }

  public ViewMetadata view(StoredMetadata stored) {
    return views.get(
        stored.metadataLocation(),
        location -> ViewMetadataParser.fromJson(location, stored.metadataJson()));
  }

  public void putView(ViewMetadata metadata) {
    views.put(metadata.metadataFileLocation(), metadata);
  }
}
