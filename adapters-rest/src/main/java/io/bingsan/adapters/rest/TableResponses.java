package io.bingsan.adapters.rest;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bingsan.domain.commit.MetadataLocations;
import io.bingsan.service.ChunkedGzip;
import io.bingsan.service.CommittedTable;
import io.bingsan.service.Futures;
import io.bingsan.service.MetadataVersion;
import io.bingsan.service.TableMetadataJson;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * Serialized {@code LoadTableResponse}s, one version per table and snapshot mode, with their gzip
 * form once a client has asked for it. A metadata file is immutable, so an entry never goes stale:
 * the pointer read before the lookup decides whether the entry is current, and a hot table is
 * served without parsing, serializing or compressing its metadata again. A new version takes its
 * table's place, as in {@link io.bingsan.service.MetadataCache}, rather than a key of its own that
 * Caffeine's admission would weigh as a newcomer.
 */
final class TableResponses {

  /**
   * A rendered response: the version and mode it shows, its plain encoding, the chunks of its JSON
   * that other versions' gzip forms share, and its gzip encoding if made yet. Each encoding carries
   * its tag (none for a staged table, which has no location), so a load computes no tag or copy.
   * {@link TableResponseEncoding} picks the encoding the client accepts.
   */
  record Rendered(
      MetadataVersion version,
      SnapshotMode mode,
      List<ChunkedGzip.Chunk> chunks,
      Encoded plain,
      Encoded gzip) {
    /** The plain JSON body. */
    byte[] body() {
      return plain.body();
    }

    /** The plain body's tag, or null for a staged table. */
    String etag() {
      return plain.etag();
    }

    /** A 200 carrying this record; its body and tag are chosen per client on the way out. */
    Response toResponse() {
      Response.ResponseBuilder response = Response.ok(this, MediaType.APPLICATION_JSON_TYPE);
      return etag() == null ? response.build() : response.header(HttpHeaders.ETAG, etag()).build();
    }
  }

  /** A body and its tag as sent; {@code gzip} adds its Content-Encoding. */
  record Encoded(byte[] body, String etag, boolean gzip) {
    /** The headers it is sent with, for each route to set alike: Vary, then ETag and encoding. */
    void headers(BiConsumer<String, String> header) {
      header.accept(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
      if (etag != null) {
        header.accept(HttpHeaders.ETAG, etag);
      }
      if (gzip) {
        header.accept(HttpHeaders.CONTENT_ENCODING, TableResponseEncoding.GZIP);
      }
    }
  }

  /** Where a table's response in one mode is kept: by its metadata folder. */
  private record Slot(String folder, SnapshotMode mode) {}

  /** A response being rendered: by metadata file, so loads of other versions do not wait. */
  private record Rendering(String metadataLocation, SnapshotMode mode) {}

  // Keys, references and the record headers; small next to a metadata body.
  private static final int ENTRY_OVERHEAD_BYTES = 256;

  // One per mode: a table's lists differ between them, and each version shares them with the last.
  private final Map<SnapshotMode, TableMetadataJson> metadataJson =
      new EnumMap<>(SnapshotMode.class);
  private final int gzipLevel;
  private final Cache<Slot, Rendered> cache;
  private final ConcurrentMap<Rendering, CompletableFuture<Rendered>> rendering =
      new ConcurrentHashMap<>();

  /**
   * @param maxBytes bound of the responses kept; a quarter more holds the lists of the last
   *     version rendered per table and mode
   * @param gzipLevel deflate level of the gzip forms
   */
  TableResponses(long maxBytes, int gzipLevel) {
    for (SnapshotMode mode : SnapshotMode.values()) {
      metadataJson.put(mode, new TableMetadataJson(maxBytes / 4 / SnapshotMode.values().length));
    }
    this.gzipLevel = gzipLevel;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .<Slot, Rendered>weigher(
                (slot, rendered) ->
                    rendered.body().length
                        + (rendered.gzip() == null ? 0 : rendered.gzip().body().length)
                        + 2 * rendered.version().location().length()
                        + ENTRY_OVERHEAD_BYTES)
            .executor(Runnable::run)
            .build();
  }

