package io.bingsan.service;

import io.bingsan.domain.commit.MetadataLocations;
import java.util.Objects;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.view.ViewMetadata;

/**
 * A metadata file as a version of its table or view: where it is, whose it is, and when it was
 * made. Caches keep one version per metadata folder, which a table's versions share.
 */
public record MetadataVersion(String location, String uuid, long madeAtMillis) {

  public static MetadataVersion of(TableMetadata metadata) {
    return new MetadataVersion(
        metadata.metadataFileLocation(), metadata.uuid(), metadata.lastUpdatedMillis());
  }

  public static MetadataVersion of(ViewMetadata metadata) {
    return new MetadataVersion(
        metadata.metadataFileLocation(),
        metadata.uuid(),
        metadata.currentVersion().timestampMillis());
  }

  /** The cache key of this version's table or view. */
  public String folder() {
    return MetadataLocations.folderOf(location);
  }

  /**
   * Whether this version may take the place of {@code kept}: a later version of the same object, or
   * any version of another object sharing its folder; never the same file, which is kept as is. A
   * load that read the pointer before a commit may bring in the older version afterwards, which
   * must not replace the newer. Versions are ordered by the number their file names start with,
   * which commits a millisecond apart still tell apart, else by when they were made (files named by
   * other tools).
   */
  public boolean replaces(MetadataVersion kept) {
    if (location.equals(kept.location)) {
      return false;
    }
    if (!Objects.equals(uuid, kept.uuid)) {
      return true;
    }
    int number = MetadataLocations.version(location);
    int keptNumber = MetadataLocations.version(kept.location);
    return number >= 0 && keptNumber >= 0 && number != keptNumber
        ? number > keptNumber
        : madeAtMillis >= kept.madeAtMillis;
  }
}
