package io.bingsan.ports.out;

import io.bingsan.domain.change.ObjectKind;
import java.util.List;
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

  /**
   * The current pointers of several objects of one kind in one read, in the order asked; empty
   * for those that do not exist. A store that can read them together should: concurrent loads of
   * different tables share one read.
   */
  default List<Optional<String>> metadataLocations(
      String warehouse, ObjectKind kind, List<TableIdentifier> identifiers) {
    return identifiers.stream()
        .map(identifier -> metadataLocation(warehouse, kind, identifier))
        .toList();
  }

  /** The objects of one kind in a namespace, in a fixed order. */
  Page<TableIdentifier> list(
      String warehouse, ObjectKind kind, Namespace namespace, PageRequest page);
}
