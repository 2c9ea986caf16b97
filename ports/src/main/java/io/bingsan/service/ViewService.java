package io.bingsan.service;

import static java.util.Objects.requireNonNull;

import io.bingsan.domain.catalog.CatalogNames;
import io.bingsan.domain.catalog.Warehouse;
import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.domain.commit.MetadataLocations;
import io.bingsan.domain.commit.ViewCommitRules;
import io.bingsan.ports.out.CatalogObjectStore;
import io.bingsan.ports.out.MetadataFileStore;
import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import io.bingsan.ports.out.PointerMovedException;
import io.bingsan.service.MetadataPublisher.NewPointer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.rest.requests.CreateViewRequest;
import org.apache.iceberg.rest.requests.RegisterViewRequest;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;

/** View use cases: list, create, load, replace, drop, rename and register. */
public final class ViewService {
  private final Warehouses warehouses;
  private final NamespaceService namespaces;
  private final CatalogObjectStore objects;
  private final MetadataFileStore files;
  private final MetadataPublisher publisher;
  private final MetadataCache cache;
  private final CatalogServices.Infrastructure infrastructure;

  ViewService(
      Warehouses warehouses,
      NamespaceService namespaces,
      CatalogObjectStore objects,
      MetadataFileStore files,
      MetadataPublisher publisher,
      MetadataCache cache,
      CatalogServices.Infrastructure infrastructure) {
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.objects = requireNonNull(objects, "objects is null");
    this.files = requireNonNull(files, "files is null");
    this.publisher = requireNonNull(publisher, "publisher is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.infrastructure = requireNonNull(infrastructure, "infrastructure is null");
  }

  public Page<TableIdentifier> list(String warehouse, Namespace namespace, PageRequest page) {
    namespaces.properties(warehouse, namespace);
    return objects.list(warehouse, ObjectKind.VIEW, namespace, page);
  }

  public ViewMetadata create(String warehouse, Namespace namespace, CreateViewRequest request) {
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
    ViewMetadata metadata =
        ViewMetadata.builder()
            .assignUUID(infrastructure.ids().newId().toString())
            .setLocation(location)
            .setProperties(request.properties())
            .setCurrentVersion(request.viewVersion(), request.schema())
            .build();
    String metadataLocation =
        MetadataLocations.nextViewMetadata(metadata, null, infrastructure.ids().newId());
    return publish(
        warehouse,
        identifier,
        metadata,
        metadataLocation,
        new CatalogChange.ObjectCreated(
            ObjectKind.VIEW, identifier, metadata.uuid(), metadataLocation, false));
  }

  public ViewMetadata register(String warehouse, Namespace namespace, RegisterViewRequest request) {
    request.validate();
    TableIdentifier identifier =
        CatalogNames.requireValid(TableIdentifier.of(namespace, request.name()));
    Warehouse target = warehouses.require(warehouse);
    namespaces.properties(warehouse, namespace);
    ViewMetadata metadata = files.readView(target.requireAllowed(request.metadataLocation()));
    target.requireAllowed(metadata.location());
    infrastructure
        .changes()
        .apply(
            warehouse,
            new CatalogChange.ObjectCreated(
                ObjectKind.VIEW,
                identifier,
                metadata.uuid(),
                metadata.metadataFileLocation(),
                true));
    cache.putView(metadata);
    return metadata;
  }

  /** The current metadata pointer; the only store read of an existence check. */
  public String metadataLocation(String warehouse, TableIdentifier identifier) {
    warehouses.require(warehouse);
    return objects
        .metadataLocation(warehouse, ObjectKind.VIEW, identifier)
        .orElseThrow(() -> noSuchView(identifier));
  }

  public ViewMetadata load(String warehouse, TableIdentifier identifier) {
    warehouses.require(warehouse);
    return cache.view(metadataLocation(warehouse, identifier), files::readView);
  }

  /**
   * Replaces a view's metadata. Views carry no server-side retry: a lost race is a conflict the
   * client resolves, as in Iceberg's own handlers.
   */
  public ViewMetadata replace(
      String warehouse,
      TableIdentifier identifier,
      List<UpdateRequirement> requirements,
      List<MetadataUpdate> updates) {
    Warehouse target = warehouses.require(warehouse);
    String baseLocation = metadataLocation(warehouse, identifier);
    ViewMetadata base = cache.view(baseLocation, files::readView);
    ViewMetadata updated = ViewCommitRules.apply(base, requirements, updates);
    if (updated.changes().isEmpty()) {
      return base;
    }
    if (!Objects.equals(base.location(), updated.location())) {
      target.requireAllowed(updated.location());
    }
    String metadataLocation =
        MetadataLocations.nextViewMetadata(updated, baseLocation, infrastructure.ids().newId());
    try {
      return publish(
          warehouse,
          identifier,
          updated,
          metadataLocation,
          new CatalogChange.MetadataSwapped(
              ObjectKind.VIEW, identifier, baseLocation, metadataLocation));
    } catch (PointerMovedException lostRace) {
      throw new CommitFailedException(
          lostRace, "View %s was changed concurrently; refresh and retry", identifier);
    }
  }

  public void drop(String warehouse, TableIdentifier identifier) {
    TableService.dropCurrent(
        identifier,
        () -> metadataLocation(warehouse, identifier),
        current ->
            infrastructure
                .changes()
                .apply(
                    warehouse,
                    new CatalogChange.ObjectDropped(ObjectKind.VIEW, identifier, current)));
  }

  public void rename(String warehouse, TableIdentifier from, TableIdentifier to) {
    warehouses.require(warehouse);
    CatalogNames.requireValid(to);
    infrastructure
        .changes()
        .apply(warehouse, new CatalogChange.ObjectRenamed(ObjectKind.VIEW, from, to));
  }

  private ViewMetadata publish(
      String warehouse,
      TableIdentifier identifier,
      ViewMetadata metadata,
      String metadataLocation,
      CatalogChange change) {
    files.writeView(metadata, metadataLocation);
    publisher.publish(
        warehouse,
        List.of(change),
        List.of(new NewPointer(ObjectKind.VIEW, identifier, metadataLocation)));
    // The parser is the way to a ViewMetadata that knows its own file.
    ViewMetadata published =
        ViewMetadataParser.fromJson(metadataLocation, ViewMetadataParser.toJson(metadata));
    cache.putView(published);
    return published;
  }

  private static NoSuchViewException noSuchView(TableIdentifier identifier) {
    return new NoSuchViewException("View does not exist: %s", identifier);
  }
}
