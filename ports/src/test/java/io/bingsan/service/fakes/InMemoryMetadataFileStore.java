package io.bingsan.service.fakes;

import io.bingsan.domain.catalog.StorageLocations;
import io.bingsan.ports.out.MetadataFileStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;

/**
 * Metadata files in a map, as JSON through Iceberg's parsers: a read returns what a real file
 * would, with the metadata location set. Spellings of one local path ({@code /a}, {@code file:/a},
 * {@code file:///a}) name one file, as they do on a file system.
 */
public final class InMemoryMetadataFileStore implements MetadataFileStore {
  private final Map<String, String> files = new LinkedHashMap<>();
  private final List<String> written = new ArrayList<>();
  private final List<String> deleted = new ArrayList<>();
  private final List<String> purged = new ArrayList<>();
  private final List<String> preparedFolders = new ArrayList<>();
  private final Map<String, byte[]> tableBytes = new HashMap<>();
  private int tableReads;
  private Runnable beforeNextTableWrite;

  /**
   * Runs {@code hook} once, at the start of the next table metadata write and outside this store's
   * lock: the committing request is then between its plan and its swap.
   */
  public synchronized void beforeNextTableWrite(Runnable hook) {
    beforeNextTableWrite = hook;
  }

  /** Keeps the very bytes it is given, so tests can tell they were not serialized again. */
  @Override
  public void writeTableJson(byte[] utf8Json, String location) {
    Runnable hook;
    synchronized (this) {
      hook = beforeNextTableWrite;
      beforeNextTableWrite = null;
    }
    if (hook != null) {
      hook.run();
    }
    synchronized (this) {
      write(location, new String(utf8Json, StandardCharsets.UTF_8));
      tableBytes.put(key(location), utf8Json);
    }
  }

  @Override
  public synchronized TableMetadata readTable(String location) {
    tableReads++;
    return TableMetadataParser.fromJson(location, read(location));
  }

  @Override
  public synchronized void writeView(ViewMetadata metadata, String location) {
    write(location, ViewMetadataParser.toJson(metadata));
  }

  @Override
  public synchronized ViewMetadata readView(String location) {
    return ViewMetadataParser.fromJson(location, read(location));
  }

  @Override
  public synchronized void prepareFolder(String location) {
    preparedFolders.add(location);
  }

  @Override
  public synchronized void delete(String location) {
    files.remove(key(location));
    deleted.add(location);
  }

  /** Deletes the table's metadata files, current and previous; data files are not modelled. */
  @Override
  public synchronized void purgeTable(TableMetadata metadata) {
    purged.add(metadata.metadataFileLocation());
    files.remove(key(metadata.metadataFileLocation()));
    metadata.previousFiles().forEach(entry -> files.remove(key(entry.file())));
  }

  /** How many table metadata files were read. */
  public synchronized int tableReads() {
    return tableReads;
  }

  /** The locations of the files that exist now. */
  public synchronized Set<String> existing() {
    return new TreeSet<>(files.keySet());
  }

  @Override
  public synchronized boolean exists(String location) {
    return files.containsKey(key(location));
  }

  /** The bytes a table's metadata file was written with: the very array. */
  public synchronized byte[] tableBytes(String location) {
    return tableBytes.get(key(location));
  }

  /** Every location written, in order, including files deleted since. */
  public synchronized List<String> written() {
    return List.copyOf(written);
  }

  public synchronized List<String> deleted() {
    return List.copyOf(deleted);
  }

  public synchronized List<String> purged() {
    return List.copyOf(purged);
  }

  public synchronized List<String> preparedFolders() {
    return List.copyOf(preparedFolders);
  }

  /** Puts a file as another tool would have written it, for register. */
  public synchronized void put(String location, TableMetadata metadata) {
    files.put(key(location), TableMetadataParser.toJson(metadata));
  }

  public synchronized void put(String location, ViewMetadata metadata) {
    files.put(key(location), ViewMetadataParser.toJson(metadata));
  }

  private void write(String location, String json) {
    String key = key(location);
    // The port promises fresh locations: a second write to one would be a bug in the caller.
    if (files.containsKey(key) || written.stream().anyMatch(w -> key(w).equals(key))) {
      throw new IllegalStateException("Metadata file written twice: " + location);
    }
    files.put(key, json);
    written.add(location);
  }

  private String read(String location) {
    String json = files.get(key(location));
    if (json == null) {
      throw new NotFoundException("Metadata file does not exist: %s", location);
    }
    return json;
  }

  private static String key(String location) {
    return StorageLocations.normalize(location);
  }
}
