package io.bingsan.service;

import static java.util.Objects.requireNonNull;

import io.bingsan.domain.catalog.CatalogNames;
import io.bingsan.domain.change.CatalogChange;
import io.bingsan.ports.out.CatalogChangeLog;
import io.bingsan.ports.out.NamespaceStore;
import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.UnprocessableEntityException;

/** Namespace use cases: list, create, load, drop and property updates. */
public final class NamespaceService {
  private static final String LOCATION = "location";

  private final Warehouses warehouses;
  private final NamespaceStore namespaces;
  private final CatalogChangeLog changes;

  public NamespaceService(
      Warehouses warehouses, NamespaceStore namespaces, CatalogChangeLog changes) {
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.changes = requireNonNull(changes, "changes is null");
  }

  /** Children of {@code parent}, or the top level for an empty parent. */
  public Page<Namespace> list(String warehouse, Namespace parent, PageRequest page) {
    warehouses.require(warehouse);
    if (!parent.isEmpty()) {
      properties(warehouse, parent);
    }
    return namespaces.listChildren(warehouse, parent, page);
  }

  public Map<String, String> create(
      String warehouse, Namespace namespace, Map<String, String> properties) {
    warehouses.require(warehouse);
    CatalogNames.requireValid(namespace);
    if (properties.containsKey(LOCATION)) {
      warehouses.require(warehouse).requireAllowed(properties.get(LOCATION));
    }
    changes.apply(warehouse, new CatalogChange.NamespaceCreated(namespace, properties));
    return properties;
  }

  /**
   * The namespace as clients load it: its properties, with {@code location} set to the folder its
   * tables and views go to by default when the namespace has none, as Iceberg's JdbcCatalog reports
   * it. Trino stages a new table under that location; without one it creates the table outright
   * and then refuses the table's folder as no longer empty.
   */
  public Map<String, String> load(String warehouse, Namespace namespace) {
    Map<String, String> properties = properties(warehouse, namespace);
    String location = properties.get(LOCATION);
    if (location != null && !location.isBlank()) {
      return properties;
    }
    Map<String, String> loaded = new LinkedHashMap<>(properties);
    loaded.put(LOCATION, warehouses.require(warehouse).namespaceLocation(namespace, properties));
    return loaded;
  }

  /** The namespace's properties; throws {@link NoSuchNamespaceException} when it is missing. */
  public Map<String, String> properties(String warehouse, Namespace namespace) {
    warehouses.require(warehouse);
    return namespaces
        .properties(warehouse, namespace)
        .orElseThrow(
            () -> new NoSuchNamespaceException("Namespace does not exist: %s", namespace));
  }

  public void drop(String warehouse, Namespace namespace) {
    warehouses.require(warehouse);
    changes.apply(warehouse, new CatalogChange.NamespaceDropped(namespace));
  }

  /** What a property update did, as the spec reports it. */
  public record PropertiesUpdate(List<String> updated, List<String> removed, List<String> missing) {}

  public PropertiesUpdate updateProperties(
      String warehouse, Namespace namespace, Map<String, String> updates, Set<String> removals) {
    Set<String> both = new HashSet<>(updates.keySet());
    both.retainAll(removals);
    if (!both.isEmpty()) {
      throw new UnprocessableEntityException(
          "Properties cannot be both updated and removed: %s", both);
    }
    if (updates.containsKey(LOCATION)) {
      warehouses.require(warehouse).requireAllowed(updates.get(LOCATION));
    }
    Map<String, String> current = properties(warehouse, namespace);
    changes.apply(
        warehouse, new CatalogChange.NamespacePropertiesUpdated(namespace, updates, removals));
    List<String> removed = removals.stream().filter(current::containsKey).sorted().toList();
    List<String> missing = removals.stream().filter(k -> !current.containsKey(k)).sorted().toList();
    return new PropertiesUpdate(updates.keySet().stream().sorted().toList(), removed, missing);
  }
}
