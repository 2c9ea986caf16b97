package io.bingsan.adapters.rest;

import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.ports.out.CatalogChangeLog;
import io.bingsan.ports.out.CatalogObjectStore;
import io.bingsan.ports.out.MetricsReportStore;
import io.bingsan.ports.out.NamespaceStore;
import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import io.bingsan.ports.out.PointerMovedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;

/**
 * A hand-written, in-memory catalog store for REST tests: one warehouse's namespaces, tables and
 * views, case-insensitive and case-preserving, each change list applied all or nothing.
 */
final class InMemoryCatalogStore
    implements NamespaceStore, CatalogObjectStore, CatalogChangeLog, MetricsReportStore {

  record StoredObject(ObjectKind kind, TableIdentifier identifier, String metadataLocation) {}

  record MetricsReport(TableIdentifier table, String type, String json) {}

  private record State(
      TreeMap<String, Namespace> namespaces,
      Map<String, Map<String, String>> properties,
      TreeMap<String, StoredObject> objects) {
    State copy() {
      Map<String, Map<String, String>> props = new LinkedHashMap<>();
      properties.forEach((k, v) -> props.put(k, new LinkedHashMap<>(v)));
      return new State(new TreeMap<>(namespaces), props, new TreeMap<>(objects));
    }
  }

  private State state = new State(new TreeMap<>(), new LinkedHashMap<>(), new TreeMap<>());
  private final List<MetricsReport> reports = new ArrayList<>();

  synchronized List<MetricsReport> reports() {
    return List.copyOf(reports);
  }

  @Override
  public synchronized Optional<Map<String, String>> properties(String warehouse, Namespace ns) {
    return Optional.ofNullable(state.properties().get(key(ns))).map(Map::copyOf);
  }

  @Override
  public synchronized Page<Namespace> listChildren(
      String warehouse, Namespace parent, PageRequest page) {
    TreeMap<String, Namespace> children = new TreeMap<>();
    for (Namespace ns : state.namespaces().values()) {
      if (ns.length() > parent.length() && isUnder(ns, parent)) {
        Namespace child = Namespace.of(Arrays.copyOf(ns.levels(), parent.length() + 1));
        children.putIfAbsent(key(child), child);
      }
    }
    return page(children, page, Function.identity());
  }

  @Override
  public synchronized Optional<String> metadataLocation(
      String warehouse, ObjectKind kind, TableIdentifier identifier) {
    return object(kind, identifier).map(StoredObject::metadataLocation);
  }

  @Override
  public synchronized Page<TableIdentifier> list(
      String warehouse, ObjectKind kind, Namespace namespace, PageRequest page) {
    TreeMap<String, StoredObject> inNamespace = new TreeMap<>();
    state.objects().forEach(
        (key, object) -> {
          if (object.kind() == kind && key(object.identifier().namespace()).equals(key(namespace))) {
            inNamespace.put(key, object);
          }
        });
    return page(inNamespace, page, StoredObject::identifier);
  }

  @Override
  public synchronized void save(
      String warehouse, TableIdentifier table, String reportType, String reportJson) {
    if (object(ObjectKind.TABLE, table).isEmpty()) {
      throw new NoSuchTableException("Table does not exist: %s", table);
    }
    reports.add(new MetricsReport(table, reportType, reportJson));
  }

  @Override
  public synchronized void apply(String warehouse, List<CatalogChange> changes) {
    State next = state.copy();
    changes.forEach(change -> apply(next, change));
    state = next;
  }

  private static void apply(State s, CatalogChange change) {
    switch (change) {
      case CatalogChange.NamespaceCreated c -> {
        if (s.namespaces().putIfAbsent(key(c.namespace()), c.namespace()) != null) {
          throw new AlreadyExistsException("Namespace already exists: %s", c.namespace());
        }
        s.properties().put(key(c.namespace()), new LinkedHashMap<>(c.properties()));
      }
      case CatalogChange.NamespacePropertiesUpdated c -> {
        Map<String, String> props = requireNamespace(s, c.namespace());
        props.putAll(c.updates());
        c.removals().forEach(props::remove);
      }
      case CatalogChange.NamespaceDropped c -> {
        requireNamespace(s, c.namespace());
        boolean hasChildren =
            s.namespaces().values().stream()
                .anyMatch(ns -> ns.length() > c.namespace().length() && isUnder(ns, c.namespace()));
        boolean hasObjects =
            s.objects().values().stream()
                .anyMatch(o -> key(o.identifier().namespace()).equals(key(c.namespace())));
        if (hasChildren || hasObjects) {
          throw new NamespaceNotEmptyException("Namespace is not empty: %s", c.namespace());
        }
        s.namespaces().remove(key(c.namespace()));
        s.properties().remove(key(c.namespace()));
      }
      case CatalogChange.ObjectCreated c -> {
        requireNamespace(s, c.identifier().namespace());
        if (s.objects().containsKey(key(c.identifier()))) {
          throw new AlreadyExistsException("Object already exists: %s", c.identifier());
        }
        s.objects()
            .put(
                key(c.identifier()),
                new StoredObject(c.kind(), c.identifier(), c.metadataLocation()));
      }
      case CatalogChange.MetadataSwapped c -> {
        StoredObject current = requireObject(s, c.kind(), c.identifier());
        if (!current.metadataLocation().equals(c.expectedMetadataLocation())) {
          throw new PointerMovedException(c.identifier());
        }
        s.objects()
            .put(
                key(c.identifier()),
                new StoredObject(c.kind(), current.identifier(), c.metadataLocation()));
      }
      case CatalogChange.ObjectDropped c -> {
        StoredObject current = requireObject(s, c.kind(), c.identifier());
        if (!current.metadataLocation().equals(c.expectedMetadataLocation())) {
          throw new PointerMovedException(c.identifier());
        }
        s.objects().remove(key(c.identifier()));
      }
      case CatalogChange.ObjectRenamed c -> {
        StoredObject current = requireObject(s, c.kind(), c.from());
        requireNamespace(s, c.to().namespace());
        if (s.objects().containsKey(key(c.to()))) {
          throw new AlreadyExistsException("Object already exists: %s", c.to());
        }
        s.objects().remove(key(c.from()));
        s.objects().put(key(c.to()), new StoredObject(c.kind(), c.to(), current.metadataLocation()));
      }
    }
  }

  private Optional<StoredObject> object(ObjectKind kind, TableIdentifier identifier) {
    return Optional.ofNullable(state.objects().get(key(identifier)))
        .filter(o -> o.kind() == kind);
  }

  private static Map<String, String> requireNamespace(State s, Namespace namespace) {
    Map<String, String> props = s.properties().get(key(namespace));
    if (props == null) {
      throw new NoSuchNamespaceException("Namespace does not exist: %s", namespace);
    }
    return props;
  }

  private static StoredObject requireObject(State s, ObjectKind kind, TableIdentifier identifier) {
    StoredObject object = s.objects().get(key(identifier));
    if (object == null || object.kind() != kind) {
      throw kind == ObjectKind.TABLE
          ? new NoSuchTableException("Table does not exist: %s", identifier)
          : new NoSuchViewException("View does not exist: %s", identifier);
    }
    return object;
  }

  private static <V, T> Page<T> page(
      TreeMap<String, V> sorted, PageRequest request, Function<V, T> item) {
    Map<String, V> tail =
        request.after() == null ? sorted : sorted.tailMap(request.after(), false);
    List<T> items = new ArrayList<>();
    String lastKey = null;
    for (Map.Entry<String, V> entry : tail.entrySet()) {
      if (items.size() == request.limit()) {
        return new Page<>(items, lastKey);
      }
      items.add(item.apply(entry.getValue()));
      lastKey = entry.getKey();
    }
    return new Page<>(items, null);
  }

  private static boolean isUnder(Namespace namespace, Namespace parent) {
    for (int i = 0; i < parent.length(); i++) {
      if (!namespace.level(i).equalsIgnoreCase(parent.level(i))) {
        return false;
      }
    }
    return true;
  }

  private static String key(Namespace namespace) {
    return String.join("\u001f", namespace.levels()).toLowerCase(Locale.ROOT);
  }

  private static String key(TableIdentifier identifier) {
    return key(identifier.namespace()) + "\u0000" + identifier.name().toLowerCase(Locale.ROOT);
  }
}
