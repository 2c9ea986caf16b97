package io.bingsan.service;

import static java.util.Objects.requireNonNull;

import org.apache.iceberg.TableMetadata;

/**
 * A table after a commit: its metadata, and the JSON of the file at its metadata location, which
 * the commit serialized already, so that an answer can carry it without serializing it again. The
 * bytes are shared, not copied: nobody writes to them.
 */
public record CommittedTable(TableMetadata metadata, TableMetadataJson.Serialized metadataJson) {
  public CommittedTable {
    requireNonNull(metadata, "metadata is null");
    requireNonNull(metadataJson, "metadataJson is null");
  }
}
