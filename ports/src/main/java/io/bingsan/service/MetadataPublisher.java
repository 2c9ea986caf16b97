package io.bingsan.service;

import static java.util.Objects.requireNonNull;

import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.ports.out.CatalogChangeLog;
import io.bingsan.ports.out.CatalogObjectStore;
import io.bingsan.ports.out.MetadataFileStore;
import java.util.List;
import java.util.Objects;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes metadata files that are already written by moving pointers to them, and decides what
 * happens to the files when that fails: a definite failure deletes them; an unknown outcome (the
 * store went away mid-transaction) re-reads the pointers: all moved is a success, anything else is
 * reported as unknown and the files are kept, since a late commit may still reference them.
 */
final class MetadataPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataPublisher.class);

  /** A pointer move this publication makes: the object and the file it will point to. */
  record NewPointer(ObjectKind kind, TableIdentifier identifier, String metadataLocation) {}

  private final CatalogChangeLog changes;
  private final CatalogObjectStore objects;
  private final MetadataFileStore files;

  MetadataPublisher(CatalogChangeLog changes, CatalogObjectStore objects, MetadataFileStore files) {
    this.changes = requireNonNull(changes, "changes is null");
    this.objects = requireNonNull(objects, "objects is null");
    this.files = requireNonNull(files, "files is null");
  }

  /**
   * Applies the changes in one transaction.
   *
   * @throws RuntimeException the store's definite failure, after the new files were deleted
   */
  void publish(String warehouse, List<CatalogChange> catalogChanges, List<NewPointer> pointers) {
    try {
      changes.apply(warehouse, catalogChanges);
    } catch (ServiceUnavailableException | CommitStateUnknownException unknown) {
      requireLanded(warehouse, pointers, unknown);
    } catch (RuntimeException definite) {
      deleteFiles(pointers);
      throw definite;
    }
  }

  void deleteFiles(List<NewPointer> pointers) {
    for (NewPointer pointer : pointers) {
      try {
        files.delete(pointer.metadataLocation());
      } catch (RuntimeException e) {
        LOG.warn("Could not delete unreferenced metadata file {}", pointer.metadataLocation(), e);
      }
    }
  }

  private void requireLanded(
      String warehouse, List<NewPointer> pointers, RuntimeException storeFailure) {
    try {
      for (NewPointer pointer : pointers) {
        String current =
            objects
                .metadataLocation(warehouse, pointer.kind(), pointer.identifier())
                .orElse(null);
        if (!Objects.equals(current, pointer.metadataLocation())) {
          throw new CommitStateUnknownException(storeFailure);
        }
      }
    } catch (CommitStateUnknownException e) {
      throw e;
    } catch (RuntimeException verificationFailure) {
      storeFailure.addSuppressed(verificationFailure);
      throw new CommitStateUnknownException(storeFailure);
    }
  }
}
