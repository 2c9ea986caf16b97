package io.bingsan.ports.out;

import io.bingsan.domain.change.ObjectKind;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/** Reads a warehouse's tables and views. Names compare case-insensitively and keep their case. */
public interface CatalogObjectStore {

  /**
   * The current metadata pointer: the only read of a load. The metadata itself is in the file it
   * names, which never changes once written.
   */
  Optional<String> metadataLocation(String warehouse, ObjectKind kind, TableIdentifier identifier);

  /** The objects of one kind in a namespace, in a fixed order. */
  Page<TableIdentifier> list(
      String warehouse, ObjectKind kind, Namespace namespace, PageRequest page);
}