  /**
   * The response for the table whose pointer is {@code metadataLocation}; loads and renders only on
   * a miss, once for all the requests that miss together (the writers that lost to a new version
   * all reload it at once). The loader may return newer metadata than the pointer (a commit in
   * between); the result is then rendered and cached under the newer location.
   */
  Rendered load(String metadataLocation, SnapshotMode mode, Supplier<TableMetadata> loader) {
    Rendered cached = lookup(metadataLocation, mode);
    if (cached != null) {
      return cached;
    }
    Rendering key = new Rendering(metadataLocation, mode);
    CompletableFuture<Rendered> mine = new CompletableFuture<>();
    CompletableFuture<Rendered> running = rendering.putIfAbsent(key, mine);
    if (running != null) {
      return Futures.join(running);
    }
    try {
      Rendered rendered = render(loader.get(), mode);
      mine.complete(rendered);
      return rendered;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      rendering.remove(key, mine);
    }
  }

  /** The cached response for the table whose pointer is {@code metadataLocation}, or null. */
  Rendered lookup(String metadataLocation, SnapshotMode mode) {
    Rendered kept = cache.getIfPresent(slot(metadataLocation, mode));
    return kept != null && kept.version().location().equals(metadataLocation) ? kept : null;
  }

  private static Slot slot(String metadataLocation, SnapshotMode mode) {
    return new Slot(MetadataLocations.folderOf(metadataLocation), mode);
  }

  /** Drops the responses for {@code metadataLocation}: a newer version replaced it. */
  void evict(String metadataLocation) {
    for (SnapshotMode mode : SnapshotMode.values()) {
      cache
          .asMap()
          .computeIfPresent(
              slot(metadataLocation, mode),
              (slot, kept) -> kept.version().location().equals(metadataLocation) ? null : kept);
    }
  }

  /**
   * Renders metadata in a snapshot mode, caching it when it has a location. The lists it shares
   * with the last version rendered (a hot table's metadata log, for one) are copied from that
   * version's JSON, not written again.
   */
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
    return cached(MetadataVersion.of(metadata), mode, metadataJson.get(mode).serialize(shown));
  }

  /** Renders a committed table with all its snapshots from the JSON its commit wrote. */
  Rendered render(CommittedTable committed) {
    return cached(
        MetadataVersion.of(committed.metadata()), SnapshotMode.ALL, committed.metadataJson());
  }

  /** A response kept in its table's place unless a newer version holds it. */
  private Rendered cached(
      MetadataVersion version, SnapshotMode mode, TableMetadataJson.Serialized metadata) {
    String location = version.location();
    byte[] head = loadTableResponseHead(location);
    byte[] body = Arrays.copyOf(head, head.length + metadata.utf8().length + 1);
    System.arraycopy(metadata.utf8(), 0, body, head.length, metadata.utf8().length);
    body[body.length - 1] = '}';
    List<ChunkedGzip.Chunk> chunks =
        metadata.chunks().stream().map(chunk -> chunk.shifted(head.length)).toList();
    String etag = location == null ? null : ETags.of(location, mode);
    Rendered rendered = new Rendered(version, mode, chunks, new Encoded(body, etag, false), null);
    if (location == null) {
      return rendered;
    }
    cache
        .asMap()
        .merge(
            slot(location, mode),
            rendered,
            (kept, incoming) -> incoming.version().replaces(kept.version()) ? incoming : kept);
    return rendered;
  }

  /**
   * What {@code LoadTableResponseParser} writes ahead of the metadata for a response without
   * config or credentials; the metadata's JSON is copied in after it unparsed, then a brace.
   */
  private static byte[] loadTableResponseHead(String location) {
    String head =
        location == null
            ? "{\"metadata\":"
            : "{\"metadata-location\":\"" + quoted(location) + "\",\"metadata\":";
    return head.getBytes(UTF_8);
  }

  /** The text of a JSON string literal, without its quotes. */
  private static String quoted(String value) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(value));
  }

  /**
   * The gzip encoding of a rendered response, compressed on first demand and then kept in the cache
   * next to the plain one (weighed with it). Two first requests may both compress; either result is
   * kept.
   */
  Encoded gzipped(Rendered rendered) {
    if (rendered.gzip() != null) {
      return rendered.gzip();
    }
    Encoded gzip =
        new Encoded(
            ChunkedGzip.gzip(rendered.body(), rendered.chunks(), gzipLevel),
            rendered.etag() == null ? null : ETags.gzip(rendered.etag()),
            true);
    if (rendered.version().location() != null) {
      cache
          .asMap()
          .replace(
              slot(rendered.version().location(), rendered.mode()),
              rendered,
              new Rendered(
                  rendered.version(), rendered.mode(), rendered.chunks(), rendered.plain(), gzip));
    }
    return gzip;
  }
}
