package io.bingsan.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Iceberg REST calls the workloads make, on any catalog: routes under the prefix that {@code
 * GET /v1/config} hands out, and request bodies as the spec defines them.
 */
final class IcebergRest {
  /** A ten-column schema, the size of a typical fact table's. */
  private static final List<Object> COLUMNS =
      List.of(
          column(1, "id", "long", true),
          column(2, "customer_id", "long", false),
          column(3, "order_ts", "timestamptz", false),
          column(4, "status", "string", false),
          column(5, "amount", "decimal(18, 2)", false),
          column(6, "currency", "string", false),
          column(7, "quantity", "int", false),
          column(8, "region", "string", false),
          column(9, "note", "string", false),
          column(10, "updated_at", "timestamptz", false));

  private final HttpTarget target;
  private final String base;

  private IcebergRest(HttpTarget target, String base) {
    this.target = target;
    this.base = base;
  }

  /** Reads the warehouse's prefix from {@code GET /v1/config?warehouse=}. */
  static IcebergRest discover(URI url, String warehouse, boolean gzip) throws IOException {
    String root = url.getPath().endsWith("/") ? url.getPath() : url.getPath() + "/";
    String configPath =
        root + "v1/config" + (warehouse.isEmpty() ? "" : "?warehouse=" + encode(warehouse));
    HttpTarget target = HttpTarget.of(url, gzip);
    try (HttpConnection connection = new HttpConnection(target)) {
      HttpConnection.Response config = connection.get(configPath, true);
      if (config.status() != 200) {
        throw new IOException("GET " + configPath + " answered " + config);
      }
      Object json = config.json();
      Object prefix = Json.at(json, "overrides", "prefix");
      if (prefix == null) {
        prefix = Json.at(json, "defaults", "prefix");
      }
      String base = root + "v1/" + (prefix == null ? "" : pathSegment((String) prefix) + "/");
      return new IcebergRest(target, base);
    }
  }

  HttpConnection connect() {
    return new HttpConnection(target);
  }

  HttpTarget target() {
    return target;
  }

  String namespaces() {
    return base + "namespaces";
  }

  String tables(String namespace) {
    return base + "namespaces/" + encode(namespace) + "/tables";
  }

  String table(String namespace, String table) {
    return tables(namespace) + "/" + encode(table);
  }

  private static String namespaceBody(String namespace) {
    return Json.write(Map.of("namespace", List.of(namespace), "properties", Map.of()));
  }

  static String createTableBody(String name) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "struct");
    schema.put("schema-id", 0);
    schema.put("fields", COLUMNS);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put("schema", schema);
    // Iceberg's Java client always sends stage-create; Nessie rejects a request without it.
    request.put("stage-create", false);
    request.put("properties", Map.of("format-version", "2"));
    return Json.write(request);
  }

  /** Creates a namespace; one that exists already (a rerun) is fine. */
  void createNamespace(HttpConnection connection, String namespace) throws IOException {
    HttpConnection.Response response =
        connection.post(namespaces(), namespaceBody(namespace), true);
    if (!response.ok() && response.status() != 409) {
      throw new IOException("Create namespace " + namespace + " answered " + response);
    }
  }

  /** Creates a table and returns its state. */
  TableState createTable(HttpConnection connection, String namespace, String name)
      throws IOException {
    HttpConnection.Response response =
        connection.post(tables(namespace), createTableBody(name), true);
    if (response.status() != 200) {
      throw new IOException("Create table " + namespace + "." + name + " answered " + response);
    }
    return TableState.of(response);
  }

  /**
   * What a writer knows of a table: where it lives, the snapshot its main branch points at (null
   * for none) and the last sequence number, which every new snapshot must exceed.
   */
  record TableState(String location, Long main, long lastSequenceNumber) {
    /** A writer reloads the whole metadata; building only these keys keeps that cheap. */
    private static final String[] READ = {
      "metadata/location", "metadata/refs/main/snapshot-id", "metadata/last-sequence-number"
    };

    /** The state a loadTable (or createTable) answer gives. */
    static TableState of(HttpConnection.Response loaded) {
      Object metadata = Json.at(loaded.jsonOnly(READ), "metadata");
      Object main = Json.at(metadata, "refs", "main", "snapshot-id");
      return new TableState(
          (String) Json.at(metadata, "location"),
          main == null ? null : ((Number) main).longValue(),
          ((Number) Json.at(metadata, "last-sequence-number")).longValue());
    }

    /** The state after a commit of {@code count} snapshots that ended at {@code newMain}. */
    TableState after(long newMain, int count) {
      return new TableState(location, newMain, lastSequenceNumber + count);
    }
  }

  /**
   * An append commit: {@code ids.size()} chained add-snapshot updates, then main moved to the last
   * one, guarded by {@code assert-ref-snapshot-id} on the main the writer last saw. Manifest lists
   * are never read by a catalog, so their paths need not exist.
   */
  static String appendCommit(TableState state, List<Long> ids) {
    long timestamp = System.currentTimeMillis();
    List<Object> updates = new ArrayList<>(ids.size() + 1);
    Long parent = state.main();
    long sequence = state.lastSequenceNumber();
    for (long id : ids) {
      Map<String, Object> snapshot = new LinkedHashMap<>();
      snapshot.put("snapshot-id", id);
      if (parent != null) {
        snapshot.put("parent-snapshot-id", parent);
      }
      snapshot.put("sequence-number", ++sequence);
      snapshot.put("timestamp-ms", timestamp);
      snapshot.put("manifest-list", state.location() + "/metadata/snap-" + id + "-1-bench.avro");
      snapshot.put("summary", Map.of("operation", "append", "added-records", "100"));
      snapshot.put("schema-id", 0);
      updates.add(Map.of("action", "add-snapshot", "snapshot", snapshot));
      parent = id;
    }
    Map<String, Object> setRef = new LinkedHashMap<>();
    setRef.put("action", "set-snapshot-ref");
    setRef.put("ref-name", "main");
    setRef.put("type", "branch");
    setRef.put("snapshot-id", parent);
    updates.add(setRef);
    Map<String, Object> requirement = new HashMap<>();
    requirement.put("type", "assert-ref-snapshot-id");
    requirement.put("ref", "main");
    requirement.put("snapshot-id", state.main());
    return Json.write(Map.of("requirements", List.of(requirement), "updates", updates));
  }

  static long newSnapshotId() {
    return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  }

  private static Map<String, Object> column(int id, String name, String type, boolean required) {
    Map<String, Object> column = new LinkedHashMap<>();
    column.put("id", id);
    column.put("name", name);
    column.put("required", required);
    column.put("type", type);
    return column;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, UTF_8).replace("+", "%20");
  }

  /** A prefix as the server sent it, with only characters a URI path may not hold escaped. */
  private static String pathSegment(String prefix) {
    StringBuilder out = new StringBuilder();
    for (char c : prefix.toCharArray()) {
      if (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@%".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append(encode(String.valueOf(c)));
      }
    }
    return out.toString();
  }
}
