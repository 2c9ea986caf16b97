package io.bingsan.domain.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

class CatalogChangeTest {
  private static final Namespace NS = Namespace.of("a", "b");
  private static final TableIdentifier ID = TableIdentifier.of(NS, "t");

  /** One change of every kind, for tables and views. */
  private static List<CatalogChange> everyChange() {
    Stream<CatalogChange> namespaceChanges =
        Stream.of(
            new CatalogChange.NamespaceCreated(NS, Map.of()),
            new CatalogChange.NamespacePropertiesUpdated(NS, Map.of("k", "v"), Set.of()),
            new CatalogChange.NamespaceDropped(NS));
    Stream<CatalogChange> objectChanges =
        Arrays.stream(ObjectKind.values())
            .flatMap(
                kind ->
                    Stream.of(
                        new CatalogChange.ObjectCreated(kind, ID, "u", "l", false),
                        new CatalogChange.ObjectCreated(kind, ID, "u", "l", true),
                        new CatalogChange.MetadataSwapped(kind, ID, "l0", "l1"),
                        new CatalogChange.ObjectDropped(kind, ID, "l"),
                        new CatalogChange.ObjectRenamed(kind, ID, TableIdentifier.of("c", "u"))));
    return Stream.concat(namespaceChanges, objectChanges).toList();
  }

  @Test
  void everyKindOfChangeHasItsOwnEventType() {
    List<CatalogChange> changes = everyChange();
    Set<String> types = changes.stream().map(CatalogChange::eventType).collect(Collectors.toSet());

    assertThat(types).hasSameSizeAs(changes);
    assertThat(types).allMatch(type -> type.matches("[a-z]+(-[a-z]+)+"));
  }

  @Test
  void changeHappensInTheNamespaceOfItsObject() {
    // A rename happens where the object was: that is whose listing changes first.
    assertThat(everyChange()).allSatisfy(change -> assertThat(change.namespace()).isEqualTo(NS));
  }

  @Test
  void changesKeepACopyOfTheirMaps() {
    Map<String, String> properties = new HashMap<>(Map.of("k", "v"));
    Set<String> removals = new HashSet<>(Set.of("x"));
    CatalogChange.NamespaceCreated created = new CatalogChange.NamespaceCreated(NS, properties);
    CatalogChange.NamespacePropertiesUpdated updated =
        new CatalogChange.NamespacePropertiesUpdated(NS, properties, removals);

    properties.put("later", "1");
    removals.add("later");

    assertThat(created.properties()).containsOnlyKeys("k");
    assertThat(updated.updates()).containsOnlyKeys("k");
    assertThat(updated.removals()).containsOnly("x");
  }

  @Test
  void objectChangesRequireTheirFields() {
    assertThatThrownBy(
            () -> new CatalogChange.MetadataSwapped(ObjectKind.TABLE, ID, null, "l1"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new CatalogChange.ObjectDropped(ObjectKind.VIEW, ID, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void tableChangesNameTheTablesWhosePointersTheyAlter() {
    TableIdentifier renamedTo = TableIdentifier.of("c", "u");
    Map<String, List<TableIdentifier>> tablesByType =
        everyChange().stream()
            .collect(Collectors.toMap(CatalogChange::eventType, CatalogChange::tables));

    assertThat(tablesByType)
        .containsEntry("table-created", List.of(ID))
        .containsEntry("table-registered", List.of(ID))
        .containsEntry("table-committed", List.of(ID))
        .containsEntry("table-dropped", List.of(ID))
        .containsEntry("table-renamed", List.of(ID, renamedTo));
    // Views and namespaces hold no table pointer.
    assertThat(tablesByType)
        .allSatisfy(
            (type, tables) -> {
              if (!type.startsWith("table-")) {
                assertThat(tables).as(type).isEmpty();
              }
            });
  }
}
