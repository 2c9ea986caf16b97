package io.bingsan.ports.out;

import static java.util.Objects.requireNonNull;

/**
 * A table's or view's current metadata as the catalog holds it: the pointer and the whole
 * metadata JSON of the file it points to.
 */
public record StoredMetadata(String metadataLocation, String metadataJson) {
  public StoredMetadata {
    requireNonNull(metadataLocation, "metadataLocation is null");
    requireNonNull(metadataJson, "metadataJson is null");
  }
}
