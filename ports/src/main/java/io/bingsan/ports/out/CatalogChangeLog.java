package io.bingsan.ports.out;

import io.bingsan.domain.change.CatalogChange;
import java.util.List;

/**
 * The only way to change the catalog: the changes and one event row for each are written in a
 * single database transaction, all or nothing.
 *
 * <p>Failures are Iceberg's exceptions: {@code NoSuchNamespaceException}, {@code
 * NoSuchTableException}, {@code NoSuchViewException}, {@code AlreadyExistsException}, {@code
 * NamespaceNotEmptyException}; a pointer that moved is {@link PointerMovedException}. A failure
 * leaves the catalog exactly as it was.
 */
public interface CatalogChangeLog {

  void apply(String warehouse, List<CatalogChange> changes);

  default void apply(String warehouse, CatalogChange change) {
    apply(warehouse, List.of(change));
  }
}
