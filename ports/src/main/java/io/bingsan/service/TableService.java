package io.bingsan.service;

import static java.util.Objects.requireNonNull;

import io.bingsan.domain.catalog.CatalogNames;
import io.bingsan.domain.catalog.Warehouse;
import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.domain.commit.MetadataLocations;
import io.bingsan.domain.commit.MetadataValidation;
import io.bingsan.ports.out.CatalogObjectStore;
import io.bingsan.ports.out.IdGenerator;
import io.bingsan.ports.out.MetadataFileStore;
import io.bingsan.ports.out.MetricsReportStore;
import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import io.bingsan.ports.out.PointerMovedException;
import io.bingsan.service.MetadataPublisher.NewPointer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;

/** Table use cases other than commits: list, create, load, drop, register, rename, metrics. */
public final class TableService {
  /** Drops attempted before a drop that keeps losing to commits gives up with a conflict. */
  static final int MAX_DROP_ATTEMPTS = 8;

  private final Warehouses warehouses;
  private final NamespaceService namespaces;
  private final CatalogObjectStore objects;
  private final MetadataFileStore files;
  private final MetadataPublisher publisher;
  private final MetadataCache cache;
  private final TableMetadataJson tableJson;
  private final MetricsReportStore metricsReports;
  private final TablePointers pointers;
  private final CatalogServices.Infrastructure infrastructure;

