package io.bingsan.service;

import static io.bingsan.service.fakes.TestCatalog.ROOT;
import static io.bingsan.service.fakes.TestCatalog.SCHEMA;
import static io.bingsan.service.fakes.TestCatalog.WAREHOUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.domain.change.CatalogChange;
import io.bingsan.ports.out.PageRequest;
import io.bingsan.service.fakes.TestCatalog;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.rest.requests.ImmutableCreateViewRequest;
import org.apache.iceberg.rest.requests.ImmutableRegisterViewRequest;
import org.apache.iceberg.view.ImmutableSQLViewRepresentation;
import org.apache.iceberg.view.ImmutableViewVersion;
import org.apache.iceberg.view.SQLViewRepresentation;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ViewServiceTest {
  private TestCatalog catalog;
  private ViewService views;
  private Namespace ns;
  private TableIdentifier id;

  @BeforeEach
  void setUp() {
    catalog = new TestCatalog();
    views = catalog.services.views();
    ns = catalog.namespace("ns");
    id = TableIdentifier.of(ns, "v");
  }

  @Test
  void createWritesACompressedVersionZero() {
    ViewMetadata created = create("v", null);

    assertThat(created.location()).isEqualTo(ROOT + "/ns/v");
    // Views compress their metadata by default, as Iceberg's view operations do.
    assertThat(created.metadataFileLocation())
        .startsWith(ROOT + "/ns/v/metadata/00000-")
        .endsWith(".gz.metadata.json");
    assertThat(catalog.files.existing()).containsExactly(created.metadataFileLocation());
    ViewMetadata loaded = views.load(WAREHOUSE, TableIdentifier.of("NS", "V"));
    assertThat(loaded.uuid()).isEqualTo(created.uuid());
    assertThat(sql(loaded)).isEqualTo("select 1");
    assertThat(catalog.store.events(WAREHOUSE))
        .last()
        .satisfies(e -> assertThat(e.eventType()).isEqualTo("view-created"));
  }

  @Test
  void viewUuidsComeFromTheIdGenerator() {
    long before = catalog.ids.issued();

    ViewMetadata created = create("v", null);

    // One id for the view, one for its file; both fresh.
    assertThat(catalog.ids.issued()).isEqualTo(before + 2);
    assertThat(created.uuid()).isEqualTo(new UUID(0, before + 1).toString());
  }

  @Test
  void createOverATableNameIsAlreadyExistsAndLeavesNoFile() {
    catalog.createTable(id);
    int existing = catalog.files.existing().size();

    assertThatThrownBy(() -> create("v", null)).isInstanceOf(AlreadyExistsException.class);
    assertThat(catalog.files.existing()).hasSize(existing);
  }

  @Test
  void createOutsideTheWarehouseIsABadRequest() {
    assertThatThrownBy(() -> create("v", "file:/elsewhere/v"))
        .isInstanceOf(BadRequestException.class);
    assertThat(catalog.files.written()).isEmpty();
  }

  @Test
  void createInAMissingNamespace() {
    assertThatThrownBy(
            () ->
                views.create(
                    WAREHOUSE,
                    Namespace.of("missing"),
                    ImmutableCreateViewRequest.builder()
                        .name("v")
                        .schema(SCHEMA)
                        .viewVersion(version("select 1"))
                        .build()))
        .isInstanceOf(NoSuchNamespaceException.class);
  }

  @Test
  void replaceWritesTheNextVersion() {
    ViewMetadata created = create("v", null);

    ViewMetadata replaced =
        views.replace(
            WAREHOUSE,
            id,
            List.of(new UpdateRequirement.AssertViewUUID(created.uuid())),
            List.of(
                new MetadataUpdate.AddViewVersion(version("select 2")),
                new MetadataUpdate.SetCurrentViewVersion(-1)));

    assertThat(sql(replaced)).isEqualTo("select 2");
    assertThat(replaced.metadataFileLocation())
        .contains("/metadata/00001-")
        .endsWith(".gz.metadata.json");
    assertThat(sql(views.load(WAREHOUSE, id))).isEqualTo("select 2");
    assertThat(catalog.store.events(WAREHOUSE))
        .last()
        .isInstanceOf(CatalogChange.MetadataSwapped.class);
  }

  @Test
  void replaceOfAnotherViewIsAConflictAndWritesNothing() {
    create("v", null);
    int writes = catalog.files.written().size();

    assertThatThrownBy(
            () ->
                views.replace(
                    WAREHOUSE,
                    id,
                    List.of(new UpdateRequirement.AssertViewUUID(UUID.randomUUID().toString())),
                    List.of(new MetadataUpdate.SetProperties(Map.of("k", "v")))))
        .isInstanceOf(CommitFailedException.class);
    assertThat(catalog.files.written()).hasSize(writes);
  }

  @Test
  void replaceThatChangesNothingWritesNothing() {
    ViewMetadata created = create("v", null);
    int writes = catalog.files.written().size();

    ViewMetadata result =
        views.replace(
            WAREHOUSE, id, List.of(), List.of(new MetadataUpdate.SetLocation(created.location())));

    assertThat(result.metadataFileLocation()).isEqualTo(created.metadataFileLocation());
    assertThat(catalog.files.written()).hasSize(writes);
  }

  static Stream<Arguments> locations() {
    return Stream.of(
        Arguments.of(TestCatalog.SHARED_ROOT + "/views/v", true),
        Arguments.of("file:/elsewhere/v", false),
        Arguments.of("file:/warehouse/../v", false));
  }

  @ParameterizedTest(name = "{0} allowed: {1}")
  @MethodSource("locations")
  void replaceMayMoveTheViewOnlyWithinTheWarehouse(String location, boolean allowed) {
    create("v", null);

    if (allowed) {
      ViewMetadata moved =
          views.replace(
              WAREHOUSE, id, List.of(), List.of(new MetadataUpdate.SetLocation(location)));
      assertThat(moved.metadataFileLocation()).startsWith(location + "/metadata/00001-");
    } else {
      assertThatThrownBy(
              () ->
                  views.replace(
                      WAREHOUSE, id, List.of(), List.of(new MetadataUpdate.SetLocation(location))))
          .isInstanceOf(BadRequestException.class);
    }
  }

  /** Views are not retried server-side, but a lost race must still be a 409, and leave no file. */
  @Test
  void replaceLosingARaceIsAConflictAndDeletesItsFile() {
    create("v", null);
    catalog.store.beforeNextApply(
        changes ->
            views.replace(
                WAREHOUSE,
                id,
                List.of(),
                List.of(new MetadataUpdate.SetProperties(Map.of("theirs", "1")))));

    assertThatThrownBy(
            () ->
                views.replace(
                    WAREHOUSE,
                    id,
                    List.of(),
                    List.of(new MetadataUpdate.SetProperties(Map.of("mine", "1")))))
        .isInstanceOf(CommitFailedException.class);

    assertThat(catalog.files.deleted())
        .singleElement()
        .satisfies(f -> assertThat(catalog.files.exists(f)).isFalse());
    assertThat(views.load(WAREHOUSE, id).properties())
        .containsKey("theirs")
        .doesNotContainKey("mine");
  }

  @Test
  void dropRenameAndList() {
    create("v", null);
    create("w", null);
    TableIdentifier renamed = TableIdentifier.of(ns, "renamed");

    views.rename(WAREHOUSE, id, renamed);
    views.drop(WAREHOUSE, TableIdentifier.of(ns, "w"));

    assertThat(views.list(WAREHOUSE, ns, PageRequest.ALL).items()).containsExactly(renamed);
    assertThatThrownBy(() -> views.load(WAREHOUSE, id)).isInstanceOf(NoSuchViewException.class);
    assertThatThrownBy(() -> views.drop(WAREHOUSE, id)).isInstanceOf(NoSuchViewException.class);
    // Tables and views are listed apart.
    assertThat(catalog.services.tables().list(WAREHOUSE, ns, PageRequest.ALL).items()).isEmpty();
  }

  @Test
  void renameOntoATableNameIsAlreadyExists() {
    create("v", null);
    catalog.createTable(TableIdentifier.of(ns, "t"));

    assertThatThrownBy(() -> views.rename(WAREHOUSE, id, TableIdentifier.of(ns, "t")))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void dropRacingAReplaceStillDrops() {
    create("v", null);
    catalog.store.beforeNextApply(
        changes ->
            views.replace(
                WAREHOUSE,
                id,
                List.of(),
                List.of(new MetadataUpdate.SetProperties(Map.of("late", "1")))));

    views.drop(WAREHOUSE, id);

    assertThatThrownBy(() -> views.load(WAREHOUSE, id)).isInstanceOf(NoSuchViewException.class);
  }

  @Test
  void registerAdoptsAViewFile() {
    ViewMetadata foreign = create("source", null);
    String file = foreign.metadataFileLocation();

    ViewMetadata registered =
        views.register(
            WAREHOUSE,
            ns,
            ImmutableRegisterViewRequest.builder().name("copy").metadataLocation(file).build());

    assertThat(registered.uuid()).isEqualTo(foreign.uuid());
    assertThat(views.metadataLocation(WAREHOUSE, TableIdentifier.of(ns, "copy"))).isEqualTo(file);
    assertThat(catalog.store.events(WAREHOUSE))
        .last()
        .satisfies(e -> assertThat(e.eventType()).isEqualTo("view-registered"));
  }

  @Test
  void registerOutsideTheWarehouseIsABadRequest() {
    assertThatThrownBy(
            () ->
                views.register(
                    WAREHOUSE,
                    ns,
                    ImmutableRegisterViewRequest.builder()
                        .name("x")
                        .metadataLocation("file:/elsewhere/v.gz.metadata.json")
                        .build()))
        .isInstanceOf(BadRequestException.class);
  }

  // ---- helpers

  private ViewMetadata create(String name, String location) {
    return views.create(
        WAREHOUSE,
        ns,
        ImmutableCreateViewRequest.builder()
            .name(name)
            .location(location)
            .schema(SCHEMA)
            .viewVersion(version("select 1"))
            .build());
  }

  private static ViewVersion version(String sql) {
    return ImmutableViewVersion.builder()
        .versionId(1)
        .schemaId(0)
        .timestampMillis(1_700_000_000_000L)
        .putSummary("engine-name", "spark")
        .defaultNamespace(Namespace.of("ns"))
        .addRepresentations(
            ImmutableSQLViewRepresentation.builder().sql(sql).dialect("spark").build())
        .build();
  }

  private static String sql(ViewMetadata view) {
    return ((SQLViewRepresentation) view.currentVersion().representations().get(0)).sql();
  }
}
