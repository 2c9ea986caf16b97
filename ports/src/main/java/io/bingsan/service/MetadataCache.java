package io.bingsan.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bingsan.domain.commit.MetadataLocations;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.view.ViewMetadata;

/**
 * Parsed metadata, one version per table or view: the newest this node has seen. A metadata file
 * never changes once written, so an entry is never stale: only the pointer read from the store
 * decides whether the version kept is the current one.
 *
 * <p>Entries are keyed by the folder of the metadata files, which the versions of a table share, so
 * a new version replaces the one it supersedes in place. Keyed by file, each commit would add a key
 * of its own, and Caffeine, which admits a new key to a full cache only if it was used more often
 * than the entry it would evict, would refuse the new versions of the busiest tables in a cache
 * full of tables read once or twice.
 */
public final class MetadataCache {
  private final long maxJsonChars;
  private final Cache<String, TableMetadata> tables;
  private final Cache<String, ViewMetadata> views;
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
    // Evicting on the caller's thread keeps the bound exact when a put returns; the work is small.
    return Caffeine.newBuilder()
        .maximumWeight(maxWeight)
        .<String, V>weigher((folder, metadata) -> weight(metadata))
        .executor(Runnable::run)
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
   * Calls {@code listener} with each metadata location this cache drops because a newer version of
   * its table or view replaced it, so that what was derived from it can go too.
   */
  public void onSuperseded(Consumer<String> listener) {
    supersededListeners.add(listener);
  }

  /** The metadata of the file at {@code location}, read with {@code reader} on a miss. */
  public TableMetadata table(String location, Function<String, TableMetadata> reader) {
    return versionAt(tables, location, reader, MetadataVersion::of);
  }

  public void putTable(TableMetadata metadata) {
    keep(tables, metadata, MetadataVersion::of);
  }

  /** The metadata of the file at {@code location}, read with {@code reader} on a miss. */
  public ViewMetadata view(String location, Function<String, ViewMetadata> reader) {
    return versionAt(views, location, reader, MetadataVersion::of);
  }

  public void putView(ViewMetadata metadata) {
    keep(views, metadata, MetadataVersion::of);
  }

  /**
   * The version at {@code location}: the one kept if it is that file, else read, once for all the
   * requests that miss together, and kept unless a newer one is (a load that read the pointer
   * before a commit may read the older file afterwards).
   */
  private <V> V versionAt(
      Cache<String, V> versions,
      String location,
      Function<String, V> reader,
      Function<V, MetadataVersion> versionOf) {
    String folder = MetadataLocations.folderOf(location);
    V kept = versions.getIfPresent(folder);
    if (kept != null && versionOf.apply(kept).location().equals(location)) {
      return kept;
    }
    AtomicReference<V> answer = new AtomicReference<>();
    AtomicReference<String> superseded = new AtomicReference<>();
    versions
        .asMap()
        .compute(
            folder,
            (key, current) -> {
              if (current != null && versionOf.apply(current).location().equals(location)) {
                answer.set(current);
                return current;
              }
              V read = reader.apply(location);
              answer.set(read);
              return newest(current, read, versionOf, superseded);
            });
    notifySuperseded(superseded.get());
    return answer.get();
  }

  private <V> void keep(
      Cache<String, V> versions, V metadata, Function<V, MetadataVersion> versionOf) {
    AtomicReference<String> superseded = new AtomicReference<>();
    versions
        .asMap()
        .compute(
            versionOf.apply(metadata).folder(),
            (folder, current) -> newest(current, metadata, versionOf, superseded));
    notifySuperseded(superseded.get());
  }

  /** The version to keep of {@code current} and {@code incoming}; notes the one it drops. */
  private static <V> V newest(
      V current,
      V incoming,
      Function<V, MetadataVersion> versionOf,
      AtomicReference<String> superseded) {
    if (current == null) {
      return incoming;
    }
    MetadataVersion kept = versionOf.apply(current);
    if (!versionOf.apply(incoming).replaces(kept)) {
      return current;
    }
    superseded.set(kept.location());
    return incoming;
  }

  private void notifySuperseded(String location) {
    if (location != null) {
      supersededListeners.forEach(listener -> listener.accept(location));
    }
  }
}
