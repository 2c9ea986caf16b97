package io.bingsan.service.fakes;

import static java.util.Objects.requireNonNull;

import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.ports.out.CatalogChangeLog;
import io.bingsan.ports.out.CatalogObjectStore;
import io.bingsan.ports.out.NamespaceStore;
import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import io.bingsan.ports.out.PointerMovedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;

/**
 * The catalog database in memory: namespaces, tables and views of every warehouse, and the event
 * log. It keeps the ports' contracts: names compare case-insensitively and keep their case; a batch
 * of changes applies atomically (on a copy, swapped in only if every change succeeds); a pointer
 * swap or drop is a compare-and-swap on the current metadata location.
 *
 * <p>Tests steer it with one-shot hooks that run inside {@link #apply} before the batch is checked
 * (to land a concurrent commit first), and with injected failures.
 */
public final class InMemoryCatalogStore
    implements NamespaceStore, CatalogObjectStore, CatalogChangeLog {

  private record Key(List<String> namespace, String name) {
    static Key of(TableIdentifier identifier) {
      return new Key(fold(identifier.namespace()), identifier.name().toLowerCase(Locale.ROOT));
    }
  }

  private record StoredObject(
      ObjectKind kind, TableIdentifier identifier, String metadataLocation) {}

  private record StoredNamespace(Namespace namespace, Map<String, String> properties) {}

  /** One warehouse's rows; copied for each batch so a failing batch leaves no trace. */
  private static final class State {
    final Map<List<String>, StoredNamespace> namespaces = new HashMap<>();
    final Map<Key, StoredObject> objects = new HashMap<>();
    final List<CatalogChange> events = new ArrayList<>();

    State copy() {
      State copy = new State();
      copy.namespaces.putAll(namespaces);
      copy.objects.putAll(objects);
      copy.events.addAll(events);
      return copy;
    }
  }

  /** A failure to inject into the next {@link #apply}. */
  private record Failure(RuntimeException exception, boolean afterApplying) {}

  private final Map<String, State> warehouses = new HashMap<>();
  private final Deque<Consumer<List<CatalogChange>>> beforeApply = new ArrayDeque<>();
  private final ThreadLocal<Boolean> inHook = ThreadLocal.withInitial(() -> false);
  private Consumer<List<CatalogChange>> beforeEveryApply;
  private final Deque<Failure> failures = new ArrayDeque<>();
  private RuntimeException nextReadFailure;
  private int applyCalls;
  private int lostSwaps;
  private int pointerReads;

  // ---- test controls

  /**
   * Runs {@code hook} once, inside the next {@link #apply}, before its changes are checked: what
   * the hook commits lands first, exactly as a concurrent commit that won the race.
   */
  public synchronized void beforeNextApply(Consumer<List<CatalogChange>> hook) {
    beforeApply.add(requireNonNull(hook, "hook is null"));
  }

  /** Like {@link #beforeNextApply}, before every apply until {@link #clearHooks}. */
  public synchronized void beforeEveryApply(Consumer<List<CatalogChange>> hook) {
    beforeEveryApply = requireNonNull(hook, "hook is null");
  }

  public synchronized void clearHooks() {
    beforeApply.clear();
    beforeEveryApply = null;
  }

  /**
   * The next {@link #apply} throws {@code failure}; with {@code afterApplying} the changes are
   * committed first (the connection dropped after the database committed).
   */
  public synchronized void failNextApply(RuntimeException failure, boolean afterApplying) {
    failures.add(new Failure(failure, afterApplying));
  }

  /** The next pointer read ({@link #metadataLocation}) throws {@code failure}. */
  public synchronized void failNextPointerRead(RuntimeException failure) {
    nextReadFailure = failure;
  }

  /** How many times a pointer was read ({@link #metadataLocation}). */
  public synchronized int pointerReads() {
    return pointerReads;
  }

  public synchronized int applyCalls() {
    return applyCalls;
  }

  /** How many batches failed because a pointer had moved. */
  public synchronized int lostSwaps() {
    return lostSwaps;
  }

  /** The event log: every change that was applied, in order. */
  public synchronized List<CatalogChange> events(String warehouse) {
    return List.copyOf(state(warehouse).events);
  }

  // ---- CatalogChangeLog

  @Override
  public void apply(String warehouse, List<CatalogChange> changes) {
    Consumer<List<CatalogChange>> hook = null;
    synchronized (this) {
      applyCalls++;
      // What a hook commits is the concurrent request: it does not trigger hooks itself.
      if (!inHook.get()) {
        hook = beforeApply.isEmpty() ? beforeEveryApply : beforeApply.poll();
      }
    }
    if (hook != null) {
      // Outside the lock, as another request would run; it may commit through the services.
      inHook.set(true);
      try {
        hook.accept(List.copyOf(changes));
      } finally {
        inHook.set(false);
      }
    }
    synchronized (this) {
      Failure failure = failures.poll();
      if (failure != null && !failure.afterApplying()) {
        throw failure.exception();
      }
      State next = state(warehouse).copy();
      for (CatalogChange change : changes) {
        try {
          applyOne(next, change);
        } catch (PointerMovedException moved) {
          lostSwaps++;
          throw moved;
        }
        next.events.add(change);
      }
      warehouses.put(warehouse, next);
      if (failure != null) {
        throw failure.exception();
      }
    }
  }

  private static void applyOne(State state, CatalogChange change) {
    switch (change) {
      case CatalogChange.NamespaceCreated created -> {
        List<String> key = fold(created.namespace());
        if (state.namespaces.containsKey(key)) {
          throw new AlreadyExistsException("Namespace already exists: %s", created.namespace());
        }
        state.namespaces.put(
            key,
            new StoredNamespace(created.namespace(), new LinkedHashMap<>(created.properties())));
      }
      case CatalogChange.NamespacePropertiesUpdated updated -> {
        StoredNamespace current = requireNamespace(state, updated.namespace());
        Map<String, String> properties = new LinkedHashMap<>(current.properties());
        properties.putAll(updated.updates());
        updated.removals().forEach(properties::remove);
        state.namespaces.put(
            fold(updated.namespace()), new StoredNamespace(current.namespace(), properties));
      }
      case CatalogChange.NamespaceDropped dropped -> {
        requireNamespace(state, dropped.namespace());
        List<String> key = fold(dropped.namespace());
        boolean hasObjects =
            state.objects.keySet().stream().anyMatch(k -> k.namespace().equals(key));
        boolean hasChildren =
            state.namespaces.keySet().stream()
                .anyMatch(n -> n.size() > key.size() && n.subList(0, key.size()).equals(key));
        if (hasObjects || hasChildren) {
          throw new NamespaceNotEmptyException("Namespace is not empty: %s", dropped.namespace());
        }
        state.namespaces.remove(key);
      }
      case CatalogChange.ObjectCreated created -> {
        requireNamespace(state, created.identifier().namespace());
        Key key = Key.of(created.identifier());
        StoredObject existing = state.objects.get(key);
        if (existing != null) {
          throw new AlreadyExistsException(
              "%s already exists: %s", existing.kind().label(), existing.identifier());
        }
        state.objects.put(
            key,
            new StoredObject(created.kind(), created.identifier(), created.metadataLocation()));
      }
      case CatalogChange.MetadataSwapped swapped -> {
        StoredObject current = requireObject(state, swapped.kind(), swapped.identifier());
        if (!current.metadataLocation().equals(swapped.expectedMetadataLocation())) {
          throw new PointerMovedException(swapped.identifier());
        }
        state.objects.put(
            Key.of(swapped.identifier()),
            new StoredObject(current.kind(), current.identifier(), swapped.metadataLocation()));
      }
      case CatalogChange.ObjectDropped dropped -> {
        StoredObject current = requireObject(state, dropped.kind(), dropped.identifier());
        if (!current.metadataLocation().equals(dropped.expectedMetadataLocation())) {
          throw new PointerMovedException(dropped.identifier());
        }
        state.objects.remove(Key.of(dropped.identifier()));
      }
      case CatalogChange.ObjectRenamed renamed -> {
        StoredObject current = requireObject(state, renamed.kind(), renamed.from());
        requireNamespace(state, renamed.to().namespace());
        Key target = Key.of(renamed.to());
        if (!target.equals(Key.of(renamed.from())) && state.objects.containsKey(target)) {
          throw new AlreadyExistsException("Name is taken: %s", renamed.to());
        }
        state.objects.remove(Key.of(renamed.from()));
        state.objects.put(
            target,
            new StoredObject(current.kind(), renamed.to(), current.metadataLocation()));
      }
    }
  }

  private static StoredNamespace requireNamespace(State state, Namespace namespace) {
    StoredNamespace stored = state.namespaces.get(fold(namespace));
    if (stored == null) {
      throw new NoSuchNamespaceException("Namespace does not exist: %s", namespace);
    }
    return stored;
  }

  private static StoredObject requireObject(
      State state, ObjectKind kind, TableIdentifier identifier) {
    StoredObject stored = state.objects.get(Key.of(identifier));
    if (stored == null || stored.kind() != kind) {
      throw kind == ObjectKind.TABLE
          ? new NoSuchTableException("Table does not exist: %s", identifier)
          : new NoSuchViewException("View does not exist: %s", identifier);
    }
    return stored;
  }

  // ---- NamespaceStore

  @Override
  public synchronized Optional<Map<String, String>> properties(
      String warehouse, Namespace namespace) {
    return Optional.ofNullable(state(warehouse).namespaces.get(fold(namespace)))
        .map(stored -> Map.copyOf(stored.properties()));
  }

  @Override
  public synchronized Page<Namespace> listChildren(
      String warehouse, Namespace parent, PageRequest page) {
    List<String> prefix = fold(parent);
    TreeMap<String, Namespace> children = new TreeMap<>();
    for (StoredNamespace stored : state(warehouse).namespaces.values()) {
      List<String> key = fold(stored.namespace());
      if (key.size() > prefix.size() && key.subList(0, prefix.size()).equals(prefix)) {
        Namespace child =
            Namespace.of(Arrays.copyOf(stored.namespace().levels(), prefix.size() + 1));
        children.putIfAbsent(key.get(prefix.size()), child);
      }
    }
    return page(children, page);
  }

  // ---- CatalogObjectStore

  @Override
  public Optional<String> metadataLocation(
      String warehouse, ObjectKind kind, TableIdentifier identifier) {
    synchronized (this) {
      pointerReads++;
      RuntimeException failure = nextReadFailure;
      nextReadFailure = null;
      if (failure != null) {
        throw failure;
      }
      return find(warehouse, kind, identifier).map(StoredObject::metadataLocation);
    }
  }

  @Override
  public synchronized Page<TableIdentifier> list(
      String warehouse, ObjectKind kind, Namespace namespace, PageRequest page) {
    List<String> key = fold(namespace);
    TreeMap<String, TableIdentifier> names = new TreeMap<>();
    for (Map.Entry<Key, StoredObject> entry : state(warehouse).objects.entrySet()) {
      if (entry.getKey().namespace().equals(key) && entry.getValue().kind() == kind) {
        names.put(entry.getKey().name(), entry.getValue().identifier());
      }
    }
    return page(names, page);
  }

  private Optional<StoredObject> find(
      String warehouse, ObjectKind kind, TableIdentifier identifier) {
    return Optional.ofNullable(state(warehouse).objects.get(Key.of(identifier)))
        .filter(stored -> stored.kind() == kind);
  }

  /** Items after {@code page.after()} in key order; the last key when more may follow. */
  private static <T> Page<T> page(TreeMap<String, T> sorted, PageRequest page) {
    Map<String, T> rest = page.after() == null ? sorted : sorted.tailMap(page.after(), false);
    List<T> items = new ArrayList<>();
    String lastKey = null;
    for (Map.Entry<String, T> entry : rest.entrySet()) {
      if (items.size() == page.limit()) {
        return new Page<>(items, lastKey);
      }
      items.add(entry.getValue());
      lastKey = entry.getKey();
    }
    return new Page<>(items, null);
  }

  private State state(String warehouse) {
    return warehouses.computeIfAbsent(warehouse, name -> new State());
  }

  private static List<String> fold(Namespace namespace) {
    return Arrays.stream(namespace.levels()).map(level -> level.toLowerCase(Locale.ROOT)).toList();
  }
}
