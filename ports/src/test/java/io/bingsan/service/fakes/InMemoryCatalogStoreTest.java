package io.bingsan.service.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import io.bingsan.ports.out.PointerMovedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.junit.jupiter.api.Test;

/** The fake must keep the ports' contracts, or the service tests prove nothing. */
class InMemoryCatalogStoreTest {
  private static final String WH = "wh";
  private static final Namespace NS = Namespace.of("Ns");
  private static final TableIdentifier T = TableIdentifier.of(NS, "Orders");

  private final InMemoryCatalogStore store = new InMemoryCatalogStore();

  @Test
  void swapIsACompareAndSwap() {
    createTable("loc-0");

    store.apply(WH, swap("loc-0", "loc-1"));

    assertThatThrownBy(() -> store.apply(WH, swap("loc-0", "loc-2")))
        .isInstanceOf(PointerMovedException.class);
    assertThat(store.metadataLocation(WH, ObjectKind.TABLE, T)).contains("loc-1");
  }

  @Test
  void batchIsAllOrNothing() {
    createTable("loc-0");
    TableIdentifier missing = TableIdentifier.of(NS, "missing");

    assertThatThrownBy(
            () ->
                store.apply(
                    WH,
                    List.of(
                        swap("loc-0", "loc-1"),
                        new CatalogChange.MetadataSwapped(
                            ObjectKind.TABLE, missing, "x", "y"))))
        .isInstanceOf(NoSuchTableException.class);
    assertThat(store.metadataLocation(WH, ObjectKind.TABLE, T)).contains("loc-0");
    assertThat(store.events(WH)).hasSize(2);
  }

  @Test
  void namesCompareCaseInsensitivelyAndKeepTheirCase() {
    createTable("loc-0");
    TableIdentifier shouted = TableIdentifier.of(Namespace.of("NS"), "ORDERS");

    assertThat(store.metadataLocation(WH, ObjectKind.TABLE, shouted)).contains("loc-0");
    assertThat(store.list(WH, ObjectKind.TABLE, Namespace.of("ns"), PageRequest.ALL).items())
        .containsExactly(T);
    assertThatThrownBy(
            () ->
                store.apply(
                    WH,
                    new CatalogChange.ObjectCreated(
                        ObjectKind.VIEW, shouted, "u", "l", false)))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void hookCommitsFirstAndDoesNotRecurse() {
    createTable("loc-0");
    store.beforeNextApply(changes -> store.apply(WH, swap("loc-0", "loc-1")));

    assertThatThrownBy(() -> store.apply(WH, swap("loc-0", "loc-2")))
        .isInstanceOf(PointerMovedException.class);
    assertThat(store.metadataLocation(WH, ObjectKind.TABLE, T)).contains("loc-1");
  }

  @Test
  void nonEmptyNamespaceCannotBeDropped() {
    createTable("loc-0");

    assertThatThrownBy(() -> store.apply(WH, new CatalogChange.NamespaceDropped(NS)))
        .isInstanceOf(NamespaceNotEmptyException.class);
  }

  @Test
  void pagesCoverEverythingOnce() {
    store.apply(WH, new CatalogChange.NamespaceCreated(NS, Map.of()));
    for (int i = 0; i < 7; i++) {
      store.apply(
          WH,
          new CatalogChange.ObjectCreated(
              ObjectKind.TABLE, TableIdentifier.of(NS, "t" + i), "u", "l" + i, false));
    }
    List<TableIdentifier> seen = new ArrayList<>();
    PageRequest request = new PageRequest(null, 3);
    while (true) {
      Page<TableIdentifier> page = store.list(WH, ObjectKind.TABLE, NS, request);
      seen.addAll(page.items());
      if (page.lastKey() == null) {
        break;
      }
      request = new PageRequest(page.lastKey(), 3);
    }

    assertThat(seen).hasSize(7).doesNotHaveDuplicates();
  }

  private void createTable(String location) {
    store.apply(WH, new CatalogChange.NamespaceCreated(NS, Map.of()));
    store.apply(
        WH, new CatalogChange.ObjectCreated(ObjectKind.TABLE, T, "u", location, false));
  }

  private static CatalogChange swap(String from, String to) {
    return new CatalogChange.MetadataSwapped(ObjectKind.TABLE, T, from, to);
  }
}
