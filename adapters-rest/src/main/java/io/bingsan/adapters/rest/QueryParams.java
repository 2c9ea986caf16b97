package io.bingsan.adapters.rest;

import io.bingsan.ports.out.PageRequest;
import io.bingsan.service.Paging;
import java.util.Locale;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * Query parameters, taken as strings and parsed here: a value JAX-RS fails to convert would be a
 * 404 without an Iceberg error body, where the spec wants a 400.
 */
final class QueryParams {
  private QueryParams() {}

  /** The spec's paging; an empty {@code pageSize} counts as absent. */
  static PageRequest page(String pageToken, String pageSize) {
    Integer size = null;
    if (pageSize != null && !pageSize.isEmpty()) {
      try {
        size = Integer.valueOf(pageSize);
      } catch (NumberFormatException e) {
        throw new BadRequestException("Invalid pageSize: %s, must be a positive integer", pageSize);
      }
    }
    return Paging.request(pageToken, size);
  }

  /** {@code snapshots=all|refs}, {@code all} when absent. */
  static SnapshotMode snapshotMode(String snapshots) {
    if (snapshots == null || snapshots.isEmpty()) {
      return SnapshotMode.ALL;
    }
    try {
      return SnapshotMode.valueOf(snapshots.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid snapshots: %s, must be all or refs", snapshots);
    }
  }

  /** A boolean flag, false when absent. */
  static boolean flag(String name, String value) {
    if (value == null || value.isEmpty() || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    throw new BadRequestException("Invalid %s: %s, must be true or false", name, value);
  }
}
