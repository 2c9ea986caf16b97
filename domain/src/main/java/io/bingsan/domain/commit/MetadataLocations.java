package io.bingsan.domain.commit;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.util.LocationUtil;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewProperties;

/**
 * Names metadata files as Iceberg's own catalogs do, {@code <dir>/<version>-<uuid><ext>}, so any
 * engine, or another catalog through register, finds them by the usual rules.
 */
public final class MetadataLocations {
  private static final String METADATA_FOLDER = "metadata";

  private MetadataLocations() {}

  /** The file for the table version after {@code previousLocation} (null for a new table). */
  public static String nextTableMetadata(
      TableMetadata metadata, String previousLocation, UUID fileId) {
    String codec =
        metadata.property(
            TableProperties.METADATA_COMPRESSION, TableProperties.METADATA_COMPRESSION_DEFAULT);
    return fileName(
        metadata.location(),
        metadata.properties(),
        TableProperties.WRITE_METADATA_LOCATION,
        nextVersion(previousLocation),
        fileId,
        TableMetadataParser.getFileExtension(codec));
  }

  /**
   * The folder of a table's metadata files, manifests included: {@code write.metadata.path}, else
   * {@code <location>/metadata}.
   */
  public static String tableMetadataFolder(TableMetadata metadata) {
    return folder(
        metadata.location(), metadata.properties(), TableProperties.WRITE_METADATA_LOCATION);
  }

  /** The file for the view version after {@code previousLocation} (null for a new view). */
  public static String nextViewMetadata(
      ViewMetadata metadata, String previousLocation, UUID fileId) {
    String codec =
        metadata
            .properties()
            .getOrDefault(
                ViewProperties.METADATA_COMPRESSION, ViewProperties.METADATA_COMPRESSION_DEFAULT);
    return fileName(
        metadata.location(),
        metadata.properties(),
        ViewProperties.WRITE_METADATA_LOCATION,
        nextVersion(previousLocation),
        fileId,
        TableMetadataParser.getFileExtension(codec));
  }

  /** The folder holding the metadata file at {@code metadataLocation}, where its versions are. */
  public static String folderOf(String metadataLocation) {
    return metadataLocation.substring(0, Math.max(metadataLocation.lastIndexOf('/'), 0));
  }

  /**
   * The version a metadata file name starts with, or -1 when it has none (files written by other
   * tools may be named freely).
   */
  public static int version(String metadataLocation) {
    int start = metadataLocation.lastIndexOf('/') + 1;
    int end = metadataLocation.indexOf('-', start);
    if (end < 0) {
      return -1;
    }
    try {
      return Integer.parseInt(metadataLocation.substring(start, end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int nextVersion(String previousLocation) {
    return previousLocation == null ? 0 : version(previousLocation) + 1;
  }

  private static String fileName(
      String location,
      Map<String, String> properties,
      String metadataPathProperty,
      int version,
      UUID fileId,
      String extension) {
    return String.format(
        Locale.ROOT,
        "%s/%05d-%s%s",
        folder(location, properties, metadataPathProperty),
        version,
        fileId,
        extension);
  }

  private static String folder(
      String location, Map<String, String> properties, String metadataPathProperty) {
    String folder = properties.get(metadataPathProperty);
    // Every trailing slash goes, as in Iceberg's own operations (LocationUtil).
    return folder != null
        ? LocationUtil.stripTrailingSlash(folder)
        : LocationUtil.stripTrailingSlash(location) + "/" + METADATA_FOLDER;
  }
}
