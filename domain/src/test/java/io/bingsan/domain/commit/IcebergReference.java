package io.bingsan.domain.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.view.BaseView;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;

/**
 * iceberg-core's own REST handlers ({@link CatalogHandlers}) over its in-memory catalog: the
 * reference implementation of the commit algorithm that our rules must agree with.
 */
final class IcebergReference {
  private static final Namespace NAMESPACE = Namespace.of("golden");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final InMemoryCatalog catalog = new InMemoryCatalog();

  IcebergReference() {
    catalog.initialize(
        "golden",
        Map.of(CatalogProperties.WAREHOUSE_LOCATION, "file:/golden/" + UUID.randomUUID()));
    catalog.createNamespace(NAMESPACE);
  }

  /** A table registered at a copy of {@code metadata}, with the base Iceberg commits on. */
  record Registered(TableIdentifier identifier, TableMetadata base) {}

  Registered register(TableMetadata metadata) {
    return register(metadata, "00003-" + UUID.randomUUID() + ".metadata.json");
  }

  Registered register(TableMetadata metadata, String fileName) {
    TableIdentifier identifier = freshIdentifier();
    // A fresh folder per registration: InMemoryFileIO is one JVM-wide map and never overwrites.
    String location = "file:/golden/" + UUID.randomUUID() + "/metadata/" + fileName;
    TableMetadataParser.write(metadata, new InMemoryFileIO().newOutputFile(location));
    BaseTable table = (BaseTable) catalog.registerTable(identifier, location);
    return new Registered(identifier, table.operations().current());
  }

  TableMetadata commit(
      TableIdentifier identifier,
      List<UpdateRequirement> requirements,
      List<MetadataUpdate> updates) {
    return CatalogHandlers.updateTable(
            catalog, identifier, UpdateTableRequest.create(identifier, requirements, updates))
        .tableMetadata();
  }

  /** A create commit ({@code assert-create}) of a table that does not exist yet. */
  TableMetadata create(List<UpdateRequirement> requirements, List<MetadataUpdate> updates) {
    return commit(freshIdentifier(), requirements, updates);
  }

  record RegisteredView(TableIdentifier identifier, ViewMetadata base) {}

  RegisteredView registerView(ViewMetadata metadata) {
    TableIdentifier identifier = freshIdentifier();
    String location =
        "file:/golden/"
            + UUID.randomUUID()
            + "/metadata/00001-"
            + UUID.randomUUID()
            + ".metadata.json";
    ViewMetadataParser.write(metadata, new InMemoryFileIO().newOutputFile(location));
    BaseView view = (BaseView) catalog.registerView(identifier, location);
    return new RegisteredView(identifier, view.operations().current());
  }

  ViewMetadata commitView(
      TableIdentifier identifier,
      List<UpdateRequirement> requirements,
      List<MetadataUpdate> updates) {
    return CatalogHandlers.updateView(
            catalog, identifier, UpdateTableRequest.create(identifier, requirements, updates))
        .metadata();
  }

  /**
   * The metadata's JSON without the wall-clock times each builder stamps on its own: everything a
   * commit decides, nothing that depends on when it ran.
   */
  static JsonNode comparable(TableMetadata metadata) {
    ObjectNode node = parse(TableMetadataParser.toJson(metadata));
    node.remove("last-updated-ms");
    node.path("snapshot-log").forEach(entry -> ((ObjectNode) entry).remove("timestamp-ms"));
    return node;
  }

  static JsonNode comparable(ViewMetadata metadata) {
    ObjectNode node = parse(ViewMetadataParser.toJson(metadata));
    node.path("version-log").forEach(entry -> ((ObjectNode) entry).remove("timestamp-ms"));
    return node;
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static TableIdentifier freshIdentifier() {
    return TableIdentifier.of(NAMESPACE, "t" + NAMES.incrementAndGet());
  }
}
