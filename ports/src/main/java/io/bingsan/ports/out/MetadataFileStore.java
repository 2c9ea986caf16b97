package io.bingsan.ports.out;

import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.view.ViewMetadata;

/**
 * Table and view metadata files in object storage or the local filesystem. Locations are URIs
 * ({@code file:/…}, {@code s3://…}, {@code gs://…}); a file is compressed when its name says so.
 */
public interface MetadataFileStore {

  /**
   * Writes a new file whose content is {@code utf8Json} exactly (compressed when the name says
   * so): a commit serializes its metadata once, for the file and its answer alike. The location is
   * fresh (it carries a UUID), so nothing is overwritten.
   */
  void writeTableJson(byte[] utf8Json, String location);

  TableMetadata readTable(String location);

  void writeView(ViewMetadata metadata, String location);

  ViewMetadata readView(String location);

  /**
   * Makes a folder ready for clients to write files into. A local filesystem needs it to exist:
   * engines that write manifests for a staged table themselves (DuckDB) do not create it. Object
   * stores have no folders, so nothing happens there.
   */
  void prepareFolder(String location);

  /** Whether the file is there: a cheap existence check, no read. */
  boolean exists(String location);

  /** Deletes one file; a missing file is not an error. */
  void delete(String location);

  /** Deletes a dropped table's data, manifests, statistics and metadata files. */
  void purgeTable(TableMetadata metadata);
}
