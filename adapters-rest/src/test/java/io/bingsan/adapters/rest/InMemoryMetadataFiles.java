package io.bingsan.adapters.rest;

import io.bingsan.ports.out.MetadataFileStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;

/** Metadata files kept as JSON in memory, written and read through Iceberg's parsers. */
final class InMemoryMetadataFiles implements MetadataFileStore {
  private final Map<String, String> files = new ConcurrentHashMap<>();

  @Override
  public void writeTableJson(byte[] utf8Json, String location) {
    files.put(location, new String(utf8Json, StandardCharsets.UTF_8));
  }

  @Override
  public TableMetadata readTable(String location) {
    return TableMetadataParser.fromJson(location, read(location));
  }

  @Override
  public void writeView(ViewMetadata metadata, String location) {
    files.put(location, ViewMetadataParser.toJson(metadata));
  }

  @Override
  public ViewMetadata readView(String location) {
    return ViewMetadataParser.fromJson(location, read(location));
  }

  /** Memory has no folders. */
  @Override
  public void prepareFolder(String location) {}

  @Override
  public boolean exists(String location) {
    return files.containsKey(location);
  }

  @Override
  public void delete(String location) {
    files.remove(location);
  }

  @Override
  public void purgeTable(TableMetadata metadata) {
    files.remove(metadata.metadataFileLocation());
  }

  private String read(String location) {
    String json = files.get(location);
    if (json == null) {
      throw new NotFoundException("File does not exist: %s", location);
    }
    return json;
  }
}
