package io.bingsan.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.view.ViewMetadata;

/**
 * Parsed metadata by metadata location. A metadata file never changes once written, so an entry is
 * never stale: only the pointer read from the store decides which entry is current.
 *
 * <p>Each table or view keeps one version: caching a newer one evicts the one it supersedes, which
 * no pointer names any more. Left to the size bound, superseded versions of busy tables would fill
 * the cache and, having been read more often, push out the current ones.
 */
public final class MetadataCache {
  // Tables and views whose newest version is tracked; past it, old versions age out by size alone.
  private static final int TRACKED_OBJECTS = 100_000;

  private final long maxJsonChars;
  private final Cache<String, TableMetadata> tables;
  private final Cache<String, ViewMetadata> views;
  private final Cache<String, Version> newestByUuid =
      Caffeine.newBuilder().maximumSize(TRACKED_OBJECTS).build();
  private final CopyOnWriteArrayList<Consumer<String>> supersededListeners =
      new CopyOnWriteArrayList<>();

  /**
   * @param maxJsonChars the parsed metadata kept, weighed by about its JSON size in characters
   */
  public MetadataCache(long maxJsonChars) {
    this.maxJsonChars = maxJsonChars;
    this.tables = weighedCache(maxJsonChars);
    this.views = weighedCache(maxJsonChars / 8);
  }

  /** The bound given at construction, which related caches share. */
  long maxJsonChars() {
    return maxJsonChars;
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

  /**
   * Calls {@code listener} with each metadata location this cache evicts because a newer version
   * of its table or view was cached, so that what was derived from it can go too.
   */
  public void onSuperseded(Consumer<String> listener) {
    supersededListeners.add(listener);
  }

  /** The metadata of the file at {@code location}, read with {@code reader} on a miss. */
  public TableMetadata table(String location, Function<String, TableMetadata> reader) {
    TableMetadata metadata = tables.get(location, reader);
    supersede(metadata.uuid(), version(metadata), tables);
    return metadata;
  }

  public void putTable(TableMetadata metadata) {
    tables.put(metadata.metadataFileLocation(), metadata);
    supersede(metadata.uuid(), version(metadata), tables);
  }

  /** The metadata of the file at {@code location}, read with {@code reader} on a miss. */
  public ViewMetadata view(String location, Function<String, ViewMetadata> reader) {
    ViewMetadata metadata = views.get(location, reader);
    supersede(metadata.uuid(), version(metadata), views);
    return metadata;
  }

  public void putView(ViewMetadata metadata) {
    views.put(metadata.metadataFileLocation(), metadata);
    supersede(metadata.uuid(), version(metadata), views);
  }

  /** A metadata file and when its version was made. */
  private record Version(String location, long madeAtMillis) {}

  private static Version version(TableMetadata metadata) {
    return new Version(metadata.metadataFileLocation(), metadata.lastUpdatedMillis());
  }

  private static Version version(ViewMetadata metadata) {
    return new Version(
        metadata.metadataFileLocation(), metadata.currentVersion().timestampMillis());
  }

  /**
   * Records {@code incoming} as the newest version of the object {@code uuid} and evicts the one
   * it supersedes. A version older than the newest one, read by a load that raced a commit, evicts
   * nothing.
   */
  private void supersede(String uuid, Version incoming, Cache<String, ?> versions) {
    if (uuid == null) {
      return; // format v1 metadata may have none
    }
    Version[] superseded = new Version[1];
    newestByUuid
        .asMap()
        .compute(
            uuid,
            (key, newest) -> {
              if (newest == null || newest.location().equals(incoming.location())) {
                return incoming;
              }
              if (incoming.madeAtMillis() < newest.madeAtMillis()) {
                return newest;
              }
              superseded[0] = newest;
              return incoming;
            });
    if (superseded[0] != null) {
      String location = superseded[0].location();
      versions.invalidate(location);
      supersededListeners.forEach(listener -> listener.accept(location));
    }
  }
}
