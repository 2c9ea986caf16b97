package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import io.bingsan.service.TableService;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * loadTable up to the choice of encoding, for {@link TableResource#load} and {@link
 * TableLoadHandler} alike. The pointer read comes first and alone: an unchanged table is
 * answered with 304 or from the response cache without touching its metadata.
 */
final class TableLoads {

  /** A 304 with {@code notModifiedTag}, or else a 200 with {@code rendered}. */
  record Answer(String notModifiedTag, TableResponses.Rendered rendered) {}

  private final TableService tables;
  private final TableResponses responses;

  TableLoads(TableService tables, TableResponses responses) {
    this.tables = requireNonNull(tables, "tables is null");
    this.responses = requireNonNull(responses, "responses is null");
  }

  /** The answer, rendering the metadata if its response is not cached. */
  Answer load(
      String prefix, TableIdentifier identifier, SnapshotMode mode, List<String> ifNoneMatch) {
    String metadataLocation = tables.loadableMetadataLocation(prefix, identifier);
    // Most loads do not revalidate: the tag is hashed only for those that do.
    if (ifNoneMatch != null && !ifNoneMatch.isEmpty()) {
      String revalidated = ETags.matching(ifNoneMatch, ETags.of(metadataLocation, mode));
      if (revalidated != null) {
        return new Answer(revalidated, null);
      }
    }
    return new Answer(
        null,
        responses.load(metadataLocation, mode, () -> tables.load(prefix, identifier)));
  }
}
