package io.bingsan.service;

import static io.bingsan.service.fakes.TestCatalog.WAREHOUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.domain.change.CatalogChange;
import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import io.bingsan.service.fakes.TestCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchWarehouseException;
import org.apache.iceberg.exceptions.UnprocessableEntityException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NamespaceServiceTest {
  private static final Namespace NS = Namespace.of("ns");

  private TestCatalog catalog;
  private NamespaceService namespaces;

  @BeforeEach
  void setUp() {
    catalog = new TestCatalog();
    namespaces = catalog.services.namespaces();
  }

  @Test
  void createdNamespaceHasItsProperties() {
    namespaces.create(WAREHOUSE, NS, Map.of("owner", "alice"));

    assertThat(namespaces.properties(WAREHOUSE, Namespace.of("NS")))
        .containsExactly(Map.entry("owner", "alice"));
    assertThat(catalog.store.events(WAREHOUSE))
        .last()
        .isInstanceOf(CatalogChange.NamespaceCreated.class);
  }

  static Stream<Arguments> badCreates() {
    return Stream.of(
        Arguments.of("existing", NS, Map.of(), AlreadyExistsException.class),
        Arguments.of("empty", Namespace.empty(), Map.of(), BadRequestException.class),
        Arguments.of(
            "control character", Namespace.of("a\rb"), Map.of(), BadRequestException.class),
        Arguments.of(
            "location outside",
            Namespace.of("x"),
            Map.of("location", "/elsewhere"),
            BadRequestException.class),
        Arguments.of(
            "location climbing out",
            Namespace.of("x"),
            Map.of("location", "/warehouse/../x"),
            BadRequestException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCreates")
  void badCreatesChangeNothing(
      String name,
      Namespace namespace,
      Map<String, String> properties,
      Class<? extends Throwable> failure) {
    namespaces.create(WAREHOUSE, NS, Map.of());
    int events = catalog.store.events(WAREHOUSE).size();

    assertThatThrownBy(() -> namespaces.create(WAREHOUSE, namespace, properties))
        .isInstanceOf(failure);
    assertThat(catalog.store.events(WAREHOUSE)).hasSize(events);
  }

  @Test
  void locationInsideTheWarehouseIsAccepted() {
    namespaces.create(WAREHOUSE, NS, Map.of("location", TestCatalog.SHARED_ROOT + "/ns"));

    assertThat(namespaces.properties(WAREHOUSE, NS))
        .containsEntry("location", TestCatalog.SHARED_ROOT + "/ns");
  }

  /** Trino stages new tables under the location a loaded namespace reports. */
  @Test
  void loadedNamespaceReportsWhereItsTablesGo() {
    namespaces.create(WAREHOUSE, NS, Map.of("owner", "alice"));
    namespaces.create(WAREHOUSE, Namespace.of("ns", "child"), Map.of());

    assertThat(namespaces.load(WAREHOUSE, NS))
        .containsExactly(
            Map.entry("owner", "alice"), Map.entry("location", TestCatalog.ROOT + "/ns"));
    assertThat(namespaces.load(WAREHOUSE, Namespace.of("ns", "child")))
        .containsEntry("location", TestCatalog.ROOT + "/ns/child");
    assertThat(catalog.createTable(TableIdentifier.of(NS, "t")).location())
        .isEqualTo(TestCatalog.ROOT + "/ns/t");
    // The stored properties stay as created.
    assertThat(namespaces.properties(WAREHOUSE, NS)).doesNotContainKey("location");
  }

  @Test
  void loadedNamespaceKeepsItsOwnLocation() {
    namespaces.create(WAREHOUSE, NS, Map.of("location", TestCatalog.SHARED_ROOT + "/ns"));

    assertThat(namespaces.load(WAREHOUSE, NS))
        .containsExactly(Map.entry("location", TestCatalog.SHARED_ROOT + "/ns"));
  }

  @Test
  void missingNamespaceOrWarehouse() {
    assertThatThrownBy(() -> namespaces.properties(WAREHOUSE, NS))
        .isInstanceOf(NoSuchNamespaceException.class);
    assertThatThrownBy(() -> namespaces.drop(WAREHOUSE, NS))
        .isInstanceOf(NoSuchNamespaceException.class);
    assertThatThrownBy(() -> namespaces.properties("nowhere", NS))
        .isInstanceOf(NoSuchWarehouseException.class);
  }

  @Test
  void listsOneLevelAtATime() {
    for (Namespace namespace :
        List.of(
            Namespace.of("a"),
            Namespace.of("a", "x"),
            Namespace.of("a", "y"),
            Namespace.of("a", "x", "deep"),
            Namespace.of("b"))) {
      namespaces.create(WAREHOUSE, namespace, Map.of());
    }

    assertThat(namespaces.list(WAREHOUSE, Namespace.empty(), PageRequest.ALL).items())
        .containsExactly(Namespace.of("a"), Namespace.of("b"));
    assertThat(namespaces.list(WAREHOUSE, Namespace.of("a"), PageRequest.ALL).items())
        .containsExactly(Namespace.of("a", "x"), Namespace.of("a", "y"));
    assertThatThrownBy(() -> namespaces.list(WAREHOUSE, Namespace.of("missing"), PageRequest.ALL))
        .isInstanceOf(NoSuchNamespaceException.class);
  }

  @Test
  void pagesThroughNamespacesOnce() {
    List<Namespace> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(Namespace.of("n" + i));
      namespaces.create(WAREHOUSE, all.get(i), Map.of());
    }
    List<Namespace> seen = new ArrayList<>();
    String token = "";
    while (token != null) {
      Page<Namespace> page =
          namespaces.list(WAREHOUSE, Namespace.empty(), Paging.request(token, 2));
      assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
      seen.addAll(page.items());
      token = Paging.nextToken(page);
    }

    assertThat(seen).containsExactlyElementsOf(all);
  }

  @Test
  void nonEmptyNamespaceCannotBeDropped() {
    namespaces.create(WAREHOUSE, NS, Map.of());
    catalog.createTable(TableIdentifier.of(NS, "t"));

    assertThatThrownBy(() -> namespaces.drop(WAREHOUSE, NS))
        .isInstanceOf(NamespaceNotEmptyException.class);

    catalog.services.tables().drop(WAREHOUSE, TableIdentifier.of(NS, "t"), false);
    namespaces.drop(WAREHOUSE, NS);
    assertThatThrownBy(() -> namespaces.properties(WAREHOUSE, NS))
        .isInstanceOf(NoSuchNamespaceException.class);
  }

  // ---- property updates

  @Test
  void updateReportsUpdatedRemovedAndMissing() {
    namespaces.create(WAREHOUSE, NS, Map.of("a", "1", "b", "2", "keep", "k"));

    NamespaceService.PropertiesUpdate result =
        namespaces.updateProperties(
            WAREHOUSE, NS, Map.of("a", "10", "c", "3"), Set.of("b", "never-set"));

    assertThat(result.updated()).containsExactly("a", "c");
    assertThat(result.removed()).containsExactly("b");
    assertThat(result.missing()).containsExactly("never-set");
    assertThat(namespaces.properties(WAREHOUSE, NS))
        .isEqualTo(Map.of("a", "10", "c", "3", "keep", "k"));
  }

  @Test
  void sameKeyUpdatedAndRemovedIsUnprocessable() {
    namespaces.create(WAREHOUSE, NS, Map.of("a", "1"));

    assertThatThrownBy(
            () ->
                namespaces.updateProperties(WAREHOUSE, NS, Map.of("a", "2", "b", "1"), Set.of("a")))
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessageContaining("a");
    assertThat(namespaces.properties(WAREHOUSE, NS)).isEqualTo(Map.of("a", "1"));
  }

  @Test
  void updateOfAMissingNamespace() {
    assertThatThrownBy(() -> namespaces.updateProperties(WAREHOUSE, NS, Map.of("a", "1"), Set.of()))
        .isInstanceOf(NoSuchNamespaceException.class);
  }

  @Test
  void updatedLocationMustStayInTheWarehouse() {
    namespaces.create(WAREHOUSE, NS, Map.of());

    assertThatThrownBy(
            () ->
                namespaces.updateProperties(
                    WAREHOUSE, NS, Map.of("location", "/elsewhere"), Set.of()))
        .isInstanceOf(BadRequestException.class);
    assertThat(namespaces.properties(WAREHOUSE, NS)).doesNotContainKey("location");
  }
}
