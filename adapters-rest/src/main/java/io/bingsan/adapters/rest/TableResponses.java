package io.bingsan.adapters.rest;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bingsan.service.CommittedTable;
import io.bingsan.service.Futures;
import io.bingsan.service.TableMetadataJson;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * Serialized {@code LoadTableResponse}s by metadata location and snapshot mode, with their gzip
 * form once a client has asked for it. A metadata file is immutable, so an entry never goes stale:
 * the pointer read before the lookup decides which entry is current, and a hot table is served
 * without parsing, serializing or compressing its metadata again.
 */
final class TableResponses {

  /**
   * A rendered response: its cache key and tag (none for a staged table, which has no location),
   * its JSON and its gzip form if made yet. {@link TableResponseEncoding} picks the encoding the
   * client accepts.
   */
  record Rendered(Key key, byte[] body, String etag, byte[] gzipped) {
    /** A 200 carrying this record; its body and tag are chosen per client on the way out. */
    Response toResponse() {
      Response.ResponseBuilder response = Response.ok(this, MediaType.APPLICATION_JSON_TYPE);
      return etag == null ? response.build() : response.header(HttpHeaders.ETAG, etag).build();
    }
  }

  record Key(String metadataLocation, SnapshotMode mode) {}

  // Keys, references and the record headers; small next to a metadata body.
  private static final int ENTRY_OVERHEAD_BYTES = 256;
  // Deflate's output chunk; fewer native calls than the default 512 bytes.
  private static final int GZIP_BUFFER_BYTES = 64 * 1024;

  private final TableMetadataJson metadataJson;
  private final int gzipLevel;
  private final Cache<Key, Rendered> cache;
  private final ConcurrentMap<Key, CompletableFuture<Rendered>> rendering =
      new ConcurrentHashMap<>();

  /**
   * @param maxBytes bound of the responses kept; a quarter more holds the lists of the last
   *     version rendered per table
   * @param gzipLevel deflate level of the gzip forms
   */
  TableResponses(long maxBytes, int gzipLevel) {
    this.metadataJson = new TableMetadataJson(maxBytes / 4);
    this.gzipLevel = gzipLevel;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .<Key, Rendered>weigher(
                (key, rendered) ->
                    rendered.body().length
                        + (rendered.gzipped() == null ? 0 : rendered.gzipped().length)
                        + 2 * key.metadataLocation().length()
                        + ENTRY_OVERHEAD_BYTES)
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
    Key key = new Key(metadataLocation, mode);
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
    return cache.getIfPresent(new Key(metadataLocation, mode));
  }

  /** Drops the responses for {@code metadataLocation}: a newer version replaced it. */
  void evict(String metadataLocation) {
    for (SnapshotMode mode : SnapshotMode.values()) {
      cache.invalidate(new Key(metadataLocation, mode));
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
    return cached(metadata.metadataFileLocation(), mode, metadataJson.utf8(shown));
  }

  /** Renders a committed table with all its snapshots from the JSON its commit wrote. */
  Rendered render(CommittedTable committed) {
    return cached(
        committed.metadata().metadataFileLocation(), SnapshotMode.ALL, committed.metadataJson());
  }

  private Rendered cached(String location, SnapshotMode mode, byte[] metadata) {
    byte[] body = loadTableResponse(location, metadata);
    if (location == null) {
      return new Rendered(null, body, null, null);
    }
    Key key = new Key(location, mode);
    Rendered rendered = new Rendered(key, body, ETags.of(location, mode), null);
    cache.put(key, rendered);
    return rendered;
  }

  /**
   * The bytes {@code LoadTableResponseParser} writes for metadata without config or credentials,
   * the metadata's JSON copied in unparsed.
   */
  private static byte[] loadTableResponse(String location, byte[] metadata) {
    String head =
        location == null
            ? "{\"metadata\":"
            : "{\"metadata-location\":\"" + quoted(location) + "\",\"metadata\":";
    byte[] headBytes = head.getBytes(UTF_8);
    byte[] body = Arrays.copyOf(headBytes, headBytes.length + metadata.length + 1);
    System.arraycopy(metadata, 0, body, headBytes.length, metadata.length);
    body[body.length - 1] = '}';
    return body;
  }

  /** The text of a JSON string literal, without its quotes. */
  private static String quoted(String value) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(value));
  }

  /**
   * The gzip form of a rendered body, compressed on first demand and then kept in the cache next
   * to the plain one (weighed with it). Two first requests may both compress; either result is
   * kept.
   */
  byte[] gzipped(Rendered rendered) {
    if (rendered.gzipped() != null) {
      return rendered.gzipped();
    }
    byte[] gzipped = gzip(rendered.body(), gzipLevel);
    if (rendered.key() != null) {
      cache
          .asMap()
          .replace(
              rendered.key(),
              rendered,
              new Rendered(rendered.key(), rendered.body(), rendered.etag(), gzipped));
    }
    return gzipped;
  }

  private static byte[] gzip(byte[] body, int level) {
    // JSON of table metadata shrinks to about a tenth; sized so that most bodies need no regrowth.
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 8 + 64);
    try (GZIPOutputStream gzip = new LeveledGzip(out, level)) {
      gzip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException("In-memory compression cannot fail", e);
    }
    return out.toByteArray();
  }

  /** Gzip at a chosen level; the JDK's stream only offers the default (6). */
  private static final class LeveledGzip extends GZIPOutputStream {
    LeveledGzip(OutputStream out, int level) throws IOException {
      super(out, GZIP_BUFFER_BYTES);
      def.setLevel(level);
    }
  }
}
