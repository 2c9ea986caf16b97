package io.bingsan.ports.out;

import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A compare-and-swap lost: another commit moved the metadata pointer first. Nothing was written;
 * the caller may retry on fresh metadata.
 */
public final class PointerMovedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PointerMovedException(TableIdentifier identifier) {
    super("Metadata pointer of " + identifier + " moved concurrently");
  }
}
