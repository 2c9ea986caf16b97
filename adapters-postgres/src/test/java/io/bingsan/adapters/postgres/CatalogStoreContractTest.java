package io.bingsan.adapters.postgres;

import static io.bingsan.domain.change.ObjectKind.TABLE;
import static io.bingsan.domain.change.ObjectKind.VIEW;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.CatalogChange.MetadataSwapped;
import io.bingsan.domain.change.CatalogChange.NamespaceCreated;
import io.bingsan.domain.change.CatalogChange.NamespaceDropped;
import io.bingsan.domain.change.CatalogChange.NamespacePropertiesUpdated;
import io.bingsan.domain.change.CatalogChange.ObjectCreated;
import io.bingsan.domain.change.CatalogChange.ObjectDropped;
import io.bingsan.domain.change.CatalogChange.ObjectRenamed;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.ports.out.CatalogChangeLog;
import io.bingsan.ports.out.CatalogObjectStore;
import io.bingsan.ports.out.MetricsReportStore;
import io.bingsan.ports.out.NamespaceStore;
import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import io.bingsan.ports.out.PointerMovedException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every catalog store must do, whatever it runs on. Each test works in a warehouse of its
 * own, so a shared database needs no cleaning.
 */
public abstract class CatalogStoreContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The ports under test; one store usually implements them all. */
  protected record Stores(
      NamespaceStore namespaces,
      CatalogObjectStore objects,
      CatalogChangeLog changes,
      MetricsReportStore metricsReports) {
    protected Stores {
      requireNonNull(namespaces, "namespaces is null");
      requireNonNull(objects, "objects is null");
      requireNonNull(changes, "changes is null");
      requireNonNull(metricsReports, "metricsReports is null");
    }
  }

  /** An event as the store recorded it. */
  protected record RecordedEvent(
      String type,
      List<String> namespace,
      String objectName,
      String previousMetadataLocation,
      String metadataLocation,
      String payloadJson) {}

  protected abstract Stores stores();

  /** The warehouse's recorded events, oldest first. */
  protected abstract List<RecordedEvent> events(String warehouse);

  /** The types of the metrics reports kept for the warehouse's tables, oldest first. */
  protected abstract List<String> metricsReportTypes(String warehouse);

  private NamespaceStore namespaces;
  private CatalogObjectStore objects;
  private CatalogChangeLog changes;
  private MetricsReportStore metricsReports;
  private String warehouse;

  @BeforeEach
  void setUpStores() {
    Stores stores = stores();
    namespaces = stores.namespaces();
    objects = stores.objects();
    changes = stores.changes();
    metricsReports = stores.metricsReports();
    warehouse = "warehouse-" + UUID.randomUUID();
  }

  // Namespaces

  @Test
  void createdNamespaceHasItsProperties() {
    apply(new NamespaceCreated(Namespace.of("Db", "Sales"), Map.of("b", "2", "a", "1")));

    assertThat(namespaces.properties(warehouse, Namespace.of("db", "SALES")))
        .contains(Map.of("a", "1", "b", "2"));
    assertThat(namespaces.properties(warehouse, Namespace.of("Db"))).isEmpty();
    assertThat(namespaces.properties("other-" + warehouse, Namespace.of("Db", "Sales"))).isEmpty();
  }

  @Test
  void namespaceNamesCompareCaseInsensitively() {
    createNamespace("Db");

    assertThatThrownBy(() -> createNamespace("DB"))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("Namespace already exists: DB");
    assertThat(children(Namespace.empty())).containsExactly(Namespace.of("Db"));
  }

  @Test
  void levelsAreNeverSplitOnDots() {
    createNamespace("a.b");

    assertThat(namespaces.properties(warehouse, Namespace.of("a.b"))).contains(Map.of());
    assertThat(namespaces.properties(warehouse, Namespace.of("a", "b"))).isEmpty();
    assertThat(children(Namespace.empty())).containsExactly(Namespace.of("a.b"));
    assertThat(children(Namespace.of("a"))).isEmpty();
  }

  @Test
  void propertyUpdatesMergeIntoTheStoredProperties() {
    apply(new NamespaceCreated(Namespace.of("db"), Map.of("a", "1", "b", "2", "c", "3")));

    apply(
        new NamespacePropertiesUpdated(
            Namespace.of("DB"), Map.of("b", "20", "d", "4"), Set.of("c", "never-set")));

    assertThat(namespaces.properties(warehouse, Namespace.of("db")))
        .contains(Map.of("a", "1", "b", "20", "d", "4"));
  }

  @Test
  void changingAMissingNamespaceFails() {
    assertThatThrownBy(
            () ->
                apply(
                    new NamespacePropertiesUpdated(Namespace.of("missing"), Map.of(), Set.of())))
        .isInstanceOf(NoSuchNamespaceException.class)
        .hasMessage("Namespace does not exist: missing");
    assertThatThrownBy(() -> apply(new NamespaceDropped(Namespace.of("missing"))))
        .isInstanceOf(NoSuchNamespaceException.class)
        .hasMessage("Namespace does not exist: missing");
  }

  @Test
  void droppedNamespaceIsGoneAndItsNameFree() {
    apply(new NamespaceCreated(Namespace.of("db"), Map.of("a", "1")));

    apply(new NamespaceDropped(Namespace.of("DB")));

    assertThat(namespaces.properties(warehouse, Namespace.of("db"))).isEmpty();
    createNamespace("Db");
    assertThat(namespaces.properties(warehouse, Namespace.of("db"))).contains(Map.of());
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void namespaceHoldingAnObjectCannotBeDropped(ObjectKind kind) {
    createNamespace("db");
    TableIdentifier object = TableIdentifier.of("db", "x");
    create(kind, object, location("x-1"));

    assertThatThrownBy(() -> apply(new NamespaceDropped(Namespace.of("db"))))
        .isInstanceOf(NamespaceNotEmptyException.class)
        .hasMessageContaining("is not empty");

    apply(new ObjectDropped(kind, object, location("x-1")));
    apply(new NamespaceDropped(Namespace.of("db")));
    assertThat(namespaces.properties(warehouse, Namespace.of("db"))).isEmpty();
  }

  @Test
  void namespaceWithChildrenCannotBeDropped() {
    createNamespace("db");
    createNamespace("db", "inner", "deep");

    assertThatThrownBy(() -> apply(new NamespaceDropped(Namespace.of("db"))))
        .isInstanceOf(NamespaceNotEmptyException.class)
        .hasMessageContaining("is not empty");

    apply(new NamespaceDropped(Namespace.of("db", "inner", "deep")));
    apply(new NamespaceDropped(Namespace.of("db")));
  }

  @Test
  void childrenAreDerivedFromEveryNamespaceBelow() {
    createNamespace("A", "b", "c");
    createNamespace("a", "D");
    createNamespace("Top");
    createNamespace("x", "y", "z");

    // No namespace "a" exists; its case comes from a namespace below it.
    assertThat(children(Namespace.empty()))
        .containsExactly(Namespace.of("A"), Namespace.of("Top"), Namespace.of("x"));
    assertThat(children(Namespace.of("a")))
        .containsExactly(Namespace.of("A", "b"), Namespace.of("a", "D"));
    assertThat(children(Namespace.of("X", "Y"))).containsExactly(Namespace.of("x", "y", "z"));
    assertThat(children(Namespace.of("x", "y", "z"))).isEmpty();

    createNamespace("a");
    assertThat(children(Namespace.empty()))
        .containsExactly(Namespace.of("a"), Namespace.of("Top"), Namespace.of("x"));
  }

  @Test
  void childrenOfANamespaceExcludeSiblingsThatShareItsPrefix() {
    createNamespace("a");
    createNamespace("a", "b");
    createNamespace("a", "b", "c");
    createNamespace("a b");
    createNamespace("a!");
    createNamespace("ab", "c");

    assertThat(children(Namespace.of("a"))).containsExactly(Namespace.of("a", "b"));
    assertThat(children(Namespace.empty()))
        .containsExactly(
            Namespace.of("a"), Namespace.of("a b"), Namespace.of("a!"), Namespace.of("ab"));
  }

  @Test
  void warehousesDoNotShareNamespaces() {
    String otherWarehouse = "other-" + warehouse;
    createNamespace("db");
    changes.apply(otherWarehouse, new NamespaceCreated(Namespace.of("db"), Map.of()));
    changes.apply(otherWarehouse, new NamespaceCreated(Namespace.of("elsewhere"), Map.of()));

    assertThat(children(Namespace.empty())).containsExactly(Namespace.of("db"));
    apply(new NamespaceDropped(Namespace.of("db")));
    assertThat(namespaces.properties(otherWarehouse, Namespace.of("db"))).isPresent();
  }

  @Test
  void childPagesFollowKeyOrder() {
    for (String name : List.of("e", "B", "a", "D", "c")) {
      createNamespace(name);
      createNamespace(name, "below");
    }

    List<Page<Namespace>> pages =
        pages(page -> namespaces.listChildren(warehouse, Namespace.empty(), page), 2);

    assertThat(pages)
        .extracting(Page::items)
        .containsExactly(
            List.of(Namespace.of("a"), Namespace.of("B")),
            List.of(Namespace.of("c"), Namespace.of("D")),
            List.of(Namespace.of("e")));
    assertThat(pages.get(0).lastKey()).isEqualTo("b");
    assertThat(pages.get(2).lastKey()).isNull();
  }

  @Test
  void aFullLastPageIsFollowedByAnEmptyOne() {
    createNamespace("p", "a");
    createNamespace("p", "b");

    List<Page<Namespace>> pages =
        pages(page -> namespaces.listChildren(warehouse, Namespace.of("P"), page), 2);

    assertThat(pages)
        .extracting(Page::items)
        .containsExactly(List.of(Namespace.of("p", "a"), Namespace.of("p", "b")), List.of());
    assertThat(pages.get(1).lastKey()).isNull();
    assertThat(namespaces.listChildren(warehouse, Namespace.of("p"), PageRequest.ALL).lastKey())
        .isNull();
  }

  @Test
  void childPagesStayStableWhileNamespacesAreCreated() {
    List<String> initial = List.of("n02", "n04", "n06", "n08", "n10", "n12");
    initial.forEach(this::createNamespace);

    Page<Namespace> first =
        namespaces.listChildren(warehouse, Namespace.empty(), new PageRequest(null, 3));
    createNamespace("n01");
    createNamespace("n05");
    createNamespace("n13");
    List<Namespace> rest = new ArrayList<>();
    for (String after = first.lastKey(); after != null; ) {
      Page<Namespace> page =
          namespaces.listChildren(warehouse, Namespace.empty(), new PageRequest(after, 3));
      rest.addAll(page.items());
      after = page.lastKey();
    }

    assertThat(first.items())
        .containsExactly(Namespace.of("n02"), Namespace.of("n04"), Namespace.of("n06"));
    assertThat(rest)
        .containsExactly(
            Namespace.of("n08"), Namespace.of("n10"), Namespace.of("n12"), Namespace.of("n13"));
  }

  // Tables and views

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void createdObjectIsFoundByItsNameInAnyCase(ObjectKind kind) {
    createNamespace("Db");
    TableIdentifier identifier = TableIdentifier.of("Db", "Orders");
    String location = location("orders-1");

    apply(new ObjectCreated(kind, identifier, UUID.randomUUID().toString(), location, false));

    assertThat(objects.metadataLocation(warehouse, kind, TableIdentifier.of("DB", "ORDERS")))
        .contains(location);
    assertThat(objects.metadataLocation(warehouse, other(kind), identifier)).isEmpty();
    assertThat(objects.metadataLocation("other-" + warehouse, kind, identifier)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void severalObjectsAreFoundInOneReadInTheOrderAsked(ObjectKind kind) {
    createNamespace("Db");
    createNamespace("Db", "Inner");
    create(kind, TableIdentifier.of("Db", "Orders"), location("orders"));
    create(kind, TableIdentifier.of(Namespace.of("Db", "Inner"), "Items"), location("items"));
    create(other(kind), TableIdentifier.of("Db", "Other"), location("other"));

    assertThat(
            objects.metadataLocations(
                warehouse,
                kind,
                List.of(
                    TableIdentifier.of(Namespace.of("DB", "inner"), "ITEMS"),
                    TableIdentifier.of("Db", "Missing"),
                    TableIdentifier.of("Db", "Other"),
                    TableIdentifier.of("db", "orders"),
                    TableIdentifier.of("Db", "Orders"))))
        .containsExactly(
            Optional.of(location("items")),
            Optional.empty(),
            Optional.empty(),
            Optional.of(location("orders")),
            Optional.of(location("orders")));
    assertThat(
            objects.metadataLocations(
                "other-" + warehouse,
                kind,
                List.of(TableIdentifier.of("Db", "Orders"), TableIdentifier.of("Db", "Missing"))))
        .containsExactly(Optional.empty(), Optional.empty());
    assertThat(objects.metadataLocations(warehouse, kind, List.of())).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void creatingInAMissingNamespaceFails(ObjectKind kind) {
    assertThatThrownBy(() -> create(kind, TableIdentifier.of("missing", "x"), location("x")))
        .isInstanceOf(NoSuchNamespaceException.class)
        .hasMessage("Namespace does not exist: missing");
  }

  @Test
  void creatingATakenNameFailsWhateverTheKinds() {
    createNamespace("db");
    create(TABLE, TableIdentifier.of("db", "t"), location("t"));
    create(VIEW, TableIdentifier.of("db", "v"), location("v"));

    assertThatThrownBy(() -> create(TABLE, TableIdentifier.of("db", "T"), location("t2")))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("Table already exists: db.T");
    assertThatThrownBy(() -> create(VIEW, TableIdentifier.of("db", "V"), location("v2")))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("View already exists: db.V");
    assertThatThrownBy(() -> create(VIEW, TableIdentifier.of("DB", "T"), location("t3")))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("Table with same name already exists: DB.T");
    assertThatThrownBy(() -> create(TABLE, TableIdentifier.of("db", "v"), location("v3")))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("View with same name already exists: db.v");
    assertThat(objects.metadataLocation(warehouse, TABLE, TableIdentifier.of("db", "t")))
        .contains(location("t"));
    assertThat(objects.metadataLocation(warehouse, VIEW, TableIdentifier.of("db", "t"))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void objectsAreListedInKeyOrderWithTheirStoredCase(ObjectKind kind) {
    createNamespace("Db");
    createNamespace("Db", "inner");
    for (String name : List.of("e", "B", "a", "D", "c")) {
      create(kind, TableIdentifier.of("Db", name), location(name));
    }
    create(other(kind), TableIdentifier.of("Db", "other"), location("other"));
    create(kind, TableIdentifier.of("Db", "inner", "nested"), location("nested"));

    List<Page<TableIdentifier>> pages =
        pages(page -> objects.list(warehouse, kind, Namespace.of("DB"), page), 2);

    assertThat(pages)
        .extracting(Page::items)
        .containsExactly(
            List.of(TableIdentifier.of("Db", "a"), TableIdentifier.of("Db", "B")),
            List.of(TableIdentifier.of("Db", "c"), TableIdentifier.of("Db", "D")),
            List.of(TableIdentifier.of("Db", "e")));
    assertThat(pages.get(0).lastKey()).isEqualTo("b");
    assertThat(pages.get(2).lastKey()).isNull();
    assertThat(objects.list(warehouse, kind, Namespace.of("db"), PageRequest.ALL).items())
        .hasSize(5);
    assertThat(objects.list(warehouse, kind, Namespace.of("missing"), PageRequest.ALL).items())
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void objectsAreListedWithTheStoredLevelsOfANamespaceAskedInAnotherCase(ObjectKind kind) {
    createNamespace("Sales");
    createNamespace("Sales", "EU");
    create(kind, TableIdentifier.of("sales", "eu", "Orders"), location("orders"));

    assertThat(objects.list(warehouse, kind, Namespace.of("SALES", "eu"), PageRequest.ALL).items())
        .containsExactly(TableIdentifier.of("Sales", "EU", "Orders"));
  }

  @Test
  void objectPagesStayStableWhileObjectsAreCreatedConcurrently() throws Exception {
    createNamespace("db");
    List<TableIdentifier> initial =
        IntStream.range(0, 30)
            .mapToObj(i -> TableIdentifier.of("db", "t%03d".formatted(i * 2)))
            .toList();
    initial.forEach(table -> create(TABLE, table, location(table.name())));
    AtomicBoolean paging = new AtomicBoolean(true);
    ExecutorService creator = Executors.newSingleThreadExecutor();
    Future<Integer> created =
        creator.submit(
            () -> {
              int count = 0;
              while (paging.get() && count < 30) {
                String name = "t%03d".formatted(count * 2 + 1);
                create(TABLE, TableIdentifier.of("db", name), location(name));
                count++;
              }
              return count;
            });

    List<TableIdentifier> seen = new ArrayList<>();
    try {
      for (String after = null; ; ) {
        Page<TableIdentifier> page =
            objects.list(warehouse, TABLE, Namespace.of("db"), new PageRequest(after, 4));
        seen.addAll(page.items());
        after = page.lastKey();
        if (after == null) {
          break;
        }
      }
    } finally {
      paging.set(false);
      created.get(1, TimeUnit.MINUTES);
      creator.shutdown();
    }

    assertThat(seen).doesNotHaveDuplicates().containsAll(initial);
    assertThat(seen.stream().map(TableIdentifier::name).toList()).isSorted();
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void swapMovesThePointerOnlyFromTheExpectedLocation(ObjectKind kind) {
    createNamespace("db");
    TableIdentifier identifier = TableIdentifier.of("db", "x");
    create(kind, identifier, location("x-1"));

    apply(swap(kind, TableIdentifier.of("DB", "X"), location("x-1"), location("x-2")));

    assertThat(objects.metadataLocation(warehouse, kind, identifier)).contains(location("x-2"));
    assertThatThrownBy(() -> apply(swap(kind, identifier, location("x-1"), location("x-3"))))
        .isInstanceOf(PointerMovedException.class);
    assertThat(objects.metadataLocation(warehouse, kind, identifier)).contains(location("x-2"));
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void swappingOrDroppingAMissingObjectFails(ObjectKind kind) {
    createNamespace("db");
    TableIdentifier identifier = TableIdentifier.of("db", "x");
    create(other(kind), identifier, location("x-1"));
    String message = (kind == TABLE ? "Table" : "View") + " does not exist: db.x";

    assertThatThrownBy(() -> apply(swap(kind, identifier, location("x-1"), location("x-2"))))
        .isInstanceOf(noSuchObject(kind))
        .hasMessage(message);
    assertThatThrownBy(() -> apply(new ObjectDropped(kind, identifier, location("x-1"))))
        .isInstanceOf(noSuchObject(kind))
        .hasMessage(message);
    assertThatThrownBy(
            () -> apply(swap(kind, TableIdentifier.of("nowhere", "x"), "a", location("x-2"))))
        .isInstanceOf(noSuchObject(kind));
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void dropRemovesTheObjectOnlyAtTheExpectedLocation(ObjectKind kind) {
    createNamespace("db");
    TableIdentifier identifier = TableIdentifier.of("db", "x");
    create(kind, identifier, location("x-1"));
    apply(swap(kind, identifier, location("x-1"), location("x-2")));

    assertThatThrownBy(() -> apply(new ObjectDropped(kind, identifier, location("x-1"))))
        .isInstanceOf(PointerMovedException.class);
    assertThat(objects.metadataLocation(warehouse, kind, identifier)).contains(location("x-2"));

    apply(new ObjectDropped(kind, TableIdentifier.of("Db", "X"), location("x-2")));

    assertThat(objects.metadataLocation(warehouse, kind, identifier)).isEmpty();
    create(other(kind), identifier, location("x-3"));
    assertThat(objects.metadataLocation(warehouse, other(kind), identifier))
        .contains(location("x-3"));
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void renameMovesAnObjectWithinAndAcrossNamespaces(ObjectKind kind) {
    createNamespace("a");
    createNamespace("B");
    create(kind, TableIdentifier.of("a", "x"), location("x-1"));

    apply(new ObjectRenamed(kind, TableIdentifier.of("A", "X"), TableIdentifier.of("a", "y")));
    assertThat(objects.metadataLocation(warehouse, kind, TableIdentifier.of("a", "x"))).isEmpty();
    assertThat(objects.metadataLocation(warehouse, kind, TableIdentifier.of("a", "y")))
        .contains(location("x-1"));

    apply(new ObjectRenamed(kind, TableIdentifier.of("a", "y"), TableIdentifier.of("b", "Z")));
    assertThat(objects.metadataLocation(warehouse, kind, TableIdentifier.of("a", "y"))).isEmpty();
    assertThat(objects.list(warehouse, kind, Namespace.of("b"), PageRequest.ALL).items())
        .containsExactly(TableIdentifier.of("B", "Z"));
    create(kind, TableIdentifier.of("a", "y"), location("y-1"));
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void renameMayChangeOnlyTheCase(ObjectKind kind) {
    createNamespace("db");
    create(kind, TableIdentifier.of("db", "orders"), location("o-1"));

    apply(
        new ObjectRenamed(
            kind, TableIdentifier.of("db", "orders"), TableIdentifier.of("db", "Orders")));

    assertThat(objects.list(warehouse, kind, Namespace.of("db"), PageRequest.ALL).items())
        .containsExactly(TableIdentifier.of("db", "Orders"));
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void renameFailsWithoutSourceOrTargetNamespace(ObjectKind kind) {
    createNamespace("db");
    create(kind, TableIdentifier.of("db", "x"), location("x-1"));

    assertThatThrownBy(
            () ->
                apply(
                    new ObjectRenamed(
                        kind, TableIdentifier.of("db", "missing"), TableIdentifier.of("db", "y"))))
        .isInstanceOf(noSuchObject(kind));
    assertThatThrownBy(
            () ->
                apply(
                    new ObjectRenamed(
                        kind, TableIdentifier.of("db", "x"), TableIdentifier.of("nowhere", "y"))))
        .isInstanceOf(NoSuchNamespaceException.class)
        .hasMessage("Namespace does not exist: nowhere");
    assertThat(objects.metadataLocation(warehouse, kind, TableIdentifier.of("db", "x")))
        .contains(location("x-1"));
  }

  @ParameterizedTest
  @EnumSource(ObjectKind.class)
  void renameOntoATakenNameFailsWhateverTheKinds(ObjectKind kind) {
    createNamespace("db");
    create(kind, TableIdentifier.of("db", "x"), location("x-1"));
    create(TABLE, TableIdentifier.of("db", "t"), location("t-1"));
    create(VIEW, TableIdentifier.of("db", "v"), location("v-1"));

    assertThatThrownBy(
            () ->
                apply(
                    new ObjectRenamed(
                        kind, TableIdentifier.of("db", "x"), TableIdentifier.of("db", "T"))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("Cannot rename db.x to db.T. Table already exists");
    assertThatThrownBy(
            () ->
                apply(
                    new ObjectRenamed(
                        kind, TableIdentifier.of("db", "x"), TableIdentifier.of("db", "V"))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("Cannot rename db.x to db.V. View already exists");
    assertThat(objects.metadataLocation(warehouse, kind, TableIdentifier.of("db", "x")))
        .contains(location("x-1"));
  }

  // The change log

  @Test
  void aFailingChangeUndoesTheWholeList() {
    createNamespace("db");
    TableIdentifier first = TableIdentifier.of("db", "first");
    TableIdentifier second = TableIdentifier.of("db", "second");
    create(TABLE, first, location("first-1"));
    create(TABLE, second, location("second-1"));
    int eventsBefore = events(warehouse).size();

    assertThatThrownBy(
            () ->
                changes.apply(
                    warehouse,
                    List.of(
                        swap(TABLE, first, location("first-1"), location("first-2")),
                        swap(TABLE, second, location("stale"), location("second-2")))))
        .isInstanceOf(PointerMovedException.class);
    assertThatThrownBy(
            () ->
                changes.apply(
                    warehouse,
                    List.of(
                        new NamespaceCreated(Namespace.of("fresh"), Map.of()),
                        objectCreated(TABLE, TableIdentifier.of("missing", "t"), location("t")))))
        .isInstanceOf(NoSuchNamespaceException.class);

    assertThat(objects.metadataLocation(warehouse, TABLE, first)).contains(location("first-1"));
    assertThat(objects.metadataLocation(warehouse, TABLE, second)).contains(location("second-1"));
    assertThat(namespaces.properties(warehouse, Namespace.of("fresh"))).isEmpty();
    assertThat(events(warehouse)).hasSize(eventsBefore);
  }

  @Test
  void everyChangeIsRecordedOnceInOrder() throws Exception {
    TableIdentifier table = TableIdentifier.of("Db", "T");
    TableIdentifier renamed = TableIdentifier.of("Other", "T2");
    TableIdentifier view = TableIdentifier.of("Db", "V");
    String tableUuid = UUID.randomUUID().toString();

    changes.apply(
        warehouse,
        List.of(
            new NamespaceCreated(Namespace.of("Db"), Map.of("a", "1")),
            new NamespaceCreated(Namespace.of("Other"), Map.of()),
            new NamespacePropertiesUpdated(Namespace.of("db"), Map.of("b", "2"), Set.of("a")),
            new ObjectCreated(TABLE, table, tableUuid, location("t-1"), false),
            swap(TABLE, TableIdentifier.of("db", "t"), location("t-1"), location("t-2"))));
    changes.apply(
        warehouse,
        List.of(
            new ObjectRenamed(TABLE, TableIdentifier.of("db", "t"), renamed),
            objectCreated(VIEW, view, location("v-1")),
            new ObjectDropped(VIEW, view, location("v-1")),
            new ObjectDropped(TABLE, renamed, location("t-2")),
            new NamespaceDropped(Namespace.of("DB"))));

    List<RecordedEvent> events = events(warehouse);
    assertThat(events)
        .extracting(RecordedEvent::type)
        .containsExactly(
            "namespace-created",
            "namespace-created",
            "namespace-properties-updated",
            "table-created",
            "table-committed",
            "table-renamed",
            "view-created",
            "view-dropped",
            "table-dropped",
            "namespace-dropped");
    assertThat(events)
        .extracting(RecordedEvent::namespace)
        .containsExactly(
            List.of("Db"),
            List.of("Other"),
            List.of("Db"),
            List.of("Db"),
            List.of("Db"),
            List.of("Db"),
            List.of("Db"),
            List.of("Db"),
            List.of("Other"),
            List.of("Db"));
    assertThat(events)
        .extracting(RecordedEvent::objectName)
        .containsExactly(null, null, null, "T", "T", "T", "V", "V", "T2", null);
    assertThat(events)
        .extracting(RecordedEvent::previousMetadataLocation)
        .containsExactly(
            null, null, null, null, location("t-1"), null, null, location("v-1"), location("t-2"),
            null);
    assertThat(events)
        .extracting(RecordedEvent::metadataLocation)
        .containsExactly(
            null, null, null, location("t-1"), location("t-2"), location("t-2"), location("v-1"),
            null, null, null);
    assertThat(json(events.get(0).payloadJson())).isEqualTo(json("{\"properties\":{\"a\":\"1\"}}"));
    assertThat(json(events.get(2).payloadJson()))
        .isEqualTo(json("{\"updates\":{\"b\":\"2\"},\"removals\":[\"a\"]}"));
    assertThat(json(events.get(3).payloadJson()))
        .isEqualTo(json("{\"uuid\":\"" + tableUuid + "\"}"));
    assertThat(json(events.get(5).payloadJson()))
        .isEqualTo(json("{\"to-namespace\":[\"Other\"],\"to-name\":\"T2\"}"));
    assertThat(events.get(9).payloadJson()).isNull();
  }

  @Test
  void registeringIsRecordedAsSuch() {
    createNamespace("db");

    apply(
        new ObjectCreated(
            VIEW,
            TableIdentifier.of("db", "v"),
            UUID.randomUUID().toString(),
            location("v-1"),
            true));

    assertThat(events(warehouse))
        .extracting(RecordedEvent::type)
        .containsExactly("namespace-created", "view-registered");
  }

  // Metrics reports

  @Test
  void metricsReportsAreKeptForExistingTablesOnly() {
    createNamespace("db");
    create(TABLE, TableIdentifier.of("db", "t"), location("t-1"));
    create(VIEW, TableIdentifier.of("db", "v"), location("v-1"));

    metricsReports.save(warehouse, TableIdentifier.of("DB", "T"), "scan-report", "{\"a\":1}");
    metricsReports.save(warehouse, TableIdentifier.of("db", "t"), "commit-report", "{\"b\":2}");

    assertThat(metricsReportTypes(warehouse)).containsExactly("scan-report", "commit-report");
    assertThatThrownBy(
            () ->
                metricsReports.save(warehouse, TableIdentifier.of("db", "v"), "scan-report", "{}"))
        .isInstanceOf(NoSuchTableException.class)
        .hasMessage("Table does not exist: db.v");
    assertThatThrownBy(
            () ->
                metricsReports.save(
                    warehouse, TableIdentifier.of("missing", "t"), "scan-report", "{}"))
        .isInstanceOf(NoSuchTableException.class);

    apply(new ObjectDropped(TABLE, TableIdentifier.of("db", "t"), location("t-1")));
    assertThat(metricsReportTypes(warehouse)).isEmpty();
  }

  // Concurrency

  @Test
  void concurrentSwapsWinEveryVersionExactlyOnce() throws Exception {
    int threads = 16;
    int winsEach = 8;
    createNamespace("db");
    TableIdentifier table = TableIdentifier.of("db", "contended");
    String initial = versionLocation(0, -1, 0);
    create(TABLE, table, initial);

    List<List<String>> won =
        runConcurrently(
            threads,
            thread -> {
              List<String> mine = new ArrayList<>();
              for (int attempt = 0; mine.size() < winsEach; attempt++) {
                String current = objects.metadataLocation(warehouse, TABLE, table).orElseThrow();
                String next = versionLocation(versionOf(current) + 1, thread, attempt);
                try {
                  apply(swap(TABLE, table, current, next));
                  mine.add(next);
                } catch (PointerMovedException lost) {
                  // Another thread moved the pointer first: read it again and retry.
                }
              }
              return mine;
            });

    List<RecordedEvent> commits =
        events(warehouse).stream().filter(e -> e.type().equals("table-committed")).toList();
    assertThat(commits).hasSize(threads * winsEach);
    String previous = initial;
    for (RecordedEvent commit : commits) {
      assertThat(commit.previousMetadataLocation()).isEqualTo(previous);
      previous = commit.metadataLocation();
    }
    assertThat(commits.stream().map(e -> versionOf(e.metadataLocation())).toList())
        .isEqualTo(IntStream.rangeClosed(1, threads * winsEach).boxed().toList());
    assertThat(won).allSatisfy(mine -> assertThat(mine).hasSize(winsEach));
    assertThat(won.stream().flatMap(List::stream).toList())
        .containsExactlyInAnyOrderElementsOf(
            commits.stream().map(RecordedEvent::metadataLocation).toList());
    assertThat(objects.metadataLocation(warehouse, TABLE, table)).contains(previous);
  }

  @Test
  void concurrentCreatesOfOneNameHaveOneWinnerAcrossKinds() throws Exception {
    createNamespace("db");
    for (int round = 0; round < 5; round++) {
      TableIdentifier identifier = TableIdentifier.of("db", "name" + round);
      List<Boolean> outcomes =
          runConcurrently(
              8,
              thread -> {
                ObjectKind kind = thread % 2 == 0 ? TABLE : VIEW;
                try {
                  create(kind, identifier, location(identifier.name() + "-" + thread));
                  return true;
                } catch (AlreadyExistsException lost) {
                  return false;
                }
              });

      assertThat(outcomes).containsOnlyOnce(true);
      int holders =
          (objects.metadataLocation(warehouse, TABLE, identifier).isPresent() ? 1 : 0)
              + (objects.metadataLocation(warehouse, VIEW, identifier).isPresent() ? 1 : 0);
      assertThat(holders).isOne();
    }
  }

  @Test
  void droppingANamespaceWhileAnObjectIsCreatedInItLeavesNoOrphan() throws Exception {
    for (int round = 0; round < 10; round++) {
      Namespace namespace = Namespace.of("race" + round);
      TableIdentifier table = TableIdentifier.of(namespace, "t");
      apply(new NamespaceCreated(namespace, Map.of()));

      List<Class<?>> outcomes =
          runConcurrently(
              2,
              thread -> {
                try {
                  if (thread == 0) {
                    apply(new NamespaceDropped(namespace));
                  } else {
                    create(TABLE, table, location("t"));
                  }
                  return Void.class;
                } catch (NamespaceNotEmptyException | NoSuchNamespaceException lost) {
                  return lost.getClass();
                }
              });

      boolean dropped = outcomes.get(0) == Void.class;
      assertThat(outcomes)
          .isEqualTo(
              dropped
                  ? List.of(Void.class, NoSuchNamespaceException.class)
                  : List.of(NamespaceNotEmptyException.class, Void.class));
      assertThat(namespaces.properties(warehouse, namespace).isPresent()).isEqualTo(!dropped);
      assertThat(objects.metadataLocation(warehouse, TABLE, table).isPresent())
          .isEqualTo(!dropped);
    }
  }

  // Helpers

  /** One task per thread, started together; returns their results in thread order. */
  private static <T> List<T> runConcurrently(int threads, ThreadTask<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int thread = 0; thread < threads; thread++) {
        int index = thread;
        Callable<T> call =
            () -> {
              start.await();
              return task.run(index);
            };
        futures.add(pool.submit(call));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(3, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface ThreadTask<T> {
    T run(int thread) throws Exception;
  }

  private static <T> List<Page<T>> pages(Function<PageRequest, Page<T>> lister, int size) {
    List<Page<T>> pages = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    String after = null;
    do {
      Page<T> page = lister.apply(new PageRequest(after, size));
      pages.add(page);
      after = page.lastKey();
      assertThat(after == null || keys.add(after)).as("page keys advance").isTrue();
    } while (after != null);
    return pages;
  }

  private List<Namespace> children(Namespace parent) {
    return namespaces.listChildren(warehouse, parent, PageRequest.ALL).items();
  }

  private void apply(CatalogChange change) {
    changes.apply(warehouse, change);
  }

  private void createNamespace(String... levels) {
    apply(new NamespaceCreated(Namespace.of(levels), Map.of()));
  }

  private void create(ObjectKind kind, TableIdentifier identifier, String location) {
    apply(objectCreated(kind, identifier, location));
  }

  private static ObjectCreated objectCreated(
      ObjectKind kind, TableIdentifier identifier, String location) {
    return new ObjectCreated(kind, identifier, UUID.randomUUID().toString(), location, false);
  }

  private static MetadataSwapped swap(
      ObjectKind kind, TableIdentifier identifier, String expected, String next) {
    return new MetadataSwapped(kind, identifier, expected, next);
  }

  private static String location(String name) {
    return "s3://bucket/metadata/" + name + ".metadata.json";
  }

  private static String versionLocation(int version, int thread, int attempt) {
    return "s3://bucket/contended/metadata/%05d-%d-%d.metadata.json"
        .formatted(version, thread, attempt);
  }

  private static int versionOf(String versionLocation) {
    String file = versionLocation.substring(versionLocation.lastIndexOf('/') + 1);
    return Integer.parseInt(file.substring(0, file.indexOf('-')));
  }

  private static ObjectKind other(ObjectKind kind) {
    return kind == TABLE ? VIEW : TABLE;
  }

  private static Class<? extends RuntimeException> noSuchObject(ObjectKind kind) {
    return kind == TABLE ? NoSuchTableException.class : NoSuchViewException.class;
  }

  private static JsonNode json(String text) throws JsonProcessingException {
    return JSON.readTree(text);
  }
}