  TableService(
      Warehouses warehouses,
      NamespaceService namespaces,
      CatalogObjectStore objects,
      MetadataFileStore files,
      MetadataPublisher publisher,
      MetadataCache cache,
      TableMetadataJson tableJson,
      MetricsReportStore metricsReports,
      TablePointers pointers,
      CatalogServices.Infrastructure infrastructure) {
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.objects = requireNonNull(objects, "objects is null");
    this.files = requireNonNull(files, "files is null");
    this.publisher = requireNonNull(publisher, "publisher is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.tableJson = requireNonNull(tableJson, "tableJson is null");
    this.metricsReports = requireNonNull(metricsReports, "metricsReports is null");
    this.pointers = requireNonNull(pointers, "pointers is null");
    this.infrastructure = requireNonNull(infrastructure, "infrastructure is null");
  }

  public Page<TableIdentifier> list(String warehouse, Namespace namespace, PageRequest page) {
    namespaces.properties(warehouse, namespace);
    return objects.list(warehouse, ObjectKind.TABLE, namespace, page);
  }

  /**
   * The metadata a new table would have, for a staged create: no metadata file is written; the
   * client writes its manifests into the metadata folder, prepared here, and commits them later
   * with {@code assert-create}.
   */
  public TableMetadata stageCreate(String warehouse, Namespace namespace, CreateTableRequest request) {
    TableMetadata metadata = newTableMetadata(warehouse, namespace, request);
    TableIdentifier identifier = TableIdentifier.of(namespace, request.name());
    if (objects.metadataLocation(warehouse, ObjectKind.TABLE, identifier).isPresent()) {
      throw new AlreadyExistsException("Table already exists: %s", identifier);
    }
    files.prepareFolder(MetadataLocations.tableMetadataFolder(metadata));
    return metadata;
  }

  public TableMetadata create(String warehouse, Namespace namespace, CreateTableRequest request) {
    TableMetadata metadata = newTableMetadata(warehouse, namespace, request);
    TableIdentifier identifier = TableIdentifier.of(namespace, request.name());
    String location =
        MetadataLocations.nextTableMetadata(metadata, null, infrastructure.ids().newId());
    return publishNew(warehouse, identifier, metadata, location);
  }

  public TableMetadata register(
      String warehouse, Namespace namespace, RegisterTableRequest request) {
    request.validate();
    TableIdentifier identifier =
        CatalogNames.requireValid(TableIdentifier.of(namespace, request.name()));
    Warehouse target = warehouses.require(warehouse);
    namespaces.properties(warehouse, namespace);
    TableMetadata metadata = files.readTable(target.requireAllowed(request.metadataLocation()));
    target.requireAllowed(metadata.location());
    Optional<String> existing =
        request.overwrite()
            ? objects.metadataLocation(warehouse, ObjectKind.TABLE, identifier)
            : Optional.empty();
    CatalogChange change =
        existing
            .<CatalogChange>map(
                current ->
                    new CatalogChange.MetadataSwapped(
                        ObjectKind.TABLE,
                        identifier,
                        current,
                        metadata.metadataFileLocation()))
            .orElseGet(
                () ->
                    new CatalogChange.ObjectCreated(
                        ObjectKind.TABLE,
                        identifier,
                        metadata.uuid(),
                        metadata.metadataFileLocation(),
                        true));
    try {
      infrastructure.changes().apply(warehouse, change);
    } catch (PointerMovedException moved) {
      throw new CommitFailedException(
          moved, "Table %s was changed concurrently; register again", identifier);
    } finally {
      forget(warehouse, identifier);
    }
    cache.putTable(metadata);
    return metadata;
  }

  /**
   * Calls {@code listener} with each metadata location that stopped being worth keeping because a
   * newer version of its table (or view) reached this node's cache.
   */
  public void onSupersededMetadata(Consumer<String> listener) {
    cache.onSuperseded(listener);
  }

  /**
   * The metadata pointer as it was at a moment of this call; the only store read on a cached load,
   * shared with concurrent calls for the same table ({@link TablePointers}).
   */
  public String metadataLocation(String warehouse, TableIdentifier identifier) {
    long called = System.nanoTime();
    warehouses.require(warehouse);
    return pointers
        .current(warehouse, identifier, called)
        .orElseThrow(() -> noSuchTable(identifier));
  }

  /**
   * The current pointer of a table about to be loaded. Its file must still exist: a table whose
   * metadata file vanished is reported as Iceberg's own catalogs do, not served from memory.
   */
  public String loadableMetadataLocation(String warehouse, TableIdentifier identifier) {
    String location = metadataLocation(warehouse, identifier);
    if (!files.exists(location)) {
      throw new NotFoundException("Failed to open input stream for file: %s", location);
    }
    return location;
  }

  public TableMetadata load(String warehouse, TableIdentifier identifier) {
    warehouses.require(warehouse);
    return metadata(metadataLocation(warehouse, identifier));
  }

  /** The metadata of the file at {@code location}: this node's cache, else the file. */
  TableMetadata metadata(String location) {
    return cache.table(location, files::readTable);
  }

  public void drop(String warehouse, TableIdentifier identifier, boolean purge) {
    warehouses.require(warehouse);
    String dropped;
    try {
      dropped =
          dropCurrent(
              identifier,
              () -> metadataLocation(warehouse, identifier),
              current -> {
                try {
                  infrastructure
                      .changes()
                      .apply(
                          warehouse,
                          new CatalogChange.ObjectDropped(ObjectKind.TABLE, identifier, current));
                } catch (PointerMovedException moved) {
                  // The next attempt must read the pointer, not take the one this node knew.
                  forget(warehouse, identifier);
                  throw moved;
                }
              });
    } finally {
      forget(warehouse, identifier);
    }
    if (purge) {
      files.purgeTable(metadata(dropped));
    }
  }

  /**
   * Drops whatever version is current: a commit landing between the read and the drop moves the
   * pointer, so the drop is redone on the new pointer (whose files a purge must delete).
   *
   * @return the version that was dropped
   */
  static <T> T dropCurrent(TableIdentifier identifier, Supplier<T> read, Consumer<T> drop) {
    for (int attempt = 1; ; attempt++) {
      T current = read.get();
      try {
        drop.accept(current);
        return current;
      } catch (PointerMovedException moved) {
        if (attempt >= MAX_DROP_ATTEMPTS) {
          throw new CommitFailedException(
              moved, "%s kept changing during the drop; drop it again", identifier);
        }
      }
    }
  }

  public void rename(String warehouse, TableIdentifier from, TableIdentifier to) {
    warehouses.require(warehouse);
    CatalogNames.requireValid(to);
    try {
      infrastructure
          .changes()
          .apply(warehouse, new CatalogChange.ObjectRenamed(ObjectKind.TABLE, from, to));
    } finally {
      forget(warehouse, from, to);
    }
  }

  /**
   * Retires what this node read of tables it created, registered, renamed or dropped, which no
   * swap of its own records; called however the change ended, since its outcome may be unknown.
   */
  private void forget(String warehouse, TableIdentifier... tables) {
    pointers.forget(
        Arrays.stream(tables).map(table -> TablePointers.key(warehouse, table)).toList());
  }

  public void reportMetrics(
      String warehouse, TableIdentifier identifier, String reportType, String reportJson) {
    warehouses.require(warehouse);
    metricsReports.save(warehouse, identifier, reportType, reportJson);
  }

  /** Writes the first metadata file of a table, then creates the table pointing at it. */
  private TableMetadata publishNew(
      String warehouse,
      TableIdentifier identifier,
      TableMetadata metadata,
      String metadataLocation) {
    files.writeTableJson(tableJson.serialize(metadata).utf8(), metadataLocation);
    CatalogChange change =
        new CatalogChange.ObjectCreated(
            ObjectKind.TABLE, identifier, metadata.uuid(), metadataLocation, false);
    try {
      publisher.publish(
          warehouse,
          List.of(change),
          List.of(new NewPointer(ObjectKind.TABLE, identifier, metadataLocation)));
    } finally {
      forget(warehouse, identifier);
    }
    TableMetadata published = withLocation(metadata, metadataLocation);
    cache.putTable(published);
    return published;
  }

  static TableMetadata withLocation(TableMetadata metadata, String metadataLocation) {
    return TableMetadata.buildFrom(metadata)
        .withMetadataLocation(metadataLocation)
        .discardChanges()
        .build();
  }

  private TableMetadata newTableMetadata(
      String warehouse, Namespace namespace, CreateTableRequest request) {
    request.validate();
    TableIdentifier identifier =
        CatalogNames.requireValid(TableIdentifier.of(namespace, request.name()));
    Warehouse target = warehouses.require(warehouse);
    Map<String, String> namespaceProperties = namespaces.properties(warehouse, namespace);
    String location =
        target.requireAllowed(
            request.location() != null
                ? request.location()
                : target.defaultLocation(namespace, namespaceProperties, identifier.name()));
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("created-at", createdAt());
    properties.putAll(request.properties());
    return MetadataValidation.requireValid(
        () ->
            TableMetadata.newTableMetadata(
                request.schema(),
                request.spec() != null ? request.spec() : PartitionSpec.unpartitioned(),
                request.writeOrder() != null ? request.writeOrder() : SortOrder.unsorted(),
                location,
                properties));
  }

  private String createdAt() {
    return Instant.now(infrastructure.clock()).atOffset(ZoneOffset.UTC).toString();
  }

  static NoSuchTableException noSuchTable(TableIdentifier identifier) {
    return new NoSuchTableException("Table does not exist: %s", identifier);
  }
}
