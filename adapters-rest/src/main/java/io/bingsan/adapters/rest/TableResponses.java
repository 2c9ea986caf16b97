package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.apache.iceberg.rest.responses.LoadTableResponse;

/**
 * Serialized {@code LoadTableResponse}s by metadata location and snapshot mode. A metadata file is
 * immutable, so an entry never goes stale: the pointer read before the lookup decides which entry
 * is current, and a hot table is served without parsing or serializing its metadata again.
 */
final class TableResponses {

  /** A rendered response body and its tag (none for a staged table, which has no location). */
  record Rendered(byte[] body, String etag) {
    Response toResponse() {
      Response.ResponseBuilder response = Response.ok(body, MediaType.APPLICATION_JSON_TYPE);
      return etag == null ? response.build() : response.header(HttpHeaders.ETAG, etag).build();
    }
  }

  private record Key(String metadataLocation, SnapshotMode mode) {}

  // Keys, references and the record headers; small next to a metadata body.
  private static final int ENTRY_OVERHEAD_BYTES = 256;

  private final IcebergJson json;
  private final Cache<Key, Rendered> cache;

  TableResponses(IcebergJson json, long maxBytes) {
    this.json = requireNonNull(json, "json is null");
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .<Key, Rendered>weigher(
                (key, rendered) ->
                    rendered.body().length
                        + 2 * key.metadataLocation().length()
                        + ENTRY_OVERHEAD_BYTES)
            .build();
  }

  /**
   * The response for the table whose pointer is {@code metadataLocation}; loads and renders only on
   * a miss. The loader may return newer metadata than the pointer (a commit in between); the result
   * is then rendered and cached under the newer location.
   */
  Rendered load(String metadataLocation, SnapshotMode mode, Supplier<TableMetadata> loader) {
    Rendered cached = cache.getIfPresent(new Key(metadataLocation, mode));
    return cached != null ? cached : render(loader.get(), mode);
  }

  /** Renders metadata in a snapshot mode, caching it when it has a location. */
  Rendered render(TableMetadata metadata, SnapshotMode mode) {
    TableMetadata shown =
        switch (mode) {
          case ALL -> metadata;
          case REFS ->
              TableMetadata.buildFrom(metadata)
                  .withMetadataLocation(metadata.metadataFileLocation())
                  .suppressHistoricalSnapshots()
                  .build();
        };
    byte[] body = json.write(LoadTableResponse.builder().withTableMetadata(shown).build());
    String location = metadata.metadataFileLocation();
    if (location == null) {
      return new Rendered(body, null);
    }
    Rendered rendered = new Rendered(body, ETags.of(location, mode));
    cache.put(new Key(location, mode), rendered);
    return rendered;
  }
}
